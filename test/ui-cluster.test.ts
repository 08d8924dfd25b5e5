// The cluster screens (cluster review) in ink-testing-library at 80×24, over runs the test
// drives: when the check answers, and which events the apply sends and how fast (a whole burst
// before one render). The runs over real Ansible are in test/cluster-review-tmux.test.ts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { act, createElement } from 'react';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { readCluster, type Cluster } from '../src/core/cluster/derive.js';
import type { ProgressEvent } from '../src/core/cluster/progress.js';
import type { NodeOutcome } from '../src/core/cluster/results.js';
import type { ClusterApplied } from '../src/core/cluster/run.js';
import { ClusterApp } from '../src/ui/cluster/ClusterApp.js';
import { DEMO_HOME, tempDir } from './helpers.js';
import { KEY, SIZE, frameFits } from './ui-helpers.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const NODES = [
  ['manager', 'manager', '192.0.2.11'],
  ['worker-1', 'worker', '192.0.2.21'],
  ['worker-2', 'worker', '192.0.2.22'],
  ['load-balancer', 'load-balancer', '192.0.2.31'],
] as const;

async function fourNodes(): Promise<Cluster> {
  const file = join(await tempDir('agw-ui-cluster-'), 'cluster.json');
  await writeFile(file, JSON.stringify({
    cluster: 1,
    shared: { hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', selfSignedCertificate: true },
    nodes: NODES.map(([name, role, address]) => ({ name, role, address, ...(role === 'load-balancer' ? {} : { productHome: DEMO_HOME }) })),
  }));
  return readCluster(file);
}

/** A diff of `n` changed lines in carbon.xml: long enough to scroll at 80×24. */
function carbonDiff(node: string, n: number): string {
  const lines = Array.from({ length: n }, (_, i) => `+    <Line${i}>${node}</Line${i}>`);
  return [`--- ${DEMO_HOME}/repository/conf/carbon.xml`, `+++ ${DEMO_HOME}/repository/conf/carbon.xml`, `@@ -1,1 +1,${n + 1} @@`, ' <Server>', ...lines, ''].join('\n');
}

function outcome(name: string, state: NodeOutcome['state'], diffRows = 3): NodeOutcome {
  const [, role, address] = NODES.find((n) => n[0] === name)!;
  if (state === 'unreachable') return { name, role, address, state, message: 'Failed to connect to the host via ssh' };
  const pending = state === 'pending';
  return {
    name, role, address, state,
    document: {
      summary: pending ? `1 file to change on ${name}` : 'Nothing to change',
      files: [{ path: `${DEMO_HOME}/repository/conf/carbon.xml`, status: pending ? 'change' : 'unchanged', reasons: ['HostName'], diff: pending ? carbonDiff(name, diffRows) : '' }],
      answers: [], warnings: [], pending: pending ? 1 : 0, errors: [], exitCode: pending ? 2 : 0,
    },
  };
}

interface Deferred<T> { promise: Promise<T>; resolve: (v: T) => void }
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 5));
const mounted: (() => void)[] = [];
after(() => mounted.forEach((u) => u()));

async function mount(cluster: Cluster, runs: { check: () => Promise<NodeOutcome[]>; apply?: (onEvent: (e: ProgressEvent) => void) => Promise<ClusterApplied> }, start = true) {
  let code: number | undefined;
  let checks = 0;
  let applies = 0;
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(createElement(ClusterApp, {
      cluster, file: 'cluster.json', choices: { start, syncDelete: false }, size: SIZE,
      runs: { check: () => (checks++, runs.check()), apply: (onEvent) => (applies++, (runs.apply ?? (() => new Promise<ClusterApplied>(() => {})))(onEvent)) },
      onExit: (c: number) => (code = c),
    }));
  });
  mounted.push(() => r.unmount());
  const frame = () => stripVTControlCharacters([...r.frames].reverse().find((f) => f.trim() !== '') ?? '');
  return {
    frame,
    code: () => code,
    checks: () => checks,
    applies: () => applies,
    /** All the keys in one act(): React renders once, after the last. */
    burst: (...keys: string[]) => act(async () => { for (const k of keys) r.stdin.write(k); }),
    press: async (...keys: string[]) => { for (const k of keys) await act(async () => { r.stdin.write(k); await new Promise((res) => setImmediate(res)); }); },
    waitFor: async (pred: string | RegExp) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const f = frame();
        if (typeof pred === 'string' ? f.includes(pred) : pred.test(f)) return f;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pred)}; last frame:\n${f}`);
        await act(tick);
      }
    },
  };
}

test('the review: every node in one row, the selected one\'s line whole, its diffs on Enter; Tab the next node\'s; the frame fits 80×24', async () => {
  const cluster = await fourNodes();
  const checked = deferred<NodeOutcome[]>();
  const s = await mount(cluster, { check: () => checked.promise });
  let f = await s.waitFor('Checking 4 nodes at once over Ansible');
  // Keys while checking do nothing (no node to act on yet); only q would quit.
  await s.burst('a', KEY.down, KEY.enter);
  await act(async () => checked.resolve([outcome('manager', 'pending', 40), outcome('worker-1', 'pending'), outcome('worker-2', 'in-sync'), outcome('load-balancer', 'pending')]));
  f = await s.waitFor('Cluster review: 4 nodes (1 in sync, 3 with changes, 0 unreachable, 0 failed)');
  assert.equal(s.applies(), 0);
  assert.match(f, /❯ manager +Gateway Manager +192\.0\.2\.11 +changes +1 file/);
  assert.match(f, /^ {2}worker-2 +Gateway Worker +192\.0\.2\.22 +in sync +nothing to change/m);
  assert.match(f, /manager: 1 file: carbon\.xml/);
  assert.match(f, /a apply and start · r check again · q quit/);
  assert.equal(frameFits(f), undefined);
  // Down, Enter and a page down in one burst: worker-1's diffs, scrolled by nothing (it fits), as pressed.
  await s.burst(KEY.down, KEY.enter);
  f = await s.waitFor('worker-1 (Gateway Worker, 192.0.2.21)');
  assert.match(f, /<Line0>worker-1<\/Line0>/);
  // The manager's diff is longer than the frame: Tab, Tab, Tab, Tab comes round to it; a page down in the same burst scrolls it.
  await s.burst('\t', '\t', '\t', KEY.pageDown);
  f = await s.waitFor('manager (Gateway Manager, 192.0.2.11)');
  assert.match(f, /lines \d+–\d+ of 45/);
  assert.doesNotMatch(f, /<Line0>manager/, 'scrolled past the first lines');
  assert.equal(frameFits(f), undefined);
  await s.press(KEY.esc);
  f = await s.waitFor('❯ manager');
  await s.press('q');
  assert.equal(s.code(), 2, 'quit at the review: changes pending');
});

test('an unreachable node: said in its row and line; a does not apply, and says why; r checks again', async () => {
  const cluster = await fourNodes();
  let answer = [outcome('manager', 'in-sync'), outcome('worker-1', 'unreachable'), outcome('worker-2', 'in-sync'), outcome('load-balancer', 'in-sync')];
  const s = await mount(cluster, { check: async () => answer });
  let f = await s.waitFor('Cluster review: 4 nodes (3 in sync, 0 with changes, 1 unreachable, 0 failed)');
  assert.match(f, /worker-1 +Gateway Worker +192\.0\.2\.21 +UNREACHABLE/);
  assert.doesNotMatch(f, /a apply|a start/);
  await s.burst(KEY.down, 'a');
  f = await s.waitFor('apply needs every node planned: worker-1 is unreachable');
  assert.match(f, /worker-1: Failed to connect to the host via ssh/);
  assert.equal(s.applies(), 0);
  answer = [outcome('manager', 'in-sync'), outcome('worker-1', 'in-sync'), outcome('worker-2', 'in-sync'), outcome('load-balancer', 'in-sync')];
  await s.press('r');
  f = await s.waitFor('(4 in sync, 0 with changes, 0 unreachable, 0 failed)');
  assert.equal(s.checks(), 2);
  assert.match(f, /a start \(nothing to write\)/);
  await s.press('q');
  assert.equal(s.code(), 0);
});

/** What site.yml's progress callback says for a whole apply and start, in its order. */
function applyEvents(failWorker2: boolean): ProgressEvent[] {
  const e: ProgressEvent[] = [];
  const play = (name: string, hosts: string[], tasks: [string, 'ok' | 'changed', string?][]) => {
    e.push({ event: 'play', name });
    for (const [task, status, msg] of tasks) {
      e.push({ event: 'task', name: task });
      for (const host of hosts) {
        if (failWorker2 && host === 'worker-2') e.push({ event: 'result', host, task, status: 'unreachable', msg: 'Failed to connect to the host via ssh: Connection refused' });
        else e.push({ event: 'result', host, task, status, ...(msg ? { msg: `${host}: ${msg}` } : {}) });
      }
    }
  };
  const node: [string, 'ok' | 'changed', string?][] = [['apim.gateway.node : The wizard', 'changed'], ["apim.gateway.node : Plan and apply the node's answers", 'changed'], ['apim.gateway.node : Summary', 'ok', 'applied 5 files']];
  play('Gateway Manager', ['manager'], node);
  play('Gateway Workers, in batches', ['worker-1'], node);
  play('Gateway Workers, in batches', ['worker-2'], node);
  if (!failWorker2) {
    play('Load balancer', ['load-balancer'], node);
    play('Start the Gateway Manager and push the deployment to the workers', ['manager'], [['apim.gateway.node : Start', 'ok', 'ready']]);
  }
  const recap = (h: string, ok: number) => [h, { ok, changed: 2, unreachable: failWorker2 && h === 'worker-2' ? 1 : 0, failures: 0, skipped: 0 }] as const;
  e.push({ event: 'stats', hosts: Object.fromEntries(failWorker2 ? [recap('manager', 3), recap('worker-1', 3), recap('worker-2', 0)] : NODES.map(([n]) => recap(n, 3))) });
  return e;
}

test('the apply, live: every event of a burst lands in order (the log, each node\'s state); the verdict comes after the last of them', async () => {
  const cluster = await fourNodes();
  const finish = deferred<ClusterApplied>();
  let send!: (e: ProgressEvent) => void;
  const s = await mount(cluster, {
    check: async () => NODES.map(([n]) => outcome(n, 'pending')),
    apply: (onEvent) => ((send = onEvent), finish.promise),
  });
  await s.waitFor('Cluster review: 4 nodes');
  await s.press('a');
  let f = await s.waitFor("Applying in WSO2's order");
  assert.match(f.replace(/\s+/g, ' '), /then the manager starts, pushes to the workers, and the workers start/, 'sync is on: the manager pushes');
  assert.match(f, /manager +Gateway Manager +waiting/);
  // The whole playbook's events before one render, then the verdict at once: nothing is dropped or reordered.
  const events = applyEvents(false);
  await act(async () => {
    for (const e of events) send(e);
    const { foldProgress, initialProgress } = await import('../src/core/cluster/progress.js');
    finish.resolve({ ok: true, progress: events.reduce(foldProgress, initialProgress(cluster.nodes)), exit: '0', stderr: [] });
  });
  f = await s.waitFor('The cluster is applied and started: 4 nodes.');
  for (const [n] of NODES.slice(1)) assert.match(f.replace(/\s+/g, ' '), new RegExp(`${n} \\([^)]+\\): done, 2 changed — ${n}: applied 5 files`));
  assert.match(f, /manager \(Gateway Manager\): done, 2 changed — manager: ready/);
  assert.equal(frameFits(f), undefined);
  await s.press('q');
  assert.equal(s.code(), 0);
});

test('a worker unreachable in the middle of the apply: it is said, the nodes the playbook never reached are said as left as they were, exit 1', async () => {
  const cluster = await fourNodes();
  let send!: (e: ProgressEvent) => void;
  const finish = deferred<ClusterApplied>();
  const s = await mount(cluster, { check: async () => NODES.map(([n]) => outcome(n, 'pending')), apply: (onEvent) => ((send = onEvent), finish.promise) }, false);
  await s.waitFor('a apply ·');
  await s.press('a');
  await s.waitFor('(not started: --no-start)');
  const events = applyEvents(true);
  // Half the events, a render, then the rest: the live rows follow.
  await act(async () => events.slice(0, 10).forEach((e) => send(e)));
  let f = await s.waitFor(/worker-1 +Gateway Worker +running/);
  assert.match(f, /manager +Gateway Manager +running +2 changed/);
  // Keys during the apply are not lost into it: q waits for the end, then quits.
  await s.press('q');
  f = await s.waitFor('Quitting once the apply has ended');
  await act(async () => {
    events.slice(10).forEach((e) => send(e));
    const { foldProgress, initialProgress } = await import('../src/core/cluster/progress.js');
    finish.resolve({ ok: false, progress: events.reduce(foldProgress, initialProgress(cluster.nodes)), exit: '4', stderr: [] });
  });
  for (let i = 0; i < 200 && s.code() === undefined; i++) await act(tick);
  assert.equal(s.code(), 1);
  f = s.frame();
  assert.match(f.replace(/\s+/g, ' '), /ansible-playbook exited 4: 1 node failed or could not be reached, 1 not reached by the playbook \(left as they were\)/);
  assert.match(f.replace(/\s+/g, ' '), /worker-2 \(Gateway Worker\): UNREACHABLE — Failed to connect/);
  assert.match(f.replace(/\s+/g, ' '), /load-balancer \(Load balancer\): waiting/);
});

test('cluster init in a terminal: the topology once, the shared answers, each node\'s own values pre-filled; the file reads back as every node will read it', async () => {
  const { ClusterInit } = await import('../src/ui/cluster/ClusterInit.js');
  const file = join(await tempDir('agw-ui-cluster-init-'), 'cluster.json');
  let code: number | undefined;
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(createElement(ClusterInit, { file, flags: { selfSignedCertificate: true }, size: SIZE, onExit: (c: number) => (code = c) }));
  });
  mounted.push(() => r.unmount());
  const frame = () => stripVTControlCharacters([...r.frames].reverse().find((f) => f.trim() !== '') ?? '');
  const wait = async (text: string) => {
    for (let i = 0; i < 400; i++) {
      if (frame().includes(text)) return frame();
      await act(tick);
    }
    throw new Error(`timed out waiting for ${text}; last frame:\n${frame()}`);
  };
  // Each answer and its Enter in one burst: typed ahead, nothing lost between the questions.
  const burst = (...keys: string[]) => act(async () => { for (const k of keys) r.stdin.write(k); });
  await wait('1/3 The nodes');
  await burst('192.0.2.10', '\r', '192.0.2.21, 192.0.2.21', '\r');
  let f = await wait('Worker addresses');
  await burst(KEY.backspace, '2', '\r', '192.0.2.5', '\r', '/opt/wso2am-2.1.0', '\r');
  f = await wait('2/3 What every node shares');
  assert.match(f, /Self-signed certificate +yes +--self-signed-certificate/);
  assert.equal(frameFits(f), undefined);
  for (let i = 0; i < 40 && !frame().includes('3/3'); i++) await burst('\r');
  f = await wait("3/3 Each node's own values");
  assert.match(f, /worker-2: product home +\/opt\/wso2am-2\.1\.0 +the topology/);
  // worker-1 gets its own home (typed over the pre-filled one); the rest accepted as offered.
  await burst('\r', '\r', '\x15', '/opt/wso2am-2.6.0', '\r');
  for (let i = 0; i < 10 && !frame().includes('Cluster file · Written'); i++) await burst('\r');
  f = await wait('Cluster file · Written');
  assert.match(f.replace(/\s+/g, ' '), /manager \(manager, 192\.0\.2\.10\), worker-1 \(worker, 192\.0\.2\.21\), worker-2 \(worker, 192\.0\.2\.22\), load-balancer \(load-balancer, 192\.0\.2\.5\)/);
  assert.match(f.replace(/\s+/g, ' '), /apim-gateway-wizard cluster review --cluster /);
  const read = await readCluster(file);
  assert.deepEqual(read.nodes.map((n) => [n.name, n.role, n.address, n.answers.productHome]), [
    ['manager', 'manager', '192.0.2.10', '/opt/wso2am-2.1.0'],
    ['worker-1', 'worker', '192.0.2.21', '/opt/wso2am-2.6.0'],
    ['worker-2', 'worker', '192.0.2.22', '/opt/wso2am-2.1.0'],
    ['load-balancer', 'load-balancer', '192.0.2.5', undefined],
  ]);
  // Only what was given or offered by the docs is shared; defaults stay each node's own.
  const written = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(written.shared, { hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', selfSignedCertificate: true });
  await burst('q');
  for (let i = 0; i < 50 && code === undefined; i++) await act(tick);
  assert.equal(code, 0);
});
