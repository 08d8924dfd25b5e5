import { CheckpointRefusedError, interrupted } from '../core/apply/checkpoint.js';
import { buildPlan, pending, readSnapshot } from '../core/plan/plan.js';
import type { Paint } from '../core/messages/paint.js';
import { formatPlan } from '../core/plan/report.js';
import { savePlan } from '../core/plan/saved-plan.js';
import { openState } from '../core/state/location.js';
import { VERSION } from '../version.js';
import { refuseRoleSwitch, type Context } from './context.js';

/** Prints the plan (and saves it with --out); exit 0 when nothing is left to change, 2 when changes are pending. */
export async function planCommand(ctx: Context, saveTo: string | undefined, paint: Paint, out: (s: string) => void): Promise<number> {
  for (const note of ctx.notes ?? []) out(paint('yellow', note) + '\n');
  const snapshot = await readSnapshot(ctx.answers, ctx.root);
  const plan = buildPlan(ctx.answers, snapshot, ctx.plan);
  refuseRoleSwitch(ctx, plan);
  const { dir } = await openState(ctx.answers.productHome, ctx.root);
  // plan writes nothing: a refused checkpoint is said here, and apply stops on it.
  const stopped = await interrupted(dir).then(
    (cps) => (cps.length ? 'warning: an earlier apply was interrupted; apply or rollback restores its files first' : undefined),
    (e: unknown) => {
      if (e instanceof CheckpointRefusedError) return `warning: ${e.message}\napply and rollback stop until it is dealt with`;
      throw e;
    },
  );
  if (stopped) out(paint('yellow', stopped) + '\n');
  out(formatPlan(plan, paint));
  if (saveTo) {
    await savePlan(saveTo, plan, snapshot, VERSION, ctx.plan.onConflict, ctx.switchRole === true);
    out(`Plan saved to ${saveTo} (mode 600). Apply exactly this plan: apim-gateway-wizard apply --plan ${saveTo} --yes\n`);
  }
  return pending(plan).length ? 2 : 0;
}
