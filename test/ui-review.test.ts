// Review: summary line first, the cluster, the files with their status, a file's diff on
// Enter with scrolling inside the frame, b back to the answers, q quits without writing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_HOME, demoSandbox, treeState } from './helpers.js';
import { resolveAnswers } from '../src/core/answers/load.js';
import { makePlan } from '../src/core/plan/plan.js';
import { answerQuestions, frameFits, KEY, MANAGER_ANSWERS, openQuestion, startWizard, toManagerReview } from './ui-helpers.js';

const body = (f: string) => f.split('\n').slice(3).filter((l) => l.trim() !== '');

/** The summary core gives the same answers on an untouched copy of the node. */
async function coreSummary(): Promise<string> {
  return (await makePlan(resolveAnswers(MANAGER_ANSWERS), await demoSandbox())).summary;
}

test('summary line first, then the cluster, then the files with status and why', async () => {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME });
  const f = await toManagerReview(w);
  const lines = body(f);
  assert.equal(lines[0], await coreSummary());
  assert.match(lines[0]!, /^\d+ files? to change, \d+ to create, \d+ unchanged/);
  assert.equal(lines[1], 'API-M 2.1.0 · start: wso2server.sh start');
  assert.ok(lines[2]!.includes('┌ Load balancer (nginx)'));
  assert.ok(f.includes('┌ Manager ★ this node'));
  assert.ok(f.includes('│ 192.0.2.10 '));
  assert.ok(f.includes('│ 192.0.2.22 '));
  assert.match(f, /❯ change +\/opt\/wso2am-2\.1\.0\/repository\/conf\/carbon\.xml/);
  assert.match(f, /  change +\/opt\/wso2am-2\.1\.0\/repository\/conf\/tomcat\/catalina-server\.xml/);
  assert.match(f, /  change +\/etc\/hosts/);
  assert.ok(f.includes('why: HostName am.wso2.com and MgtHostName mgt.am.wso2.com (Gateway Manager)'));
  assert.ok(f.includes('a apply · b back to the answers · q quit'));
  await w.unmount();
});

test('Enter shows a file\'s diff; ↓ picks another file; Esc returns to the list', async () => {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME });
  await toManagerReview(w);
  await w.press(KEY.enter);
  let f = await w.waitFor('+++ b/opt/wso2am-2.1.0/repository/conf/carbon.xml');
  assert.ok(f.includes('-    <!--HostName>www.wso2.org</HostName-->'));
  assert.ok(f.includes('+    <HostName>am.wso2.com</HostName>'));
  assert.ok(f.includes('+    <MgtHostName>mgt.am.wso2.com</MgtHostName>'));
  assert.ok(!f.includes('====='), 'no jsdiff separator');
  await w.press(KEY.esc);
  await w.waitFor('files to change');
  await w.press(KEY.down, KEY.down, KEY.enter);
  f = await w.waitFor('+++ b/etc/hosts');
  // Tabs shown as spaces, so each row of the diff is one row on screen.
  assert.ok(f.includes('+192.0.2.21     am.wso2.com'), f);
  await w.unmount();
});

test('a long diff scrolls inside the frame: ↓, PgDn, PgUp; the frame never grows', async () => {
  const root = await demoSandbox();
  const size = { columns: 80, rows: 14 };
  const w = await startWizard({ root, home: DEMO_HOME }, { size });
  await toManagerReview(w);
  await w.press(KEY.enter);
  let f = await w.waitFor(/lines 1–\d+ of \d+ · more below/);
  const [, shown, total] = /lines 1–(\d+) of (\d+)/.exec(f)!.map(Number);
  assert.ok(f.includes('--- a/opt/wso2am-2.1.0/repository/conf/carbon.xml'));
  await w.press(KEY.down);
  f = await w.waitFor(`lines 2–${shown! + 1} of ${total}`);
  assert.ok(!f.includes('--- a/opt'), 'the first line scrolled out');
  await w.press(KEY.pageDown, KEY.pageDown);
  f = await w.waitFor(new RegExp(`lines \\d+–${total} of ${total}\\n`));
  assert.ok(f.includes('<ServerURL>'), 'the last context line is in view');
  // Back up more pages than there are: stops at the first line.
  await w.press(KEY.pageUp, KEY.pageUp, KEY.pageUp, KEY.pageUp);
  await w.waitFor(`lines 1–${shown} of ${total}`);
  for (const frame of w.frames()) assert.equal(frameFits(frame, size), undefined);
  await w.unmount();
});

test('b goes back to the answers; a changed answer changes the diff', async () => {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME });
  await toManagerReview(w);
  await w.press('b');
  let f = await w.waitFor('Questions');
  // Back where the questions ended; Esc walks back to the second one.
  for (let n = openQuestion(f)!.number; n > 2; n--) {
    await w.press(KEY.esc);
    f = await w.waitFor(`Questions ${n - 1}/`);
  }
  assert.equal(openQuestion(f)!.key, 'mgtHostName');
  await answerQuestions(w, { mgtHostName: 'console.example.com' });
  await w.press(KEY.enter);
  f = await w.waitFor('+++ b/opt');
  assert.ok(f.includes('+    <MgtHostName>console.example.com</MgtHostName>'));
  await w.unmount();
});

test('q quits from the review: nothing written, and says so', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const w = await startWizard({ root, home: DEMO_HOME });
  await toManagerReview(w);
  await w.press('q');
  const f = await w.waitFor('Nothing was written.');
  assert.equal(w.exitCode(), 0);
  assert.ok(f.includes('Quit. Nothing was written.'));
  assert.deepEqual(await treeState(root), before);
});
