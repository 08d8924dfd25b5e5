import { applyPlan, recoverNode, type ApplyResult } from '../core/apply/apply.js';
import { AnswersError, layerFromFlags } from '../core/answers/load.js';
import { savedAnswersFile } from '../core/apply/save-answers.js';
import { fieldByKey, type Answers } from '../core/answers/schema.js';
import { makePlan, pending } from '../core/plan/plan.js';
import type { Paint } from '../core/messages/paint.js';
import { formatPlan } from '../core/plan/report.js';
import { loadSavedPlan } from '../core/plan/saved-plan.js';
import { openState } from '../core/state/location.js';
import { VERSION } from '../version.js';
import { refuseRoleSwitch, rootOf, type Context } from './context.js';

const NEEDS_YES = 'apply writes files: read `plan` first, then run apply again with --yes\n';

/**
 * apply --plan FILE: the saved plan, exactly (core/plan/saved-plan.ts); its answers come from the
 * file, so answers given here too would be a second, different source.
 */
export async function applySavedPlan(file: string, values: Record<string, unknown>, paint: Paint, out: (s: string) => void): Promise<number> {
  const given = Object.keys(layerFromFlags(values)).map((k) => `--${fieldByKey(k)!.flag}`);
  if (values.answers !== undefined) given.unshift('--answers');
  if (values['on-conflict'] !== undefined) given.push('--on-conflict');
  // A role switch was agreed to when the plan was saved (plan --switch-role --out): the file says so.
  if (values['switch-role'] !== undefined) given.push('--switch-role');
  if (given.length) throw new AnswersError([`apply --plan takes its answers from ${file}: ${given.join(', ')} cannot be given too`]);
  if (values.yes !== true) {
    out(NEEDS_YES);
    return 1;
  }
  const { root } = await rootOf(values);
  const plan = await loadSavedPlan(file, root, VERSION);
  for (const note of (await openState(plan.answers.productHome, root)).notes) out(paint('yellow', note) + '\n');
  out(formatPlan(plan, paint));
  if (pending(plan).length === 0) return 0;
  return written(await applyPlan(plan, { root, onProgress: (line) => out(`${line}\n`) }), plan.answers, root, paint, out);
}

function written(result: ApplyResult, answers: Answers, root: string | undefined, paint: Paint, out: (s: string) => void): number {
  const saved = savedAnswersFile(answers, root);
  out(paint('green', `Applied: ${result.written.length} file(s) written.`) + `\nBackups: ${result.backupDir}\nAnswers saved: ${saved}\n`);
  return 0;
}

/** Writes the plan; exit 0 when done (or nothing to do), 1 on failure (files restored by applyPlan). */
export async function applyCommand(ctx: Context, yes: boolean, paint: Paint, out: (s: string) => void): Promise<number> {
  if (!yes) {
    out(NEEDS_YES);
    return 1;
  }
  for (const note of ctx.notes ?? []) out(paint('yellow', note) + '\n');
  const recovered = await recoverNode(ctx.answers.productHome, ctx.root);
  if (recovered.length) out(paint('yellow', `An earlier apply was interrupted; restored first: ${recovered.join(', ')}`) + '\n');
  const plan = await makePlan(ctx.answers, ctx.root, ctx.plan);
  refuseRoleSwitch(ctx, plan);
  out(formatPlan(plan, paint));
  if (pending(plan).length === 0) return 0;
  return written(await applyPlan(plan, { root: ctx.root, onProgress: (line) => out(`${line}\n`) }), ctx.answers, ctx.root, paint, out);
}
