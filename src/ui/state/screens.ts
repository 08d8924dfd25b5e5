// The wizard's screens as one union: each variant carries what its screen draws and what
// going back needs, nothing more. A later screen extends an earlier one's facts (the review
// has the answers the questions had, plus the plan), so "back" drops the newer facts only.
import type { Answers, Role } from '../../core/answers/schema.js';
import type { Plan } from '../../core/plan/plan.js';
import { answerLayers, initialRole, type NodeState, type WizardInputs } from '../../core/node/session.js';
import { syncEnabled } from '../../core/run/sync/paths.js';
import type { ClusterModel } from '../components/cluster-layout.js';
import { questionRows, type Edits, type QuestionRow } from '../questions-model.js';
import { CONFIRM_RESET_KEYS } from '../screens/ConfirmReset.js';
import { CONFIRM_SWITCH_KEYS } from '../screens/ConfirmSwitch.js';
import { FAILED_KEYS, type Failure } from '../screens/Failed.js';
import { QUESTIONS_KEYS } from '../screens/Questions.js';
import { reviewKeys } from '../screens/Review.js';
import { summaryKeys, type Outcome } from '../screens/Summary.js';

/** What was answered so far: kept while going back, so the next pass starts from it. */
export interface Draft {
  role?: Role;
  edits: Edits;
}

/** The node as the welcome screen settled it: its product home (none on a load balancer) and what was read. */
export interface NodeFacts extends Draft {
  home: string | undefined;
  node: NodeState;
}

/** The questions of a chosen role: the open one, and the problems that keep the review away. */
export interface Answering extends NodeFacts {
  role: Role;
  question: number;
  problems: string[];
}

export interface Planned extends Answering {
  plan: Plan;
}

export type WizardState =
  /** `settled`: the home is known, typed in, or known to be absent; then the node is read. */
  | ({ screen: 'welcome'; home: string | undefined; settled: boolean; node?: NodeState; nodeError?: string } & Draft)
  | ({ screen: 'role' } & NodeFacts)
  /** `planning`: the answers being planned (the questions are busy until the plan comes). */
  | ({ screen: 'questions'; planning?: Answers } & Answering)
  /** `diffOpen`: a file's diff is shown (its own keys); `replan`: planning again with the admin's conflict choice. */
  | ({ screen: 'review'; diffOpen: boolean; replan?: 'keep' | 'replace' } & Planned)
  | ({ screen: 'confirm-reset' } & Planned)
  /** The plan switches the node's role (plan.roleSwitch): asked before the review shows it. */
  | ({ screen: 'confirm-switch' } & Planned)
  /** `quitting`: Ctrl-C came during the writes; the wizard quits once they are done or restored. */
  | ({ screen: 'applying'; log: string[]; quitting: boolean } & Planned)
  | ({ screen: 'summary'; outcome: Outcome } & Planned)
  | ({ screen: 'sync'; outcome: Outcome } & Planned)
  /** `keys`: the start screen says its own keys, which follow its phase. */
  | ({ screen: 'start'; outcome: Outcome; keys: string } & Planned)
  | ({ screen: 'failed'; failure: Failure } & Planned)
  /** The last frame, left on the terminal; `outcome` only when quitting from the summary. */
  | { screen: 'farewell'; code: number; message: string; role?: Role; outcome?: Outcome };

export type ScreenName = WizardState['screen'];

export function initialState(inputs: WizardInputs): WizardState {
  const home = inputs.home.home;
  // A load balancer has no API-M: with --role load-balancer and no home found, nothing is asked about it.
  const settled = home !== undefined || (!inputs.home.problem && initialRole(inputs, undefined) === 'load-balancer');
  return { screen: 'welcome', home, settled, edits: {} };
}

export function planOf(s: WizardState): Plan | undefined {
  return 'plan' in s ? s.plan : undefined;
}

/** Step 5 runs on a Gateway node with a product home; the load balancer has no server to start. */
export function gatewayRole(s: WizardState): 'manager' | 'worker' | undefined {
  const role = s.role;
  return role === 'manager' || role === 'worker' ? role : undefined;
}

export function canStart(s: WizardState): boolean {
  return gatewayRole(s) !== undefined && 'home' in s && s.home !== undefined;
}

/** Step 3 on the manager: the first push to the workers, offered after its apply when it lists them. */
export function canSync(s: WizardState): boolean {
  const plan = planOf(s);
  return plan !== undefined && syncEnabled(plan.answers);
}

/** The questions as the screen shows them: recomputed from the edits (questions-model.ts). */
export function rowsOf(s: Answering, inputs: WizardInputs): QuestionRow[] {
  return questionRows(s.role, s.home, answerLayers(inputs, s.node, s.role), s.edits);
}

export function clusterOf(s: Planned): ClusterModel {
  const a = s.plan.answers;
  return { role: s.role, hostName: a.hostName, mgtHostName: a.mgtHostName, managerIp: a.managerIp, workerIps: a.workerIps };
}

/** The keys line of the screens whose keys do not change while they are up ('' for none). */
export function keysOf(s: Exclude<WizardState, { screen: 'farewell' }>): string {
  switch (s.screen) {
    case 'welcome':
      return s.settled ? 'Enter continue · q quit · Ctrl-C quit' : 'Enter check the path · Ctrl-C quit';
    case 'role':
      return '↑/↓ choose · Enter select · Esc back · q quit';
    case 'questions':
      return QUESTIONS_KEYS;
    case 'review':
      return reviewKeys(s.plan, s.diffOpen);
    case 'confirm-reset':
      return CONFIRM_RESET_KEYS;
    case 'confirm-switch':
      return CONFIRM_SWITCH_KEYS;
    case 'summary':
      return summaryKeys(canSync(s), canStart(s));
    case 'failed':
      return FAILED_KEYS;
    case 'applying':
    case 'sync':
    case 'start':
      return '';
  }
}
