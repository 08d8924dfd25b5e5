// Every move between the screens, as a pure function of the state and what happened (a key,
// or the result of the work effects.ts runs). An action that does not fit the screen is
// ignored: a result arriving after the admin left, a second `a` before the first was drawn.
import { AnswersError, resolveAnswers } from '../../core/answers/load.js';
import type { Role } from '../../core/answers/schema.js';
import { pending, type Plan } from '../../core/plan/plan.js';
import type { StartOutcome } from '../../core/run/server/index.js';
import type { SyncResult } from '../../core/run/sync/session.js';
import { safeMessage } from '../../core/messages/shown.js';
import type { NodeState } from '../../core/node/session.js';
import { answersFromRows, rowOfProblem, type QuestionRow } from '../questions-model.js';
import type { Failure } from '../screens/Failed.js';
import type { Outcome } from '../screens/Summary.js';
import { canStart, canSync, type Answering, type Planned, type WizardState } from './screens.js';

export const EXIT = { done: 0, failed: 1, quit: 0, interrupted: 130 } as const;

export type Action =
  /** Welcome: the home typed in (undefined: none on this machine, the load balancer). */
  | { type: 'home'; home: string | undefined }
  | { type: 'node-read'; node: NodeState }
  | { type: 'node-failed'; message: string }
  /** Welcome → role. */
  /** From the welcome screen; `role` when the command line names it (--role): its questions come next, Esc still offers the others. */
  | { type: 'continue'; role?: Role }
  /** One step back: role → welcome, questions → role, review → questions, confirm → review, role switch → role, failed → questions, sync → summary. */
  | { type: 'back' }
  | { type: 'pick-role'; role: Role }
  | { type: 'edit'; key: string; text: string }
  | { type: 'question'; index: number }
  /** The last question accepted: the answers as the rows show them go to the plan. */
  | { type: 'submit'; rows: readonly QuestionRow[] }
  | { type: 'planned'; plan: Plan }
  | { type: 'plan-failed'; problems: string[] }
  | { type: 'diff-open'; open: boolean }
  /** A hand-edited generated file: plan again with the admin's choice. */
  | { type: 'conflict'; choice: 'keep' | 'replace' }
  /** The role switch confirmed: on to the review. */
  | { type: 'switch-role' }
  /** Review `a`, or the reset confirmed. */
  | { type: 'apply' }
  | { type: 'progress'; line: string }
  | { type: 'applied'; outcome: Outcome }
  | { type: 'apply-failed'; failure: Failure }
  | { type: 'sync' }
  | { type: 'start' }
  | { type: 'start-keys'; keys: string }
  /** q (or Enter on the summary); `sync`/`start`: what the run on that screen ended with. */
  | { type: 'quit'; sync?: SyncResult; start?: StartOutcome }
  /** Ctrl-C or a signal; the sync and start screens send it only when nothing was running. */
  | { type: 'interrupt'; sync?: SyncResult; start?: StartOutcome };

/** What the terminal shows of an error: no value in a message reaches it raw (core/messages/shown.ts). */
export function errorText(e: unknown): string[] {
  return (e instanceof AnswersError ? e.problems : [(e as Error).message]).map((m) => safeMessage(m));
}

const APPLY_FAILED = 'The apply failed; the files were left as they were before it.';

function farewell(s: WizardState, code: number, message: string, outcome?: Outcome): WizardState {
  return { screen: 'farewell', code, message, role: s.role, ...(outcome ? { outcome } : {}) };
}

function answering(s: Answering): Answering {
  const { home, node, role, edits, question, problems } = s;
  return { home, node, role, edits, question, problems };
}

function planned(s: Planned): Planned {
  return { ...answering(s), plan: s.plan };
}

/** The exit code after the start screen: 0 ready (or left running), 1 when the start failed. */
export function startExit(o: StartOutcome | undefined): number {
  if (!o) return EXIT.done;
  return o.status === 'failed' || o.status === 'preflight-failed' ? EXIT.failed : EXIT.done;
}

export function startFarewell(o: StartOutcome | undefined): string {
  if (!o) return 'Done.';
  if (o.status === 'interrupted') return `Server: ${o.headline}. ${o.next ?? ''}`.trim();
  return `Server: ${o.headline}${o.next && o.status !== 'ready' ? `. Next: ${o.next}` : ''}`;
}

function syncFarewell(r: SyncResult | undefined): string {
  return r ? `Sync: ${r.status}.` : 'Done.';
}

function summaryFarewell(s: { outcome: Outcome }): string {
  return s.outcome.result.written.length ? 'Done.' : 'Nothing was written.';
}

/** Apply from the review: the reset confirmation first (unless given), nothing to write, or the writes. */
function apply(s: Planned, resetsConfirmed: boolean): WizardState {
  const todo = pending(s.plan).length;
  // Emptying a directory gets a confirmation of its own (default no), whatever else the review showed.
  if ((s.plan.resets?.length ?? 0) > 0 && !resetsConfirmed && todo > 0) return { screen: 'confirm-reset', ...planned(s) };
  if (todo === 0) return { screen: 'summary', ...planned(s), outcome: { result: { written: [], recovered: [] } } };
  return { screen: 'applying', ...planned(s), log: [], quitting: false };
}

/** The answers the rows give, or the problems with them (and the question the first one is about). */
function submit(s: Answering, rows: readonly QuestionRow[]): WizardState {
  try {
    const planning = resolveAnswers(answersFromRows(s.role, s.home, rows));
    return { screen: 'questions', ...answering(s), planning };
  } catch (e) {
    const problems = errorText(e);
    const at = problems.map((p) => rowOfProblem(p, rows)).find((i) => i !== undefined);
    return { screen: 'questions', ...answering(s), problems, question: at ?? s.question };
  }
}

export function reducer(s: WizardState, a: Action): WizardState {
  if (s.screen === 'farewell') return s;
  if (a.type === 'interrupt') return interrupt(s, a);
  if (a.type === 'quit') return quit(s, a);
  switch (s.screen) {
    case 'welcome':
      if (a.type === 'home') return { screen: 'welcome', home: a.home, settled: true, role: s.role, edits: s.edits };
      if (a.type === 'node-read') return { ...s, node: a.node, nodeError: undefined };
      if (a.type === 'node-failed') return { ...s, node: undefined, nodeError: a.message };
      if (a.type === 'continue' && s.node && a.role) return { screen: 'questions', home: s.home, node: s.node, role: a.role, edits: s.edits, question: 0, problems: [] };
      if (a.type === 'continue' && s.node) return { screen: 'role', home: s.home, node: s.node, role: s.role, edits: s.edits };
      return s;
    case 'role':
      if (a.type === 'back') return { screen: 'welcome', home: s.home, settled: true, node: s.node, role: s.role, edits: s.edits };
      if (a.type === 'pick-role') return { screen: 'questions', home: s.home, node: s.node, role: a.role, edits: s.edits, question: 0, problems: [] };
      return s;
    case 'questions':
      if (a.type === 'edit') {
        if (s.edits[a.key] === a.text) return s;
        // A problem that names the answer being edited no longer holds for it (Enter asks again).
        const named = new RegExp(`\\b${a.key}\\b`);
        return { ...s, edits: { ...s.edits, [a.key]: a.text }, problems: s.problems.filter((p) => !named.test(p)) };
      }
      if (a.type === 'question') return { ...s, question: a.index };
      if (a.type === 'back') return { screen: 'role', home: s.home, node: s.node, role: s.role, edits: s.edits };
      if (a.type === 'submit' && !s.planning) return submit(s, a.rows);
      // A plan that switches the node's role is shown only once the switch is confirmed.
      if (a.type === 'planned' && s.planning) {
        const done = { ...answering(s), problems: [], plan: a.plan };
        return a.plan.roleSwitch ? { screen: 'confirm-switch', ...done } : { screen: 'review', ...done, diffOpen: false };
      }
      if (a.type === 'plan-failed' && s.planning) return { screen: 'questions', ...answering(s), problems: a.problems };
      return s;
    case 'review':
      if (a.type === 'diff-open') return a.open === s.diffOpen ? s : { ...s, diffOpen: a.open };
      if (a.type === 'conflict') return a.choice === s.replan ? s : { ...s, replan: a.choice };
      if (a.type === 'planned' && s.replan) return { ...s, plan: a.plan, replan: undefined };
      if (a.type === 'plan-failed' && s.replan) return { screen: 'questions', ...answering(s), problems: a.problems };
      if (a.type === 'apply') return apply(s, false);
      if (a.type === 'back') return { screen: 'questions', ...answering(s) };
      return s;
    case 'confirm-switch':
      if (a.type === 'switch-role') return { screen: 'review', ...planned(s), diffOpen: false };
      if (a.type === 'back') return { screen: 'role', home: s.home, node: s.node, role: s.role, edits: s.edits };
      return s;
    case 'confirm-reset':
      if (a.type === 'apply') return apply(s, true);
      if (a.type === 'back') return { screen: 'review', ...planned(s), diffOpen: false };
      return s;
    case 'applying':
      if (a.type === 'progress') return { ...s, log: [...s.log, a.line] };
      // Ctrl-C during apply was held back until the files were written or restored.
      if (a.type === 'applied') return s.quitting ? farewell(s, EXIT.done, 'Applied; quit on Ctrl-C.', a.outcome) : { screen: 'summary', ...planned(s), outcome: a.outcome };
      if (a.type === 'apply-failed') return s.quitting ? farewell(s, EXIT.failed, APPLY_FAILED) : { screen: 'failed', ...planned(s), failure: a.failure };
      return s;
    case 'summary':
      if (a.type === 'sync' && canSync(s)) return { ...s, screen: 'sync' };
      if (a.type === 'start' && canStart(s)) return { ...s, screen: 'start', keys: '' };
      return s;
    case 'sync':
      return a.type === 'back' ? { ...s, screen: 'summary' } : s;
    case 'start':
      return a.type === 'start-keys' && a.keys !== s.keys ? { ...s, keys: a.keys } : s;
    case 'failed':
      return a.type === 'back' ? { screen: 'questions', ...answering(s) } : s;
  }
}

function quit(s: Exclude<WizardState, { screen: 'farewell' }>, a: Extract<Action, { type: 'quit' }>): WizardState {
  switch (s.screen) {
    case 'welcome':
    case 'role':
    case 'review':
    case 'confirm-switch':
      return farewell(s, EXIT.quit, 'Quit. Nothing was written.');
    case 'summary':
      return farewell(s, EXIT.done, summaryFarewell(s), s.outcome);
    case 'failed':
      return farewell(s, EXIT.failed, APPLY_FAILED);
    case 'sync':
      return farewell(s, a.sync?.status === 'failed' || a.sync?.status === 'blocked' ? EXIT.failed : EXIT.done, syncFarewell(a.sync));
    case 'start':
      return farewell(s, startExit(a.start), startFarewell(a.start));
    default:
      return s;
  }
}

function interrupt(s: Exclude<WizardState, { screen: 'farewell' }>, a: Extract<Action, { type: 'interrupt' }>): WizardState {
  switch (s.screen) {
    case 'applying':
      return s.quitting ? s : { ...s, quitting: true };
    case 'sync':
      // Ctrl-C after a push: the wizard ends as done whatever the push said (q says it in the code).
      return farewell(s, EXIT.done, syncFarewell(a.sync));
    case 'start':
    case 'summary':
    case 'failed':
      return quit(s, { type: 'quit', start: a.start });
    default:
      return farewell(s, EXIT.interrupted, 'Interrupted. Nothing was written.');
  }
}
