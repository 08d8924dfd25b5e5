// The whole cluster for real: real ansible-playbook (Debian's ansible-core) drives four nodes —
// manager, two workers, load balancer, each its own --root and its own loopback address with
// its own sshd — through the cluster commands: review, apply, a second review with nothing to
// change, a worker added (the exact change on every node), and a worker's sshd stopped while
// the cluster is being applied (the rest stays consistent; a re-run completes it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterSuiteSkip, LoopbackCluster, type TestNode } from './cluster-helpers.js';
import { tempDir, treeState } from './helpers.js';
import { until } from './sshd-helpers.js';

const skip = await clusterSuiteSkip('the cluster suite');

let c: LoopbackCluster;
const cluster = (args: string[]) => c.run(args);
const nodes = (): TestNode[] => c.nodes;

/** Every root's files (the wizard's state and backups left out: they differ by time). */
async function roots(): Promise<Record<string, Record<string, string>>> {
  return Object.fromEntries(await Promise.all(nodes().map(async (n) => [n.name, await treeState(n.root)] as const)));
}

/** The +/- lines of a node's section in the review (headers left out). */
function changedLines(review: string, node: string): string[] {
  const start = review.indexOf(`== ${node} (`);
  if (start < 0) return [];
  const end = review.indexOf('\n== ', start + 1);
  return review.slice(start, end < 0 ? undefined : end).split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l));
}

before(async () => {
  if (skip) return;
  c = await LoopbackCluster.create(await tempDir('agw-cluster-'), {
    hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', hazelcast: true, selfSignedCertificate: true, proxyHttpPort: 18080, proxyHttpsPort: 18443,
  });
  await c.addNode('manager', 'manager', '127.0.0.11');
  await c.addNode('worker-1', 'worker', '127.0.0.21');
  await c.addNode('worker-2', 'worker', '127.0.0.22');
  await c.addNode('load-balancer', 'load-balancer', '127.0.0.31');
});

after(async () => {
  await c?.stop();
});

test('the cluster is reviewed, applied in order, then reviewed again with nothing to change', { skip, timeout: 600_000 }, async () => {
  const untouched = await roots();
  const review = await cluster(['check']);
  assert.equal(review.code, 2, review.stdout + review.stderr);
  assert.match(review.stdout, /^Cluster review: 4 nodes \(0 in sync, 4 with changes, 0 unreachable, 0 failed\)/);
  for (const n of nodes()) assert.match(review.stdout, new RegExp(`^  ${n.name} +\\S.* +${n.address.replace(/\./g, '\\.')} +changes +`, 'm'));
  assert.match(review.stdout, /^\+ +<HostName>am\.wso2\.com<\/HostName>/m);
  assert.deepEqual(await roots(), untouched, 'the review wrote nothing on any node');

  const applied = await cluster(['apply', '--yes', '--no-start']);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  // WSO2's order: the manager, then the workers one batch at a time, the load balancer last.
  const at = (s: string) => applied.stdout.indexOf(s);
  assert.ok(at('[manager]') < at('[worker-1]') && at('[worker-1]') < at('[worker-2]') && at('[worker-2]') < at('[load-balancer]'), applied.stdout);
  assert.match(applied.stdout, /The cluster is applied: 4 nodes\./);

  const again = await cluster(['check']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /^Cluster review: 4 nodes \(4 in sync, 0 with changes, 0 unreachable, 0 failed\)/);
  const drift = await cluster(['drift']);
  assert.equal(drift.code, 0, drift.stdout);
  for (const n of nodes()) assert.match(drift.stdout, new RegExp(`^  ${n.name} .* in sync +nothing to change`, 'm'));
  // --limit: those nodes only; a name the cluster file does not have is an error that lists the names.
  const one = await cluster(['drift', '--limit', 'worker-2']);
  assert.equal(one.code, 0, one.stdout + one.stderr);
  assert.match(one.stdout, /^Drift across the cluster: 1 node \(1 in sync, 0 drifted/);
  assert.doesNotMatch(one.stdout, /worker-1|manager/);
  const typo = await cluster(['check', '--limit', 'worker-9']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr + typo.stdout, /--limit: no node "worker-9" in the cluster file \(nodes: manager, worker-1, worker-2, load-balancer\)/);
});

test('a worker added to the cluster file changes exactly one line on the load balancer, one in the manager\'s workers list and one Hazelcast member on every node', { skip, timeout: 600_000 }, async () => {
  await c.addNode('worker-3', 'worker', '127.0.0.23');
  const review = await cluster(['check']);
  assert.equal(review.code, 2, review.stdout + review.stderr);
  const out = review.stdout;
  assert.match(out, /^Cluster review: 5 nodes \(0 in sync, 5 with changes, 0 unreachable, 0 failed\)/);
  const member = ['+            <member>', '+                <hostName>127.0.0.23</hostName>', '+                <port>4200</port>', '+            </member>'];
  assert.deepEqual(changedLines(out, 'manager'), ['+nobody@127.0.0.23:/opt/wso2am-2.1.0', ...member]);
  assert.deepEqual(changedLines(out, 'worker-1'), member);
  assert.deepEqual(changedLines(out, 'worker-2'), member);
  assert.deepEqual(changedLines(out, 'load-balancer'), ['+    server 127.0.0.23:8243;']);
  // The answers that change, named, on each node.
  assert.match(out, /^  manager +Gateway Manager +127\.0\.0\.11 +changes +2 files: workers\.list, axis2\.xml · answers: workerIps \+ 127\.0\.0\.23; syncTargets \+ nobody@127\.0\.0\.23:\/opt\/wso2am-2\.1\.0; hazelcastMembers \+ 127\.0\.0\.23:4200$/m);
  assert.match(out, /^  load-balancer +Load balancer +127\.0\.0\.31 +changes +1 file: apim-gateway · answers: workerIps \+ 127\.0\.0\.23$/m);
  // The new worker: its own five files, its Hazelcast member list every gateway node.
  assert.match(out, /^  worker-3 +Gateway Worker +127\.0\.0\.23 +changes +5 files: carbon\.xml, catalina-server\.xml, hosts, axis2\.xml, api-manager\.xml · answers: saved for the first time$/m);
  for (const host of ['127.0.0.11', '127.0.0.21', '127.0.0.22', '127.0.0.23']) assert.ok(changedLines(out, 'worker-3').includes(`+                <hostName>${host}</hostName>`), host);
});

test('a worker whose sshd stops in the middle of an apply: the nodes before it are applied whole, the ones after it untouched, and a re-run completes the cluster', { skip, timeout: 900_000 }, async () => {
  // worker-1's apply waits at the wizard's first fault point (its files not yet written) until
  // the test removes the pause file: worker-2's sshd is stopped while the run is there.
  const worker1 = c.node('worker-1');
  const worker2 = c.node('worker-2');
  const pause = join(c.base, 'pause');
  const reached = join(c.base, 'reached');
  await writeFile(pause, '');
  await worker1.sshd!.stop();
  await c.startSshd(worker1, { APIM_GATEWAY_WIZARD_TEST_PAUSE_AT: '1', APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE: pause, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: reached });
  const beforeApply = await roots();

  const run = cluster(['apply', '--yes', '--no-start']);
  await until(() => existsSync(reached) && readFileSync(reached, 'utf8').length > 0, 'worker-1 reached its pause', 300_000);
  await worker2.sshd!.stop();
  await rm(pause);
  const applied = await run;
  assert.equal(applied.code, 1, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /ansible-playbook exited \d+: a node failed or could not be reached/);
  assert.match(applied.stdout, /worker-2.*UNREACHABLE|UNREACHABLE.*worker-2/);

  const afterApply = await roots();
  // worker-2 could not be reached: with no failure budget the run stops there, so worker-3
  // (the next batch) and the load balancer (after the workers) are not touched.
  for (const n of ['worker-2', 'worker-3', 'load-balancer']) assert.deepEqual(afterApply[n], beforeApply[n], `${n} is not touched`);
  for (const n of ['manager', 'worker-1']) assert.notDeepEqual(afterApply[n], beforeApply[n], `${n} was applied`);

  const partial = await cluster(['drift']);
  assert.equal(partial.code, 1, partial.stdout);
  assert.match(partial.stdout, /^Drift across the cluster: 5 nodes \(2 in sync, 2 drifted, 1 unreachable, 0 failed\)/);
  // The two nodes applied are whole: nothing left to change on them.
  for (const n of ['manager', 'worker-1']) assert.match(partial.stdout, new RegExp(`^  ${n} .* in sync +nothing to change`, 'm'));
  assert.match(partial.stdout, /^  worker-2 .* UNREACHABLE /m);
  assert.match(partial.stdout, /^  worker-3 .* drifted: 5 files/m);
  assert.match(partial.stdout, /^  load-balancer .* drifted: 1 file: apim-gateway/m);

  // worker-2 is back (same host key, same port): the same command completes the cluster.
  await c.startSshd(worker2);
  const rerun = await cluster(['apply', '--yes', '--no-start']);
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
  const done = await cluster(['check']);
  assert.equal(done.code, 0, done.stdout);
  assert.match(done.stdout, /^Cluster review: 5 nodes \(5 in sync, 0 with changes, 0 unreachable, 0 failed\)/);
});
