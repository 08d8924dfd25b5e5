import { interrupted } from '../core/checkpoint.js';
import { onDisk, stateDir } from '../core/layout.js';
import { buildPlan, pending, readSnapshot } from '../core/plan.js';
import { formatPlan, type Paint } from '../core/report.js';
import { savePlan } from '../core/saved-plan.js';
import { VERSION } from '../version.js';
import type { Context } from './context.js';

/** Prints the plan (and saves it with --out); exit 0 when nothing is left to change, 2 when changes are pending. */
export async function planCommand(ctx: Context, saveTo: string | undefined, paint: Paint, out: (s: string) => void): Promise<number> {
  const snapshot = await readSnapshot(ctx.answers, ctx.root);
  const plan = buildPlan(ctx.answers, snapshot, ctx.plan);
  if ((await interrupted(onDisk(ctx.root, stateDir(ctx.answers.productHome)))).length) {
    out(paint('yellow', 'warning: an earlier apply was interrupted; apply or rollback restores its files first') + '\n');
  }
  out(formatPlan(plan, paint));
  if (saveTo) {
    await savePlan(saveTo, plan, snapshot, VERSION, ctx.plan.onConflict);
    out(`Plan saved to ${saveTo} (mode 600). Apply exactly this plan: apim-gateway-wizard apply --plan ${saveTo} --yes\n`);
  }
  return pending(plan).length ? 2 : 0;
}
