// The node document: what `plan --json`, `apply --json` and `check --json` print, one JSON
// object for scripts, Ansible and monitoring. Built from what the verb learnt (its facts: the
// plan, what apply did, the errors), never by parsing the text report; pure. Its keys are
// declared once below: the document, its README reference and the test all follow that list.
import { savedAnswersPath } from '../answers/save.js';
import { maskSecrets } from './diff.js';
import { listed, pending, type FileChange, type Plan } from './plan.js';
import { launcherCommand } from '../node/release.js';
import type { Answers } from '../answers/schema.js';
import type { RoleSwitch } from './role-switch.js';

export const NODE_DOCUMENT_FORMAT = 'apim-gateway-wizard/node-document';
/** Bumped only on an incompatible change; keys may be added within a version. */
export const NODE_DOCUMENT_VERSION = 1;

export type DocumentCommand = 'plan' | 'apply' | 'check';

/** What a verb learnt while it ran, recorded as it goes (a verb that fails half-way keeps what it knew). */
export interface NodeFacts {
  command: DocumentCommand;
  /** The answers planned for (unset: they could not be read). */
  answers?: Answers;
  root?: string;
  plan?: Plan;
  /** A role switch that was refused before the plan was taken (the plan itself is not reported then). */
  roleSwitch?: RoleSwitch;
  /** plan --out: where the plan was saved. */
  savedPlan?: string;
  /** Notes and warnings the text report prints before the plan (opening the state, an interrupted apply). */
  notes: string[];
  /** apply: what it did, in order (its progress lines). */
  actions: string[];
  applied?: { written: string[]; backupDir?: string; answersSaved?: string };
  errors: string[];
}

export function newFacts(command: DocumentCommand): NodeFacts {
  return { command, notes: [], actions: [], errors: [] };
}

export interface DocumentFile {
  path: string;
  status: FileChange['status'];
  reasons: string[];
  diff: string;
  localEdits?: string;
}

export interface NodeDocument {
  format: typeof NODE_DOCUMENT_FORMAT;
  version: typeof NODE_DOCUMENT_VERSION;
  command: DocumentCommand;
  wizardVersion: string;
  node: { role: Answers['role'] | null; productHome: string | null; root: string | null };
  release: { id: string; from: string; startCommand: string; warnings: string[] } | null;
  summary: string;
  files: DocumentFile[];
  resets: { dir: string; reason: string }[];
  answers: string[];
  roleSwitch: { from: string; to: string; savedFile: string; changes: string[]; leaves: string[] } | null;
  savedPlan: string | null;
  warnings: string[];
  pending: number;
  changed: boolean;
  actions: string[];
  applied: { written: string[]; backupDir: string | null; answersSaved: string | null } | null;
  errors: string[];
  exitCode: number;
}

/** One row of the README reference: a key (dotted below an object, [] for a list's items), its type, what it says. */
interface KeySpec {
  key: string;
  type: string;
  says: string;
}

/** Every key of the document, in the order it is printed. */
export const NODE_DOCUMENT_KEYS: readonly KeySpec[] = [
  { key: 'format', type: 'string', says: `always \`${NODE_DOCUMENT_FORMAT}\`` },
  { key: 'version', type: 'number', says: `${NODE_DOCUMENT_VERSION}; raised only on an incompatible change (keys may be added within a version)` },
  { key: 'command', type: 'string', says: '`plan`, `apply` or `check`' },
  { key: 'wizardVersion', type: 'string', says: 'the version of the wizard that printed it' },
  { key: 'node.role', type: 'string \\| null', says: '`manager`, `worker` or `load-balancer`; null only when the answers could not be read' },
  { key: 'node.productHome', type: 'string \\| null', says: 'the product home as on the node (null for a load balancer, or when not known)' },
  { key: 'node.root', type: 'string \\| null', says: 'the `--root` (or demo sandbox) every path is under; null on a real node' },
  { key: 'release', type: 'object \\| null', says: 'the API-M release of a Gateway node; null for a load balancer or when it could not be read' },
  { key: 'release.id', type: 'string', says: 'the release planned for (`2.1.0`)' },
  { key: 'release.from', type: 'string', says: 'where it was read from (`carbon.xml <Version> 2.1.0`, or the `release` answer)' },
  { key: 'release.startCommand', type: 'string', says: 'the start command the node gets (`wso2server.sh start -Dprofile=gateway-worker`)' },
  { key: 'release.warnings', type: 'string[]', says: 'signals about the release that disagree (also in `warnings`)' },
  { key: 'summary', type: 'string', says: 'the plan\'s summary line, as the text report prints it ("" on an error before the plan)' },
  { key: 'files[]', type: 'object[]', says: 'the files of the plan, in the order the text report lists them (the wizard\'s own records are not listed)' },
  { key: 'files[].path', type: 'string', says: 'the file as on the node (without `--root`)' },
  { key: 'files[].status', type: 'string', says: '`change`, `create`, `unchanged` or `conflict` (a generated file edited by hand: apply refuses until `--on-conflict keep\\|replace`)' },
  { key: 'files[].reasons', type: 'string[]', says: 'why the wizard touches it (the steps that edit it)' },
  { key: 'files[].diff', type: 'string', says: 'unified diff of the change, secrets masked (`********`), no colour; "" when unchanged' },
  { key: 'files[].localEdits', type: 'string', says: 'only for a conflict: unified diff of what was edited by hand since the wizard wrote it' },
  { key: 'resets[]', type: 'object[]', says: 'directories apply moves whole into its backup and replaces by new ones: `dir`, `reason`' },
  { key: 'answers', type: 'string[]', says: 'what applying changes in the node\'s saved answers, one line per key (`workerIps + 192.0.2.23`)' },
  { key: 'roleSwitch', type: 'object \\| null', says: 'the saved answers say another role: `from`, `to`, `savedFile`, what the switch `changes` and `leaves`' },
  { key: 'savedPlan', type: 'string \\| null', says: 'plan `--out FILE`: the file the plan was saved to, for `apply --plan FILE --yes`' },
  { key: 'warnings', type: 'string[]', says: 'the plan\'s warnings and the notes the text report prints before it' },
  { key: 'pending', type: 'number', says: 'how many changes apply would make (files, the wizard\'s records, directory resets, the saved answers)' },
  { key: 'changed', type: 'boolean', says: 'plan, check: `pending` > 0; apply: it wrote something' },
  { key: 'actions', type: 'string[]', says: 'apply: what it did, in order; plan, check: what apply would do' },
  { key: 'applied', type: 'object \\| null', says: 'apply, after it succeeded: `written` (the files, as on the node), `backupDir` (the checkpoint), `answersSaved` (the saved answers, the file to carry to the next node); the last two on this machine (under `--root`), null when nothing was written' },
  { key: 'errors', type: 'string[]', says: 'why the verb failed or refused; [] unless `exitCode` is 1' },
  { key: 'exitCode', type: 'number', says: 'the verb\'s exit code, always the process\'s: plan, check: 0 nothing to change, 2 changes pending, 1 error; apply: 0 done or nothing to do, 1 failed or refused' },
];

/** README's reference of the document (npm run docs), from the list above. */
export function nodeDocumentReference(): string {
  return ['| key | type | what it says |', '|---|---|---|', ...NODE_DOCUMENT_KEYS.map((k) => `| \`${k.key}\` | ${k.type} | ${k.says} |`)].join('\n');
}

/** A jsdiff patch as a script reads it: no "=====" line, no CR, secrets masked. */
function plainDiff(diff: string): string {
  return diff
    .split('\n')
    .filter((line) => !/^=+$/.test(line))
    .map((line) => maskSecrets(line.replace(/\r$/, '')))
    .join('\n');
}

function documentFile(c: FileChange): DocumentFile {
  return { path: c.file, status: c.status, reasons: [...c.reasons], diff: plainDiff(c.diff), ...(c.localEdits ? { localEdits: plainDiff(c.localEdits) } : {}) };
}

const isGateway = (role: Answers['role']): role is 'manager' | 'worker' => role === 'manager' || role === 'worker';

function releaseOfPlan(plan: Plan): NodeDocument['release'] {
  const found = plan.release;
  if (!found || !isGateway(plan.answers.role)) return null;
  return { id: found.release.id, from: found.from, startCommand: launcherCommand(found.release, plan.answers.role, { program: 'wso2server.sh' }), warnings: [...found.warnings] };
}

/** What applying the plan would do, in the order apply does it. */
function wouldDo(plan: Plan): string[] {
  const todo = pending(plan);
  const conflicts = todo.filter((c) => c.status === 'conflict');
  if (conflicts.length) return conflicts.map((c) => `refuse: ${c.file} was edited by hand since the wizard wrote it (choose --on-conflict keep or replace)`);
  const answersFile = savedAnswersPath(plan.answers.productHome);
  return [
    ...plan.resets.map((r) => `reset ${r.dir} (moved whole to the backup)`),
    ...todo.filter((c) => !c.internal).map((c) => `${c.status} ${c.file}`),
    ...(todo.some((c) => c.file === answersFile) ? [`save the answers to ${answersFile}`] : []),
  ];
}

/** The document for what a verb learnt and the exit code it returns. */
export function nodeDocument(facts: NodeFacts, exitCode: number, wizardVersion: string): NodeDocument {
  const { plan } = facts;
  const answers = plan?.answers ?? facts.answers;
  const todo = plan ? pending(plan).length : 0;
  const applied = facts.command === 'apply' && exitCode === 0 && facts.applied;
  const switched = plan?.roleSwitch ?? facts.roleSwitch;
  return {
    format: NODE_DOCUMENT_FORMAT,
    version: NODE_DOCUMENT_VERSION,
    command: facts.command,
    wizardVersion,
    node: { role: answers?.role ?? null, productHome: answers?.productHome ?? null, root: facts.root ?? null },
    release: plan ? releaseOfPlan(plan) : null,
    summary: plan?.summary ?? '',
    files: plan ? listed(plan).map(documentFile) : [],
    resets: (plan?.resets ?? []).map((r) => ({ dir: r.dir, reason: r.reason })),
    answers: [...(plan?.answersChanges ?? [])],
    roleSwitch: switched ? { from: switched.from, to: switched.to, savedFile: switched.savedFile, changes: [...switched.changes], leaves: [...switched.leaves] } : null,
    savedPlan: facts.savedPlan ?? null,
    warnings: [...facts.notes, ...(plan?.warnings ?? [])],
    pending: todo,
    changed: todo > 0 && (facts.command !== 'apply' || Boolean(applied)),
    actions: facts.command === 'apply' || !plan ? [...facts.actions] : wouldDo(plan),
    applied: applied ? { written: [...applied.written], backupDir: applied.backupDir ?? null, answersSaved: applied.answersSaved ?? null } : facts.command === 'apply' && exitCode === 0 ? { written: [], backupDir: null, answersSaved: null } : null,
    errors: [...facts.errors],
    exitCode,
  };
}

// Outside strings JSON is ASCII; inside them, a character a terminal would act on (C1 controls,
// bidi overrides, line separators) is written as its \u escape: the document is safe to print.
const TERMINAL_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** The document as printed: one JSON object, then a newline. */
export function documentText(doc: NodeDocument): string {
  return JSON.stringify(doc, null, 2).replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}
