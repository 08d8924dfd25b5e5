// The screens' state machine (src/ui/state), without Ink: every move the wizard makes, on a
// real demo node and real plans from core. Each step asserts the screen and the data it carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { makePlan, pending, type Plan } from '../src/core/plan/plan.js';
import type { StartOutcome } from '../src/core/run/server/index.js';
import { inspectNode, prepareWizard, type NodeState, type WizardInputs } from '../src/core/node/session.js';
import { EXIT, reducer, type Action } from '../src/ui/state/reducer.js';
import { canStart, canSync, initialState, keysOf, rowsOf, type WizardState } from '../src/ui/state/screens.js';
import { DEMO_HOME, demoSandbox, tempDir } from './helpers.js';
import { MANAGER_ANSWERS, MANAGER_TYPED, testEnv } from './ui-helpers.js';

type Of<S extends WizardState['screen']> = Extract<WizardState, { screen: S }>;

/** Runs the actions in order; the state must end on `screen`. */
function run<S extends WizardState['screen']>(s: WizardState, screen: S, ...actions: Action[]): Of<S> {
  const end = actions.reduce(reducer, s);
  assert.equal(end.screen, screen, `ended on ${end.screen}, not ${screen}`);
  return end as Of<S>;
}

async function demoNode(values: Record<string, unknown> = {}): Promise<{ root: string; inputs: WizardInputs; node: NodeState }> {
  const root = await demoSandbox();
  const inputs = await prepareWizard({ root, home: DEMO_HOME, ...values }, testEnv());
  return { root, inputs, node: await inspectNode(DEMO_HOME, root) };
}

/** The review of a plan, as reached through the questions with `typed` answers. */
function reviewOf(inputs: WizardInputs, node: NodeState, plan: Plan, typed: Record<string, string> = MANAGER_TYPED): Of<'review'> {
  const edits = Object.entries(typed).map(([key, text]): Action => ({ type: 'edit', key, text }));
  const questions = run(initialState(inputs), 'questions', { type: 'node-read', node }, { type: 'continue' }, { type: 'pick-role', role: plan.answers.role }, ...edits);
  const submitted = run(questions, 'questions', { type: 'submit', rows: rowsOf(questions, inputs) });
  return run(submitted, 'review', { type: 'planned', plan });
}

test('welcome → role → questions: the home settles, the node is read, the role and the edits are kept going back', async () => {
  const { inputs, node } = await demoNode();
  let s: WizardState = initialState(inputs);
  assert.deepEqual([s.screen, s.screen === 'welcome' && s.settled, s.screen === 'welcome' && s.home], ['welcome', true, DEMO_HOME]);
  // Enter before the node is read does nothing.
  assert.equal(reducer(s, { type: 'continue' }), s);
  const welcome = run(s, 'welcome', { type: 'node-read', node });
  assert.equal(welcome.node, node);
  assert.equal(keysOf(welcome), 'Enter continue · q quit · Ctrl-C quit');
  const role = run(welcome, 'role', { type: 'continue' });
  assert.deepEqual([role.home, role.node, role.role], [DEMO_HOME, node, undefined]);
  // A role named on the command line: its questions next, from the first one.
  const named = run(welcome, 'questions', { type: 'continue', role: 'worker' });
  assert.deepEqual([named.role, named.question, named.problems], ['worker', 0, []]);
  assert.equal(run(named, 'role', { type: 'back' }).role, 'worker', 'Esc offers the roles, the named one first');

  const questions = run(role, 'questions', { type: 'pick-role', role: 'worker' }, { type: 'edit', key: 'managerIp', text: '192.0.2.10' }, { type: 'question', index: 2 });
  assert.deepEqual([questions.role, questions.question, questions.problems, questions.edits], ['worker', 2, [], { managerIp: '192.0.2.10' }]);
  // Back to the welcome screen and forward again: the node is not read again, the role and the edits stay.
  s = run(questions, 'welcome', { type: 'back' }, { type: 'back' });
  assert.deepEqual([s.screen === 'welcome' && s.node, s.role, s.screen === 'welcome' && s.edits], [node, 'worker', { managerIp: '192.0.2.10' }]);
  const again = run(s, 'questions', { type: 'continue' }, { type: 'pick-role', role: 'manager' });
  assert.deepEqual([again.role, again.question, again.edits], ['manager', 0, { managerIp: '192.0.2.10' }], 'a new pick starts at the first question');
});

test('no home found: the welcome asks until one is typed (or none: the load balancer); --role load-balancer does not ask', async () => {
  const root = await tempDir();
  const asking = initialState(await prepareWizard({ root }, testEnv()));
  assert.ok(asking.screen === 'welcome' && !asking.settled);
  assert.equal(keysOf(asking), 'Enter check the path · Ctrl-C quit');
  const none = run(asking, 'welcome', { type: 'home', home: undefined });
  assert.deepEqual([none.settled, none.home, none.node], [true, undefined, undefined]);
  const failed = run(none, 'welcome', { type: 'node-failed', message: 'cannot read /etc/hosts' });
  assert.equal(failed.nodeError, 'cannot read /etc/hosts');
  assert.equal(reducer(failed, { type: 'continue' }), failed, 'no role without the node');
  const lb = initialState(await prepareWizard({ root, role: 'load-balancer' }, testEnv()));
  assert.ok(lb.screen === 'welcome' && lb.settled && lb.home === undefined);
});

test('questions → review: problems point at their question; the plan carries the answers; b goes back where the questions ended', async () => {
  const { root, inputs, node } = await demoNode();
  const questions = run(initialState(inputs), 'questions', { type: 'node-read', node }, { type: 'continue' }, { type: 'pick-role', role: 'manager' }, { type: 'question', index: 6 });
  const refused = run(questions, 'questions', { type: 'submit', rows: rowsOf(questions, inputs) });
  assert.equal(refused.planning, undefined);
  // A fresh manager has no worker address yet: the first problem names its field, and the question moves there.
  const first = refused.problems[0]!;
  assert.match(first, /^clusterHostIp is required/);
  assert.equal(rowsOf(refused, inputs)[refused.question]!.field.key, 'clusterHostIp');

  const typed = Object.entries(MANAGER_TYPED).reduce<WizardState>((s, [key, text]) => reducer(s, { type: 'edit', key, text }), refused) as Of<'questions'>;
  const planning = run(typed, 'questions', { type: 'submit', rows: rowsOf(typed, inputs) });
  assert.deepEqual(planning.planning, resolveAnswers(MANAGER_ANSWERS));
  assert.equal(reducer(planning, { type: 'submit', rows: rowsOf(typed, inputs) }), planning, 'one plan at a time');
  assert.equal(keysOf(planning), 'Enter accept · Esc/↑ previous question · Ctrl-C quit (nothing is written)');

  const failed = run(planning, 'questions', { type: 'plan-failed', problems: ['cannot plan: carbon.xml is not XML'] });
  assert.deepEqual([failed.problems, failed.planning], [['cannot plan: carbon.xml is not XML'], undefined]);

  const plan = await makePlan(planning.planning!, root);
  const review = run(planning, 'review', { type: 'planned', plan });
  assert.deepEqual([review.plan, review.problems, review.diffOpen, review.question], [plan, [], false, planning.question]);
  assert.equal(keysOf(review), '↑/↓ file · Enter show diff · a apply · b back to the answers · q quit');
  const diff = run(review, 'review', { type: 'diff-open', open: true });
  assert.match(keysOf(diff), /^↑\/↓ PgUp\/PgDn scroll · Esc back to the files/);
  const back = run(diff, 'questions', { type: 'back' });
  assert.equal('plan' in back, false, 'the questions carry no plan');
  assert.deepEqual([back.question, back.edits], [planning.question, typed.edits]);
  // A plan that comes after the admin left the questions is dropped.
  assert.equal(reducer(back, { type: 'planned', plan }), back);
});

test('apply: progress, Ctrl-C held until the files are written, the summary; a second a is ignored', async () => {
  const { root, inputs, node } = await demoNode();
  const plan = await makePlan(resolveAnswers(MANAGER_ANSWERS), root);
  const review = reviewOf(inputs, node, plan);
  const applying = run(review, 'applying', { type: 'apply' });
  assert.deepEqual([applying.log, applying.quitting, applying.plan], [[], false, plan]);
  assert.equal(reducer(applying, { type: 'apply' }), applying);
  assert.equal(keysOf(applying), '');
  const busy = run(applying, 'applying', { type: 'progress', line: 'backup: /x' }, { type: 'progress', line: 'changed /etc/hosts' });
  assert.deepEqual(busy.log, ['backup: /x', 'changed /etc/hosts']);

  const outcome = { result: { written: ['/etc/hosts'], recovered: [] } };
  const summary = run(busy, 'summary', { type: 'applied', outcome });
  assert.deepEqual([summary.outcome, summary.plan], [outcome, plan]);
  assert.equal(canStart(summary), true);
  assert.equal(canSync(summary), false, 'no rsync targets');
  assert.equal(keysOf(summary), 's start the server · Enter or q: exit');
  assert.equal(reducer(summary, { type: 'sync' }), summary, 'no sync without targets');
  const done = run(summary, 'farewell', { type: 'quit' });
  assert.deepEqual(done, { screen: 'farewell', code: EXIT.done, message: 'Done.', role: 'manager', outcome });
  assert.equal(reducer(done, { type: 'interrupt' }), done, 'the last frame stays');

  const quitting = run(busy, 'applying', { type: 'interrupt' });
  assert.equal(quitting.quitting, true);
  assert.deepEqual(run(quitting, 'farewell', { type: 'applied', outcome }), { screen: 'farewell', code: EXIT.done, message: 'Applied; quit on Ctrl-C.', role: 'manager', outcome });
  assert.deepEqual(run(quitting, 'farewell', { type: 'apply-failed', failure: { message: 'disk full' } }), {
    screen: 'farewell',
    code: EXIT.failed,
    message: 'The apply failed; the files were left as they were before it.',
    role: 'manager',
  });
});

test('a failed apply: what failed and was restored; b back to the answers, q exits 1', async () => {
  const { root, inputs, node } = await demoNode();
  const applying = run(reviewOf(inputs, node, await makePlan(resolveAnswers(MANAGER_ANSWERS), root)), 'applying', { type: 'apply' });
  const failure = { message: 'apply failed: disk full', restored: ['/etc/hosts'] };
  const failed = run(applying, 'failed', { type: 'apply-failed', failure });
  assert.deepEqual(failed.failure, failure);
  assert.equal(keysOf(failed), 'b back to the answers · q quit');
  const back = run(failed, 'questions', { type: 'back' });
  assert.deepEqual([back.role, back.question, 'plan' in back], ['manager', applying.question, false]);
  for (const a of [{ type: 'quit' }, { type: 'interrupt' }] as const) {
    const bye = run(failed, 'farewell', a);
    assert.deepEqual([bye.code, bye.message, bye.outcome], [EXIT.failed, 'The apply failed; the files were left as they were before it.', undefined]);
  }
});

test('nothing to write: a finishes without writing; a reset asks first, and no goes back to the review', async () => {
  const { root, inputs, node } = await demoNode();
  const answers = resolveAnswers(MANAGER_ANSWERS);
  await applyPlan(await makePlan(answers, root), { root });
  const nothing = await makePlan(answers, root);
  assert.equal(pending(nothing).length, 0);
  const summary = run(reviewOf(inputs, node, nothing), 'summary', { type: 'apply' });
  assert.deepEqual(summary.outcome, { result: { written: [], recovered: [] } });
  assert.equal(run(summary, 'farewell', { type: 'interrupt' }).message, 'Nothing was written.');

  const worker = await demoNode();
  const resetting = await makePlan(resolveAnswers({ ...MANAGER_ANSWERS, role: 'worker', workerIps: undefined, resetDeployment: true }), worker.root);
  assert.ok(resetting.resets.length > 0 && pending(resetting).length > 0);
  const review = run(reviewOf(worker.inputs, worker.node, resetting, { managerIp: '192.0.2.10', hazelcast: 'no' }), 'review', { type: 'diff-open', open: true });
  const confirm = run(review, 'confirm-reset', { type: 'apply' });
  assert.equal(confirm.plan, resetting);
  assert.match(keysOf(confirm), /^y move it and apply/);
  const no = run(confirm, 'review', { type: 'back' });
  assert.deepEqual([no.plan, no.diffOpen], [resetting, false]);
  assert.equal(run(confirm, 'applying', { type: 'apply' }).plan, resetting, 'yes applies, resets included');
  assert.equal(run(confirm, 'farewell', { type: 'interrupt' }).code, EXIT.interrupted);
});

test('a hand-edited file: k or r plans again, the newest choice wins; a failed plan goes back to the questions', async () => {
  const { root, inputs, node } = await demoNode();
  const plan = await makePlan(resolveAnswers(MANAGER_ANSWERS), root);
  const review = reviewOf(inputs, node, plan);
  const keep = run(review, 'review', { type: 'conflict', choice: 'keep' });
  assert.equal(keep.replan, 'keep');
  assert.equal(reducer(keep, { type: 'conflict', choice: 'keep' }), keep);
  const replace = run(keep, 'review', { type: 'conflict', choice: 'replace' });
  assert.equal(replace.replan, 'replace');
  const replanned = await makePlan(plan.answers, root, { onConflict: 'replace' });
  const after = run(replace, 'review', { type: 'planned', plan: replanned });
  assert.deepEqual([after.plan, after.replan], [replanned, undefined]);
  assert.equal(reducer(review, { type: 'planned', plan: replanned }), review, 'no plan was asked for');
  const failed = run(keep, 'questions', { type: 'plan-failed', problems: ['cannot plan: x'] });
  assert.deepEqual(failed.problems, ['cannot plan: x']);
});

test('after the summary: p syncs (manager with targets) and Enter comes back; s starts; each says how it ended', async () => {
  const { root, inputs, node } = await demoNode();
  const answers = resolveAnswers({ ...MANAGER_ANSWERS, syncTargets: ['root@127.0.0.1:/srv/worker1/wso2am-2.1.0'], syncCronUser: 'root' });
  const plan = await makePlan(answers, root);
  const applying = run(reviewOf(inputs, node, plan), 'applying', { type: 'apply' });
  const summary = run(applying, 'summary', { type: 'applied', outcome: { result: { written: ['/etc/hosts'], recovered: [] } } });
  assert.equal(keysOf(summary), 'p sync the workers · s start the server · Enter or q: exit');
  const sync = run(summary, 'sync', { type: 'sync' });
  assert.deepEqual([sync.outcome, sync.plan], [summary.outcome, plan]);
  assert.equal(run(sync, 'summary', { type: 'back' }).outcome, summary.outcome);
  const failedPush = { status: 'failed' as const, workers: [], problems: [] };
  assert.deepEqual(pick(run(sync, 'farewell', { type: 'quit', sync: failedPush })), [EXIT.failed, 'Sync: failed.']);
  // Ctrl-C once nothing runs: the wizard ends as done, whatever the push said.
  assert.deepEqual(pick(run(sync, 'farewell', { type: 'interrupt', sync: failedPush })), [EXIT.done, 'Sync: failed.']);

  const start = run(summary, 'start', { type: 'start' }, { type: 'start-keys', keys: 'q quit' });
  assert.equal(start.keys, 'q quit');
  assert.equal(reducer(start, { type: 'start-keys', keys: 'q quit' }), start, 'the same keys: no new state');
  const fatal: StartOutcome = { status: 'failed', headline: 'failed: FATAL error during start', next: 'Read the FATAL entry', evidence: [], checks: [] };
  assert.deepEqual(pick(run(start, 'farewell', { type: 'quit', start: fatal })), [EXIT.failed, 'Server: failed: FATAL error during start. Next: Read the FATAL entry']);
  assert.deepEqual(pick(run(start, 'farewell', { type: 'interrupt' })), [EXIT.done, 'Done.']);
});

const pick = (s: Of<'farewell'>) => [s.code, s.message];

test('Ctrl-C before the apply, on every screen: exit 130, nothing written; q where it quits: exit 0', async () => {
  const { root, inputs, node } = await demoNode();
  const review = reviewOf(inputs, node, await makePlan(resolveAnswers(MANAGER_ANSWERS), root));
  const welcome = initialState(inputs);
  const role = run(welcome, 'role', { type: 'node-read', node }, { type: 'continue' });
  const questions = run(role, 'questions', { type: 'pick-role', role: 'manager' });
  for (const s of [welcome, role, questions, review]) {
    assert.deepEqual(pick(run(s, 'farewell', { type: 'interrupt' })), [EXIT.interrupted, 'Interrupted. Nothing was written.'], s.screen);
  }
  for (const s of [welcome, role, review]) assert.deepEqual(pick(run(s, 'farewell', { type: 'quit' })), [EXIT.quit, 'Quit. Nothing was written.'], s.screen);
  assert.equal(reducer(questions, { type: 'quit' }), questions, 'q is typed text on the questions');
  assert.equal(run(questions, 'farewell', { type: 'interrupt' }).role, 'manager', 'the last frame keeps the role');
});
