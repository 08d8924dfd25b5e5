import { applyPlan, recoverNode, type ApplyResult } from '../core/apply/apply.js';
import { AnswersError, layerFromFlags } from '../core/answers/load.js';
import { savedAnswersFile } from '../core/apply/save-answers.js';
import { fieldByKey } from '../core/answers/schema.js';
import { makePlan, pending, type Plan } from '../core/plan/plan.js';
import { newFacts, type NodeFacts } from '../core/plan/json-report.js';
import { savedAnswersPath } from '../core/answers/save.js';
import type { Paint } from '../core/messages/paint.js';
import { formatPlan } from '../core/plan/report.js';
import { loadSavedPlan } from '../core/plan/saved-plan.js';
import { openState } from '../core/state/location.js';
import { VERSION } from '../version.js';
import { refuseRoleSwitch, rootOf, type Context } from './context.js';
import { knownNode } from './node-document.js';

const NEEDS_YES = 'apply writes files: read `plan` first, then run apply again with --yes\n';

/**
 * apply --plan FILE: the saved plan, exactly (core/plan/saved-plan.ts); its answers come from the
 * file, so answers given here too would be a second, different source.
 */
export async function applySavedPlan(file: string, values: Record<string, unknown>, paint: Paint, out: (s: string) => void, facts: NodeFacts = newFacts('apply')): Promise<number> {
  const given = Object.keys(layerFromFlags(values)).map((k) => `--${fieldByKey(k)!.flag}`);
  if (values.answers !== undefined) given.unshift('--answers');
  if (values['on-conflict'] !== undefined) given.push('--on-conflict');
  // A role switch was agreed to when the plan was saved (plan --switch-role --out): the file says so.
  if (values['switch-role'] !== undefined) given.push('--switch-role');
  if (given.length) throw new AnswersError([`apply --plan takes its answers from ${file}: ${given.join(', ')} cannot be given too`]);
  if (values.yes !== true) return needsYes(out, facts);
  const { root } = await rootOf(values);
  facts.root = root;
  const plan = await loadSavedPlan(file, root, VERSION);
  knownNode(facts, { answers: plan.answers, root });
  facts.plan = plan;
  const { notes } = await openState(plan.answers.productHome, root);
  facts.notes.push(...notes);
  for (const note of notes) out(paint('yellow', note) + '\n');
  out(formatPlan(plan, paint));
  if (pending(plan).length === 0) return 0;
  return written(await applyPlan(plan, { root, onProgress: progress(out, facts) }), plan, root, paint, out, facts);
}

function needsYes(out: (s: string) => void, facts: NodeFacts): number {
  out(NEEDS_YES);
  facts.errors.push(NEEDS_YES.trim());
  return 1;
}

/** apply's progress lines: printed, and the document's actions. */
const progress = (out: (s: string) => void, facts: NodeFacts) => (line: string) => {
  out(`${line}\n`);
  facts.actions.push(line);
};

function written(result: ApplyResult, plan: Plan, root: string | undefined, paint: Paint, out: (s: string) => void, facts: NodeFacts): number {
  const saved = savedAnswersFile(plan.answers, root);
  facts.applied = { written: result.written, ...(result.backupDir ? { backupDir: result.backupDir } : {}), answersSaved: saved };
  if (pending(plan).some((c) => c.file === savedAnswersPath(plan.answers.productHome))) facts.actions.push(`saved the answers to ${saved}`);
  out(paint('green', `Applied: ${result.written.length} file(s) written.`) + `\nBackups: ${result.backupDir}\nAnswers saved: ${saved}\n`);
  return 0;
}

/** Writes the plan; exit 0 when done (or nothing to do), 1 on failure (files restored by applyPlan). */
export async function applyCommand(ctx: Context, yes: boolean, paint: Paint, out: (s: string) => void, facts: NodeFacts = newFacts('apply')): Promise<number> {
  knownNode(facts, ctx);
  if (!yes) return needsYes(out, facts);
  for (const note of ctx.notes ?? []) out(paint('yellow', note) + '\n');
  facts.notes.push(...(ctx.notes ?? []));
  const recovered = await recoverNode(ctx.answers.productHome, ctx.root);
  if (recovered.length) {
    const line = `An earlier apply was interrupted; restored first: ${recovered.join(', ')}`;
    out(paint('yellow', line) + '\n');
    facts.actions.push(line);
  }
  const plan = await makePlan(ctx.answers, ctx.root, ctx.plan);
  facts.roleSwitch = plan.roleSwitch;
  refuseRoleSwitch(ctx, plan);
  facts.plan = plan;
  out(formatPlan(plan, paint));
  if (pending(plan).length === 0) return 0;
  return written(await applyPlan(plan, { root: ctx.root, onProgress: progress(out, facts) }), plan, ctx.root, paint, out, facts);
}
