// Step 5 in the wizard: after the summary of a manager or worker, "Start the server now?" runs
// the real startServer on the demo home (its simulated wso2server.sh), the log shows while it
// comes up, and the verdict says ready (with the console URL) or what failed and what to do.
// Every server started here is stopped (and killed at the end, whatever happened).
import { stateDir } from '../src/core/node/layout.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serverPaths, stopServer, workerRestartPending } from '../src/core/run/server/index.js';
import { runningServer } from '../src/core/run/server/procs.js';
import { applyEvents, TAIL_CAP, type StartView } from '../src/ui/hooks/useServerStart.js';
import { compactLine } from '../src/ui/screens/Start.js';
import { DEMO_HOME, tempDir } from './helpers.js';
import { fakeJava, simHome, type SimHome } from './server-helpers.js';
import { bare } from './screen-helpers.js';
import { answerQuestions, flat, frameFits, KEY, liveFrame, MANAGER_TYPED, startWizard, toManagerReview, type Wizard } from './ui-helpers.js';

async function startOptions(scenario = 'normal', pace = '15', more: { timeoutMs?: number; clock?: () => number } = {}) {
  return { timeoutMs: 60_000, ...more, env: { JAVA_HOME: await fakeJava(), APIM_DEMO_SCENARIO: scenario, APIM_DEMO_PACE_MS: pace } };
}

async function stop(sim: SimHome): Promise<void> {
  const r = await stopServer({ home: sim.home, root: sim.root, onEvent: () => {} });
  assert.ok(r.status === 'stopped' || r.status === 'not-running', r.headline);
}

/** Every live frame seen so far fits the terminal. */
function assertFits(w: Wizard): void {
  for (const f of w.frames()) {
    if (!f.trim()) continue;
    const problem = frameFits(liveFrame(f));
    assert.equal(problem, undefined, `${problem}\n${liveFrame(f)}`);
  }
}

async function managerApplied(scenario = 'normal', pace = '15', more: { timeoutMs?: number; clock?: () => number } = {}): Promise<{ sim: SimHome; w: Wizard }> {
  const sim = await simHome();
  const w = await startWizard({ root: sim.root, home: DEMO_HOME }, { startOptions: await startOptions(scenario, pace, more) });
  await toManagerReview(w, MANAGER_TYPED);
  await w.press('a');
  const f = await w.waitFor('Start the server now?');
  assert.ok(f.includes('s start the server · Enter or q: exit'), f);
  return { sim, w };
}

test('a manager applied, then started: preflight, the log while it comes up, ready with the console URL', async () => {
  const { sim, w } = await managerApplied('normal', '25');
  await w.press('s');
  let f = liveFrame(await w.waitFor((x) => liveFrame(x).includes('Step 5 of 5 · Gateway Manager · Start')));
  // Log lines show (compact) before the verdict.
  f = liveFrame(await w.waitFor((x) => / INFO +\S+ /.test(liveFrame(x)) && !x.includes('ready in'), 'log lines before ready'));
  assert.ok(f.includes('Starting the Gateway Manager'), f);
  assert.match(f, /✔ launcher bin\/wso2server\.sh · API-M 2\.1\.0 · Java/);
  assert.match(bare(f), /\$sh\S*bin\/wso2server\.shstart/);
  assert.ok(f.includes('Ctrl-C stop watching (the server keeps starting)'), f);
  f = liveFrame(await w.waitFor('ready in', 'ready'));
  assert.match(f, new RegExp(`ready in \\d+ s — console at https://mgt\\.am\\.wso2\\.com:${sim.httpsPort}/carbon/`));
  assert.ok(f.includes('WSO2 Carbon started in'), f);
  assert.ok((await runningServer(sim.paths)) !== undefined, 'the server runs');

  // The full log, paged from the log file itself, and back.
  await w.press('l');
  f = liveFrame(await w.waitFor('Full log: lines'));
  assert.match(f, /Full log: lines \d+–\d+ of \d+ \(following the end\)/);
  await w.press(KEY.pageUp);
  await w.press('\x1b[H'); // Home
  f = liveFrame(await w.waitFor((x) => /^ +1 \d\d:\d\d:\d\d INFO +\S+/m.test(liveFrame(x)), 'the first page'));
  assert.ok(f.includes('Full log: lines 1–'), f);
  // A line wider than the row (the keystore warning) is read sideways: → shows what went past the edge.
  assert.match(f, /WARN +ValidationResultPrinter Carbon is configured.*…$/m);
  await w.press('\x1b[C'); // →
  f = liveFrame(await w.waitFor('from column 38', 'the page from column 38'));
  assert.match(f, /^ +\d+ …\s?Carbon is configured to use the default keystore \(wso2carbon\.jks\)/m);
  await w.press('\x1b[D'); // ←
  await w.waitFor((x) => !liveFrame(x).includes('from column'), 'back to column 1');
  await w.press('l');
  await w.waitFor((x) => liveFrame(x).includes('── log:'));
  assertFits(w);
  await w.press('q');
  await w.waitFor('Server: ready in');
  assert.equal(w.exitCode(), 0);
  await stop(sim);
});

test('a failed start: the headline, the lines that matter, the next step in plain words; exit 1', async () => {
  const { sim, w } = await managerApplied('fatal', '5');
  await w.press('s');
  const f = liveFrame(await w.waitFor('The FATAL entry that decided it', 'the failure'));
  assert.match(f.split('\n')[0]!, /Step 5 of 5 · Gateway Manager · Start/, 'the step line stays on top');
  assert.ok(f.includes('failed: FATAL error during start'), f);
  assert.match(f, /^ +\d+ \d\d:\d\d:\d\d FATAL CarbonServerManager WSO2 Carbon initialization Failed$/m);
  // The exception line whole, wrapped at a space: the file it names in one piece.
  assert.match(f, /^ +\d+ org\.wso2\.carbon\.CarbonException: Error while initializing the throttling$/m);
  assert.match(f, /^ +agent: invalid value in repository\/conf\/api-manager\.xml$/m);
  assert.ok(flat(f).includes('Next: Read the FATAL entry and what caused it (shown), then fix repository/conf/api-manager.xml'), f);
  assertFits(w);
  await w.press('q');
  await w.waitFor('Server: failed');
  assert.equal(w.exitCode(), 1);
  await stop(sim);
});

test('nothing to change, then start: an already running server is offered a restart (stop, then start)', async () => {
  const { sim, w } = await managerApplied('normal', '5');
  await w.press('s');
  await w.waitFor('ready in');
  await w.press('q');
  await w.waitFor('Server: ready in');
  await w.unmount();

  // A second run: nothing to change, and the start offer is still there.
  const again = await startWizard({ root: sim.root, home: DEMO_HOME }, { startOptions: await startOptions('normal', '5') });
  await toManagerReview(again, {});
  let f = await again.waitFor('Nothing to change');
  await again.press('a');
  f = await again.waitFor('Start the server now?');
  assert.ok(f.includes('Nothing to change: no file was written.'), f);
  await again.press('s');
  f = liveFrame(await again.waitFor('r restarts it'));
  assert.match(f, /✖ already running \(pid \d+/);
  const before = (await runningServer(sim.paths))!.pid;
  await again.press('r');
  f = liveFrame(await again.waitFor((x) => liveFrame(x).includes('ready in'), 'ready after the restart'));
  assert.ok(f.includes('Shutdown complete') || f.includes('ready in'), f);
  const after = (await runningServer(sim.paths))!.pid;
  assert.notEqual(after, before, 'a new server process');
  assertFits(again);
  await again.unmount();
  await stop(sim);
});

test('Ctrl-C while starting stops watching; the server keeps starting and the wizard says so', async () => {
  const { sim, w } = await managerApplied('normal', '60');
  await w.press('s');
  await w.waitFor((x) => / INFO +\S+ /.test(liveFrame(x)), 'the first log lines');
  await w.press(KEY.ctrlC);
  await w.waitFor('no longer watching the log');
  const f = liveFrame(await w.waitFor((x) => flat(liveFrame(x)).includes('status tells when it is up'), 'the outcome'));
  assert.ok(f.includes('stopped following the log; the server keeps starting in the background'), f);
  assert.equal(w.exitCode(), undefined, 'the wizard is still there');
  await w.press('q');
  await w.waitFor('Server: stopped following the log');
  assert.equal(w.exitCode(), 0);
  await stop(sim);
});

test('never ready: the wait in elapsed time and limit (on the injected clock), degraded by the repeated warning, then given up with the really last lines', async () => {
  let now = 1_700_000_000_000;
  const { sim, w } = await managerApplied('never-ready', '15', { timeoutMs: 600_000, clock: () => now });
  await w.press('s');
  let f = liveFrame(await w.waitFor((x) => liveFrame(x).includes('waiting 0:00 of 10:00'), 'the wait with its limit'));
  f = liveFrame(await w.waitFor((x) => liveFrame(x).includes('started, but degraded'), 'degraded'));
  assert.ok(flat(f).includes('Degraded: it keeps retrying'), f);
  assert.ok(flat(f).includes('KeyTemplateRetriever: Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused).'), f);
  now += 72_000;
  f = liveFrame(await w.waitFor((x) => liveFrame(x).includes('The Gateway Manager started, but degraded… waiting 1:12 of 10:00'), 'the elapsed time moved with the clock'));
  assertFits(w);
  now += 600_000;
  f = liveFrame(await w.waitFor('not ready after 10 min', 'given up at the limit'));
  assert.match(f, /Retrying, \d+ times since line \d+:/);
  assert.match(f, /The last lines written/);
  // The last row of evidence is a retried warning: the last lines are the last ones.
  const numbered = f.split('\n').filter((l) => /^ +\d+ \d\d:\d\d:\d\d /.test(l));
  assert.match(numbered.at(-1)!, /WARN +KeyTemplateRetriever Failed retrieving throttling data/);
  assert.ok(flat(f).includes('Traffic Manager'), f);
  assertFits(w);
  await w.press('q');
  await w.waitFor('Server: not ready after 10 min');
  assert.equal(w.exitCode(), 1);
  await stop(sim);
});

const WORKER = {
  role: 'worker',
  productHome: DEMO_HOME,
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  managerIp: '192.0.2.10',
  hazelcast: false,
  resetDeployment: true,
};

test('a worker: the deployment reset needs its own yes (default no); first start, then the restart WSO2 asks for', async () => {
  const sim = await simHome();
  const answers = join(await tempDir(), 'worker.json');
  await writeFile(answers, JSON.stringify(WORKER));
  const w = await startWizard({ root: sim.root, answers }, { startOptions: await startOptions('normal', '5') });
  await w.waitFor('Found');
  await w.press(KEY.enter);
  await w.waitFor('What is this node?');
  await w.press(KEY.enter);
  await w.waitFor('Gateway Worker · Questions 1/');
  let f = await answerQuestions(w);
  assert.match(f, /reset +\/opt\/wso2am-2\.1\.0\/repository\/deployment\/server\//, f);
  const marker = join(sim.root, DEMO_HOME, 'repository/deployment/server');
  const inode = (await stat(marker)).ino;

  // a asks first; Enter is no: back to the review, nothing moved.
  await w.press('a');
  f = await w.waitFor('Move it and apply?');
  assert.ok(f.includes('[y/N]'));
  // A path wraps after a `/` (rejoined here).
  assert.ok(flat(f).replace(/\/ /g, '/').includes(`moves whole, with everything in it, into this apply's backup: ${stateDir('/opt/wso2am-2.1.0')}/checkpoints/`), f);
  assert.ok(flat(f).includes('rollback moves it back'), f);
  assert.equal(frameFits(f), undefined);
  await w.press(KEY.enter);
  await w.waitFor('· Review');
  assert.equal((await stat(marker)).ino, inode, 'not moved');

  await w.press('a');
  await w.waitFor('Move it and apply?');
  await w.press('y');
  f = await w.waitFor('Start the server now?');
  assert.ok(f.includes('Said'), f);
  assert.ok(flat(f).includes('a new one is in its place, empty'), f);
  assert.notEqual((await stat(marker)).ino, inode, 'moved to the backup');

  assert.equal(await workerRestartPending(serverPaths(DEMO_HOME, sim.root)), true);
  await w.press('s');
  f = liveFrame(await w.waitFor('r restarts it now'));
  assert.ok(f.includes('Step 5 of 5 · Gateway Worker · Start'), f);
  assert.ok(flat(f).includes('WSO2 asks to restart a worker once after its first start'), f);
  await w.press('r');
  f = liveFrame(await w.waitFor('Restarted once after the first start'));
  assert.ok(f.includes('ready in'), f);
  assert.equal(await workerRestartPending(serverPaths(DEMO_HOME, sim.root)), false, 'remembered');
  assertFits(w);
  await w.unmount();
  await stop(sim);
});

test('the view model: bursts become one batch, the tail is capped, <Static> starts new generations', () => {
  let id = 0;
  let view: StartView = {
    phase: 'starting', kind: 'start', checks: [], said: [], tail: [], count: 0, firstStart: false, restartDone: false, aborted: false, staticGen: 0, chunks: [],
  };
  for (let b = 0; b < 150; b++) {
    const lines = Array.from({ length: 10 }, (_, i) => ({ n: b * 10 + i + 1, text: `line ${b * 10 + i + 1}`, continuation: false }));
    view = applyEvents(view, [{ type: 'lines', lines: lines.slice(0, 5) }, { type: 'lines', lines: lines.slice(5) }], () => ++id);
  }
  assert.equal(view.count, 1500);
  assert.equal(view.tail.length, TAIL_CAP);
  assert.equal(view.tail.at(-1)!.text, 'line 1500');
  assert.equal(id, 150, 'one chunk per burst');
  assert.ok(view.staticGen >= 1 && view.chunks.length <= 100);
  assert.equal(
    compactLine('TID: [-1234] [] [2017-04-30 21:25:49,283]  INFO {org.wso2.carbon.core.internal.StartupFinalizerServiceComponent} -  WSO2 Carbon started in 124 sec {org.wso2.carbon.core.internal.StartupFinalizerServiceComponent}'),
    '21:25:49 INFO  StartupFinalizerServiceComponent WSO2 Carbon started in 124 sec',
  );
  // A tab is drawn as four spaces (a terminal would widen it past what the layout counted); an ESC is shown, not sent.
  assert.equal(compactLine('\tat java.lang.Thread.run(Thread.java:748)'), '    at java.lang.Thread.run(Thread.java:748)');
  assert.equal(compactLine('evil \x1b]0;owned\x07 title'), 'evil \\x1b]0;owned\\x07 title');
});
