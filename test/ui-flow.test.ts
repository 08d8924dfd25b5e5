// The whole wizard over a temp root with the real core: apply writes what core's apply
// writes, answers are saved (mode 600), a re-run is pre-filled and has nothing to change,
// --answers carries the answers to the next node, Ctrl-C never leaves a half write.
import { stateDir } from '../src/core/node/layout.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { answersJson } from '../src/core/answers/save.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { makePlan } from '../src/core/plan/plan.js';
import { PICTURE_ROWS } from '../src/ui/components/cluster-layout.js';
import { DEMO_HOME, demoSandbox, treeState } from './helpers.js';
import { answerQuestions, flat, KEY, MANAGER_ANSWERS, startWizard, toManagerReview, type Wizard } from './ui-helpers.js';

// The wizard's state folder (core/node/layout.ts stateDir), relative to the root.
const STATE = stateDir('/opt/wso2am-2.1.0').slice(1);
const SAVED = join(STATE, 'answers.json');

/** The node's files without the wizard's own directory (backups carry timestamps). */
async function nodeFiles(root: string): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await treeState(root)).filter(([p]) => !p.startsWith('var/lib/apim-gateway-wizard/')));
}


/** What core plans and writes for the same answers on an untouched copy of the node. */
async function coreApply(): Promise<{ root: string; summary: string; written: string[] }> {
  const root = await demoSandbox();
  const plan = await makePlan(resolveAnswers(MANAGER_ANSWERS), root);
  const result = await applyPlan(plan, { root });
  return { root, summary: plan.summary, written: result.written };
}

test('apply writes the files, saves the answers; the summary says where; a re-run has nothing to change', async () => {
  const core = await coreApply();
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME });
  let f = await toManagerReview(w);
  assert.ok(f.includes(core.summary));
  await w.press('a');
  f = await w.waitFor('Applied: ');
  assert.ok(f.includes('· Summary'));
  assert.ok(f.includes(`Applied: ${core.written.length} files written.`), f);
  // The files written, in plan order: as many as fit above the picture, then "… and N more".
  const listed = [...f.matchAll(/^  ✔ (\S+)$/gm)].map((m) => m[1]);
  const more = Number(/… and (\d+) more/.exec(f)?.[1] ?? 0);
  assert.ok(listed.length >= 2, f);
  assert.deepEqual(listed, core.written.slice(0, listed.length));
  assert.equal(listed.length + more, core.written.length);
  assert.equal(listed[0], '/opt/wso2am-2.1.0/repository/conf/carbon.xml');
  // The one checkpoint on disk is the backup the summary names (a long path wraps inside the frame).
  const checkpoints = await readdir(join(root, STATE, 'checkpoints'));
  assert.equal(checkpoints.length, 1);
  const backup = join(root, STATE, 'checkpoints', checkpoints[0]!);
  assert.ok(f.replace(/\n {11}/g, '').includes(`Backups    ${backup}`), f);
  assert.ok(flat(f).includes('Answers saved (mode 600). On the next node, with that file copied there, run:'), f);
  const saved = join(root, SAVED);
  // Compared without blanks: the frame wraps the command (and cuts a path longer than a line).
  const bare = (x: string) => x.replace(/\s+/g, '');
  assert.ok(bare(f).includes(bare(`run: apim-gateway-wizard --root ${root} --answers ${saved} --role worker`)), f);
  // The cluster picture, unless the paths (a long temp root) leave it no room in 80×24.
  const rows = f.replace(/\n+$/, '').split('\n');
  let free = 0; // blank rows above the keys line
  while (rows.length - 2 - free >= 0 && rows[rows.length - 2 - free]!.trim() === '') free++;
  assert.ok(f.includes('┌ Manager ★ this node') || free < PICTURE_ROWS, `the cluster picture:\n${f}`);
  assert.equal((await stat(saved)).mode & 0o777, 0o600);

  // The same answers through core on another copy give the same files and the same saved answers.
  assert.deepEqual(await nodeFiles(root), await nodeFiles(core.root));
  assert.equal(await readFile(saved, 'utf8'), answersJson(resolveAnswers(MANAGER_ANSWERS)));

  await w.press(KEY.enter);
  f = await w.waitFor('Done.');
  assert.equal(w.exitCode(), 0);
  assert.ok(f.replace(/\n/g, '').includes(`Backups:   ${backup}`), 'the paths stay on the terminal');
  assert.ok(bare(f).includes(bare(`Answers: ${saved} (mode 600)`)), f);

  // Second run: everything from the files and the saved answers, nothing to change.
  const after = await treeState(root);
  const again = await startWizard({ root, home: DEMO_HOME });
  f = await again.waitFor('This node');
  assert.ok(flat(f).includes('already configured as a Gateway Manager'));
  assert.ok(flat(f).includes('(from the last apply)'));
  await again.press(KEY.enter);
  f = await again.waitFor('What is this node?');
  assert.ok(f.includes('❯ Gateway Manager'), 'the role the files say');
  await again.press(KEY.enter);
  f = await again.waitFor(/Questions 1\/\d+/);
  assert.ok(f.includes('  > am.wso2.com'));
  assert.ok(f.includes('from carbon.xml · carbon.xml <HostName>'));
  assert.match(f, /Management host name +mgt\.am\.wso2\.com +from carbon\.xml/);
  assert.match(f, /Manager address +192\.0\.2\.10 +saved answers/);
  assert.match(f, /Worker addresses +192\.0\.2\.21, 192\.0\.2\.22 +saved answers/);
  assert.match(f, /Cluster name → address +192\.0\.2\.21 +from \/etc\/hosts/);
  assert.match(f, /Proxy HTTP port +80 +from catalina-server\.xml/);
  assert.match(f, /Proxy HTTPS port +443 +from catalina-server\.xml/);
  f = await answerQuestions(again);
  assert.ok(f.includes('Nothing to change: '), f);
  assert.match(f, /unchanged +\/etc\/hosts/);
  assert.ok(f.includes('a finish (nothing to write)'));
  await again.press('a');
  await again.waitFor('Nothing to change: no file was written.');
  await again.press('q');
  await again.waitFor('Nothing was written.');
  assert.equal(again.exitCode(), 0);
  assert.deepEqual(await treeState(root), after);
});

test('the next node: --answers from the manager with --role worker', async () => {
  const manager = await demoSandbox();
  const m = await startWizard({ root: manager, home: DEMO_HOME });
  await toManagerReview(m);
  await m.press('a');
  await m.waitFor('Applied');
  await m.unmount();

  const worker = await demoSandbox();
  const w = await startWizard({ root: worker, home: DEMO_HOME, answers: join(manager, SAVED), role: 'worker' });
  let f = await w.waitFor('Found');
  assert.match(flat(f), /Answers file .*answers\.json \(--answers\)/);
  // --role names the role: its questions come next.
  await w.press(KEY.enter);
  f = await w.waitFor('Gateway Worker · Questions 1/');
  assert.match(f, /Manager address +192\.0\.2\.10 +--answers file/);
  f = await answerQuestions(w);
  assert.match(f, /\d+ files? to change/);
  assert.ok(f.includes('┌ Worker ★ this node'));
  await w.press('a');
  await w.waitFor('Applied: ');
  const hosts = await readFile(join(worker, 'etc/hosts'), 'utf8');
  assert.ok(hosts.includes('192.0.2.10\tmgt.am.wso2.com\n'));
  const carbon = await readFile(join(worker, DEMO_HOME, 'repository/conf/carbon.xml'), 'utf8');
  assert.ok(carbon.includes('<HostName>am.wso2.com</HostName>'));
  assert.ok(carbon.includes('<!--MgtHostName>mgt.wso2.org</MgtHostName-->'), 'no MgtHostName on a worker');
  await w.unmount();
});

test('Ctrl-C before apply, on every screen: exits 130, says nothing was written, and wrote nothing', async () => {
  const screens: Array<[string, (w: Wizard) => Promise<unknown>]> = [
    ['welcome', (w) => w.waitFor('Found')],
    ['role', async (w) => {
      await w.waitFor('Found');
      await w.press(KEY.enter);
      return w.waitFor('What is this node?');
    }],
    ['questions', async (w) => {
      await w.waitFor('Found');
      await w.press(KEY.enter);
      await w.waitFor('What is this node?');
      await w.press(KEY.enter);
      await w.waitFor('Questions 1/');
      return w.type('half-typed');
    }],
    ['review', (w) => toManagerReview(w)],
    ['diff', async (w) => {
      await toManagerReview(w);
      await w.press(KEY.enter);
      return w.waitFor('+++ b/');
    }],
  ];
  for (const [name, reach] of screens) {
    const root = await demoSandbox();
    const before = await treeState(root);
    const w = await startWizard({ root, home: DEMO_HOME });
    await reach(w);
    await w.press(KEY.ctrlC);
    const f = await w.waitFor('Nothing was written.', `the goodbye on ${name}`);
    assert.ok(f.includes('Interrupted. Nothing was written.'), name);
    assert.equal(w.exitCode(), 130, name);
    assert.deepEqual(await treeState(root), before, name);
  }
});

test('Ctrl-C during apply waits until every file is written, then quits', async () => {
  const root = await demoSandbox();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const w = await startWizard(
    { root, home: DEMO_HOME },
    {
      // core's own seam: hold the first write until the test has pressed Ctrl-C.
      beforeWrite: async (index) => {
        if (index === 0) await gate;
      },
    },
  );
  await toManagerReview(w);
  await w.press('a');
  await w.waitFor('Ctrl-C waits until every file is written or restored.');
  await w.press(KEY.ctrlC);
  await w.waitFor('Ctrl-C: quitting as soon as every file is written or restored.');
  assert.equal(w.exitCode(), undefined, 'still running');
  release();
  const f = await w.waitFor('Applied; quit on Ctrl-C.');
  assert.match(f, /Applied: \d+ file\(s\) written\./);
  assert.equal(w.exitCode(), 0);
  const carbon = await readFile(join(root, DEMO_HOME, 'repository/conf/carbon.xml'), 'utf8');
  assert.ok(carbon.includes('<MgtHostName>mgt.am.wso2.com</MgtHostName>'));
  assert.ok((await readFile(join(root, 'etc/hosts'), 'utf8')).includes('192.0.2.21\tam.wso2.com'));
  assert.equal((await stat(join(root, SAVED))).mode & 0o777, 0o600, 'answers saved before quitting');
});

test('a failed apply says what was restored, and the files are as before', async () => {
  const root = await demoSandbox();
  const before = await nodeFiles(root);
  const w = await startWizard(
    { root, home: DEMO_HOME },
    {
      beforeWrite: (index) => {
        if (index === 2) throw new Error('disk full (injected)');
      },
    },
  );
  await toManagerReview(w);
  await w.press('a');
  const f = await w.waitFor('The apply failed.');
  assert.ok(flat(f).includes('apply failed: disk full (injected)'), f);
  assert.ok(f.includes('Put back as they were:'));
  assert.ok(f.includes('↺ /opt/wso2am-2.1.0/repository/conf/carbon.xml'));
  assert.ok(f.includes('↺ /opt/wso2am-2.1.0/repository/conf/tomcat/catalina-server.xml'));
  assert.deepEqual(await nodeFiles(root), before);
  await w.press('q');
  await w.waitFor('The apply failed; the files were left as they were before it.');
  assert.equal(w.exitCode(), 1);
});
