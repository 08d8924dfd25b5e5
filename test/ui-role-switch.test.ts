// Issue 16 item 4 in the wizard: a configured manager asked to become a worker shows what the
// switch changes and leaves (read from its saved answers and files), and asks before the
// review: No goes back to the role, y to the review; at 80×24 every line is whole. Item 6:
// a change to the answers alone is in the review, and `a` saves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { savedAnswersPath } from '../src/core/answers/save.js';
import { resolveAnswers } from '../src/core/answers/load.js';
import { makePlan } from '../src/core/plan/plan.js';
import { inspectNode } from '../src/core/node/session.js';
import { reducer } from '../src/ui/state/reducer.js';
import { keysOf, type WizardState } from '../src/ui/state/screens.js';
import { switchRows } from '../src/ui/screens/ConfirmSwitch.js';
import { DEMO_HOME, demoSandbox, REPO, runCli } from './helpers.js';
import { frameFits, KEY, openQuestion, startWizard, type Wizard } from './ui-helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');

async function configuredManager(): Promise<{ root: string; saved: string }> {
  const root = await demoSandbox();
  const r = runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']);
  assert.equal(r.code, 0, r.stderr);
  return { root, saved: join(root, savedAnswersPath(DEMO_HOME)) };
}

/** Accepts every pre-filled question until `until` is on screen. */
async function acceptAll(w: Wizard, until: string): Promise<string> {
  for (let step = 0; step < 60; step++) {
    const f = w.frame();
    if (f.includes(until)) return f;
    const open = openQuestion(f);
    assert.ok(open, `no open question in:\n${f}`);
    await w.press(KEY.enter);
    await w.waitFor((x) => x.includes(until) || openQuestion(x)?.key !== open.key || x.includes('✖'), `after ${open.key}`);
    assert.ok(!w.frame().includes('✖'), w.frame());
  }
  throw new Error(`never reached ${until}`);
}

test('manager → worker: the switch is shown and asked; n back to the role, y to the review; every row whole at 80×24', async () => {
  const { root, saved } = await configuredManager();
  const before = await readFile(saved, 'utf8');
  const w = await startWizard({ root, answers: saved, role: 'worker' });
  await w.waitFor('Found');
  // --role names the role: its questions come next; Esc shows the roles, with what the node is.
  await w.press(KEY.enter);
  await w.waitFor('Gateway Worker · Questions');
  await w.press(KEY.esc);
  let f = await w.waitFor('What is this node?');
  assert.ok(f.includes('Its saved answers say: Gateway Manager.'), f);
  await w.press(KEY.enter);
  await w.waitFor('Gateway Worker · Questions');
  f = await acceptAll(w, 'Switch this node to Gateway Worker?');
  assert.equal(frameFits(f), undefined, f);
  assert.ok(f.includes('This node is configured as a Gateway Manager'), f);
  assert.ok(f.includes('The switch changes:'), f);
  assert.ok(f.includes('y switch and review'), f);
  // The whole text, scrolled through: the cron job and the sync script are left behind.
  const seen = new Set<string>(f.split('\n'));
  for (let i = 0; i < 30; i++) {
    await w.press(KEY.down);
    w.frame().split('\n').forEach((l) => seen.add(l));
    assert.equal(frameFits(w.frame()), undefined, w.frame());
  }
  const text = [...seen].join('\n');
  assert.ok(text.includes('/etc/cron.d/apim-gateway-wizard-depsync stays as it is'), text);
  assert.ok(text.includes('MgtHostName mgt.am.wso2.com'), text);
  await w.press('n');
  f = await w.waitFor('What is this node?');
  assert.equal(await readFile(saved, 'utf8'), before, 'nothing written');
  await w.press(KEY.enter);
  await w.waitFor('Gateway Worker · Questions');
  await acceptAll(w, 'Switch this node to Gateway Worker?');
  await w.press('y');
  f = await w.waitFor('· Review');
  assert.ok(f.includes('answers: role manager → worker'), f);
  assert.equal(frameFits(f), undefined, f);
  await w.unmount();
});

test('a third worker typed in the questions: the review shows the answers change, a saves it', async () => {
  const { root, saved } = await configuredManager();
  const w = await startWizard({ root, home: DEMO_HOME });
  await w.waitFor('Found');
  await w.press(KEY.enter);
  await w.waitFor('What is this node?');
  await w.press(KEY.enter);
  await w.waitFor('Gateway Manager · Questions');
  for (let step = 0; step < 60 && !w.frame().includes('· Review'); step++) {
    const open = openQuestion(w.frame())!;
    if (open.key === 'workerIps') {
      await w.press(KEY.end);
      await w.type(', 192.0.2.23');
      await w.waitFor((x) => openQuestion(x)?.text.endsWith('192.0.2.23') === true);
    }
    await w.press(KEY.enter);
    await w.waitFor((x) => x.includes('· Review') || openQuestion(x)?.key !== open.key);
  }
  const f = w.frame();
  assert.ok(f.includes('Only the saved answers change'), f);
  assert.ok(f.includes('answers: workerIps + 192.0.2.23'), f);
  // The warning about the worker without a sync target, whole (wrapped, never cut).
  const flat = f.replace(/\s*\n\s*/g, ' ');
  assert.ok(flat.includes('workerIps lists 192.0.2.23, but syncTargets pushes to no such address: that worker would not get deployed APIs'), f);
  assert.equal(frameFits(f), undefined, f);
  await w.press('a');
  await w.waitFor('Summary');
  assert.deepEqual(JSON.parse(await readFile(saved, 'utf8')).workerIps, ['192.0.2.21', '192.0.2.22', '192.0.2.23']);
  await w.unmount();
});

test('the reducer: a switching plan goes to confirm-switch; back is the role screen, switch-role the review', async () => {
  const { root, saved } = await configuredManager();
  const node = await inspectNode(DEMO_HOME, root);
  const layer = JSON.parse(await readFile(saved, 'utf8'));
  const answers = resolveAnswers(layer, { role: 'worker' });
  const plan = await makePlan(answers, root);
  assert.ok(plan.roleSwitch);
  const q: WizardState = { screen: 'questions', home: DEMO_HOME, node, role: 'worker', edits: {}, question: 0, problems: [], planning: answers };
  const c = reducer(q, { type: 'planned', plan });
  assert.equal(c.screen, 'confirm-switch');
  assert.match(keysOf(c as Exclude<typeof c, { screen: 'farewell' }>), /^y switch and review/);
  assert.equal(reducer(c, { type: 'back' }).screen, 'role');
  assert.equal(reducer(c, { type: 'apply' }).screen, 'confirm-switch', 'a does not apply past the question');
  assert.equal(reducer(c, { type: 'switch-role' }).screen, 'review');
  assert.equal(reducer(c, { type: 'quit' }).screen, 'farewell');
  // Every row of the screen fits 80 columns, whatever the paths.
  for (const r of switchRows(plan.roleSwitch, 78)) assert.ok(r.text.length <= 78, r.text);
});

test('no switch and no answers change on the same answers; a saved file that is not JSON is written anew, said so', async () => {
  const { root, saved } = await configuredManager();
  const plan = await makePlan(resolveAnswers(JSON.parse(await readFile(saved, 'utf8'))), root);
  assert.equal(plan.roleSwitch, undefined);
  assert.deepEqual(plan.answersChanges, []);
  // A saved file that is not JSON: written anew, and said so.
  await writeFile(saved, '{ not json');
  const again = await makePlan(resolveAnswers(JSON.parse(await readFile(MANAGER, 'utf8'))), root);
  assert.match(again.answersChanges[0]!, /^the saved file is written anew \(it could not be used: /);
});
