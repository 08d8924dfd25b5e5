import { interrupted } from '../core/checkpoint.js';
import { onDisk, stateDir } from '../core/layout.js';
import { makePlan, pending } from '../core/plan.js';
import { formatPlan, type Paint } from '../core/report.js';
import type { Context } from './context.js';

/** Prints the plan; exit 0 when nothing is left to change, 2 when changes are pending. */
export async function planCommand(ctx: Context, paint: Paint, out: (s: string) => void): Promise<number> {
  const plan = await makePlan(ctx.answers, ctx.root, ctx.plan);
  if ((await interrupted(onDisk(ctx.root, stateDir(ctx.answers.productHome)))).length) {
    out(paint('yellow', 'warning: an earlier apply was interrupted; apply or rollback restores its files first') + '\n');
  }
  out(formatPlan(plan, paint));
  return pending(plan).length ? 2 : 0;
}
