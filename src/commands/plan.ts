import { CheckpointRefusedError, interrupted } from '../core/apply/checkpoint.js';
import { buildPlan, pending, readSnapshot } from '../core/plan/plan.js';
import type { Paint } from '../core/messages/paint.js';
import { newFacts, type NodeFacts } from '../core/plan/json-report.js';
import { formatPlan } from '../core/plan/report.js';
import { savePlan } from '../core/plan/saved-plan.js';
import { openState } from '../core/state/location.js';
import { VERSION } from '../version.js';
import { refuseRoleSwitch, type Context } from './context.js';
import { knownNode } from './node-document.js';

/**
 * Prints the plan (and saves it with --out); exit 0 when nothing is left to change, 2 when changes are pending.
 * `facts`: what it learnt, for --json (core/plan/json-report.ts).
 */
export async function planCommand(ctx: Context, saveTo: string | undefined, paint: Paint, out: (s: string) => void, facts: NodeFacts = newFacts('plan')): Promise<number> {
  knownNode(facts, ctx);
  for (const note of ctx.notes ?? []) out(paint('yellow', note) + '\n');
  facts.notes.push(...(ctx.notes ?? []));
  const snapshot = await readSnapshot(ctx.answers, ctx.root);
  const plan = buildPlan(ctx.answers, snapshot, ctx.plan);
  facts.roleSwitch = plan.roleSwitch;
  refuseRoleSwitch(ctx, plan);
  facts.plan = plan;
  const { dir } = await openState(ctx.answers.productHome, ctx.root);
  // plan writes nothing: a refused checkpoint is said here, and apply stops on it.
  const stopped = await interrupted(dir).then(
    (cps) => (cps.length ? 'warning: an earlier apply was interrupted; apply or rollback restores its files first' : undefined),
    (e: unknown) => {
      if (e instanceof CheckpointRefusedError) return `warning: ${e.message}\napply and rollback stop until it is dealt with`;
      throw e;
    },
  );
  if (stopped) {
    out(paint('yellow', stopped) + '\n');
    facts.notes.push(stopped.replace(/^warning: /, ''));
  }
  out(formatPlan(plan, paint));
  if (saveTo) {
    await savePlan(saveTo, plan, snapshot, VERSION, ctx.plan.onConflict, ctx.switchRole === true);
    facts.savedPlan = saveTo;
    out(`Plan saved to ${saveTo} (mode 600). Apply exactly this plan: apim-gateway-wizard apply --plan ${saveTo} --yes\n`);
  }
  return pending(plan).length ? 2 : 0;
}
