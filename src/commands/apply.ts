import { applyPlan, recoverNode } from '../core/apply.js';
import { saveAnswers } from '../core/answers/save.js';
import { makePlan, pending } from '../core/plan.js';
import { formatPlan, type Paint } from '../core/report.js';
import type { Context } from './context.js';

/** Writes the plan; exit 0 when done (or nothing to do), 1 on failure (files restored by applyPlan). */
export async function applyCommand(ctx: Context, yes: boolean, paint: Paint, out: (s: string) => void): Promise<number> {
  if (!yes) {
    out('apply writes files: read `plan` first, then run apply again with --yes\n');
    return 1;
  }
  const recovered = await recoverNode(ctx.answers.productHome, ctx.root);
  if (recovered.length) out(paint('yellow', `An earlier apply was interrupted; restored first: ${recovered.join(', ')}`) + '\n');
  const plan = await makePlan(ctx.answers, ctx.root, ctx.plan);
  out(formatPlan(plan, paint));
  if (pending(plan).length === 0) return 0;
  const result = await applyPlan(plan, { root: ctx.root, onProgress: (line) => out(`${line}\n`) });
  const saved = await saveAnswers(ctx.answers, ctx.root);
  out(paint('green', `Applied: ${result.written.length} file(s) written.`) + `\nBackups: ${result.backupDir}\nAnswers saved: ${saved}\n`);
  return 0;
}
