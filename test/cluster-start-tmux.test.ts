// `cluster review` → a: the cluster applied and started, seen in a real 80×24 tmux pane over a
// real cluster — real ansible-playbook, four nodes (manager, two workers, load balancer) each with
// its own --root, loopback address and sshd, the demo product's simulated server on each of the
// three API-M nodes (its own port offset, a stand-in JDK reaching the wizard through sshd's
// SetEnv). The manager starts and is ready first, then each worker, restarted once after its first
// start; the review again finds nothing to write. The cluster's sync is off here: rsync would
// push to each worker's real product path, outside the per-node roots (the sync suites and the
// collection's suite cover the push).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { serverPaths } from '../src/core/run/server/paths.js';
import { nodePorts } from '../src/core/run/server/ports.js';
import { clusterSuiteSkip, LoopbackCluster, type TestNode } from './cluster-helpers.js';
import { Pane } from './demo-cluster-walk.js';
import { BIN, DEMO_HOME, REPO, runCli, tempDir } from './helpers.js';
import { fakeJava, freeOffset, killServer } from './server-helpers.js';
import { freePort } from './sshd-helpers.js';

const skip = await clusterSuiteSkip('the cluster start screen test', true);

/** A port offset per node under which its ports are free now and none is another node's. */
async function distinctOffsets(n: number): Promise<number[]> {
  const taken = new Set<number>();
  const offsets: number[] = [];
  while (offsets.length < n) {
    const offset = await freeOffset();
    const ports = nodePorts('manager', offset).map((p) => p.port);
    if (ports.some((p) => taken.has(p))) continue;
    for (const p of ports) taken.add(p);
    offsets.push(offset);
  }
  return offsets;
}

async function setOffset(node: TestNode, offset: number): Promise<void> {
  const carbon = join(node.root, DEMO_HOME.slice(1), 'repository/conf/carbon.xml');
  const text = await readFile(carbon, 'latin1');
  assert.ok(text.includes('<Offset>0</Offset>'), carbon);
  await writeFile(carbon, text.replace('<Offset>0</Offset>', `<Offset>${offset}</Offset>`), 'latin1');
}

const status = (n: TestNode) => runCli(['status', '--root', n.root, '--home', DEMO_HOME, '--role', n.role]);

let c: LoopbackCluster;
let pane: Pane;
let servers: TestNode[] = [];
before(async () => {
  if (skip) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const base = await tempDir('agw-cluster-start-');
  c = await LoopbackCluster.create(
    base,
    { hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', hazelcast: true, selfSignedCertificate: true, proxyHttpPort: await freePort(), proxyHttpsPort: await freePort() },
    { sync: false },
  );
  // What every login's wizard gets: a JDK (CI has none) and the simulated server's quick pace.
  const env = { JAVA_HOME: await fakeJava(), APIM_DEMO_PACE_MS: '2' };
  servers = [await c.addNode('manager', 'manager', '127.0.0.71', env), await c.addNode('worker-1', 'worker', '127.0.0.81', env), await c.addNode('worker-2', 'worker', '127.0.0.82', env)];
  await c.addNode('load-balancer', 'load-balancer', '127.0.0.91');
  const offsets = await distinctOffsets(servers.length);
  for (const [i, node] of servers.entries()) await setOffset(node, offsets[i]!);
  pane = await Pane.open(base);
});
after(async () => {
  pane?.close();
  for (const n of servers) await killServer(serverPaths(DEMO_HOME, n.root));
  await c?.stop();
});

/** No row wider than the pane, no "enlarge it" line: the screen says all it has to. */
function fits(screen: string): void {
  assert.ok(!screen.includes('enlarge it'), screen);
  for (const row of screen.split('\n')) assert.ok([...row].length <= 80, row);
}

test('cluster review: a applies the four nodes and starts the manager, then the workers, live; every server runs; r finds nothing to write', { skip, timeout: 900_000 }, async () => {
  for (const n of servers) assert.equal(status(n).code, 3, `${n.name} is not running before the apply`);
  pane.start('start', [process.execPath, BIN, 'cluster', 'review', '--cluster', c.clusterFile], { ...c.env(), LC_ALL: 'C.UTF-8' });
  await pane.rawMode('start');
  let s = await pane.wait('start', 'Cluster review: 4 nodes (0 in sync, 4 with changes, 0 unreachable, 0 failed)', 'the review', 300_000);
  fits(s);
  assert.match(s, /a apply and start/);

  s = await pane.pressFor('start', 'a', 'Cluster apply');
  assert.match(s.replace(/\n/g, ' '), /then the manager starts and the workers start/);
  // The start, live (it lasts seconds: the wizard waits there until the server is ready).
  s = await pane.wait('start', (x) => /Now: Start the Gateway Manager/.test(x), 'the manager\'s start', 600_000);
  fits(s);
  s = await pane.wait('start', 'The cluster is applied and started: 4 nodes.', 'the verdict', 300_000);
  fits(s);
  for (const name of ['manager', 'worker-1', 'worker-2']) assert.match(s, new RegExp(`${name} \\([^)]+\\): done, \\d+ changed — ${name}: ready`), s);
  assert.match(s, /load-balancer \(Load balancer\): done, \d+ changed/);
  for (const n of servers) {
    const r = status(n);
    assert.equal(r.code, 0, `${n.name} runs: ${r.stdout}${r.stderr}`);
  }

  // r: the check again — every file as the apply left it.
  s = await pane.pressFor('start', 'r', 'Checking 4 nodes');
  s = await pane.wait('start', 'Cluster review: 4 nodes (4 in sync, 0 with changes, 0 unreachable, 0 failed)', 'the second review', 300_000);
  fits(s);
  pane.press('start', 'q');
  assert.equal(await pane.exitStatus('start'), 0);
});
