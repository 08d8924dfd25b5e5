// `cluster review` in a real 80×24 tmux pane over a real cluster — real ansible-playbook, four
// nodes (manager, two workers, load balancer) each with its own --root, loopback address and
// sshd: the review of every node in one screen, a node's diffs, the apply in WSO2's order
// followed live, the verdict, and the check again with nothing left to change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { clusterSuiteSkip, LoopbackCluster } from './cluster-helpers.js';
import { Pane } from './demo-cluster-walk.js';
import { BIN, DEMO_HOME, REPO, tempDir, treeState } from './helpers.js';

const skip = await clusterSuiteSkip('the cluster review screen test', true);

let c: LoopbackCluster;
let pane: Pane;
before(async () => {
  if (skip) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const base = await tempDir('agw-cluster-review-');
  c = await LoopbackCluster.create(base, { hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', hazelcast: true, selfSignedCertificate: true, proxyHttpPort: 18080, proxyHttpsPort: 18443 });
  await c.addNode('manager', 'manager', '127.0.0.41');
  await c.addNode('worker-1', 'worker', '127.0.0.51');
  await c.addNode('worker-2', 'worker', '127.0.0.52');
  await c.addNode('load-balancer', 'load-balancer', '127.0.0.61');
  pane = await Pane.open(base);
});
after(async () => {
  pane?.close();
  await c?.stop();
});

/** No row wider than the pane, no "enlarge it" line: the screen says all it has to. */
function fits(screen: string): void {
  assert.ok(!screen.includes('enlarge it'), screen);
  for (const row of screen.split('\n')) assert.ok([...row].length <= 80, row);
}

test('cluster review: all four nodes in one screen, a node\'s diffs, a applies in WSO2\'s order live, r checks again: nothing to change', { skip, timeout: 900_000 }, async () => {
  const untouched = await treeState(c.node('worker-1').root);
  pane.start('review', [process.execPath, BIN, 'cluster', 'review', '--cluster', c.clusterFile, '--no-start'], { ...c.env(), LC_ALL: 'C.UTF-8' });
  await pane.rawMode('review');
  let s = await pane.wait('review', 'Cluster review: 4 nodes (0 in sync, 4 with changes, 0 unreachable, 0 failed)', 'the review', 300_000);
  fits(s);
  for (const [name, address] of <[string, string][]>[['manager', '127.0.0.41'], ['worker-1', '127.0.0.51'], ['worker-2', '127.0.0.52'], ['load-balancer', '127.0.0.61']]) {
    assert.match(s, new RegExp(`${name} +\\S.* +${address.replace(/\./g, '\\.')} +changes +\\d+ files?`), s);
  }
  assert.match(s, /❯ manager/);
  assert.match(s, /manager: 8 files: carbon\.xml/);
  assert.deepEqual(await treeState(c.node('worker-1').root), untouched, 'the review wrote nothing on the node');

  // worker-1's diffs: its carbon.xml HostName among them, the frame whole.
  await pane.pressFor('review', 'Down', '❯ worker-1');
  s = await pane.pressFor('review', 'Enter', 'worker-1 (Gateway Worker, 127.0.0.51)');
  fits(s);
  assert.match(s, /carbon\.xml \(change\)/);
  s = await pane.pressFor('review', 'Escape', '❯ worker-1');

  // a: the apply, live — the node rows first, each node's lines as they end there.
  s = await pane.pressFor('review', 'a', 'Cluster apply');
  s = await pane.wait('review', (x) => /\[manager\] Gateway Manager/.test(x), 'the manager\'s first line', 120_000);
  fits(s);
  s = await pane.wait('review', 'The cluster is applied: 4 nodes.', 'the verdict', 600_000);
  fits(s);
  for (const name of ['manager', 'worker-1', 'worker-2', 'load-balancer']) assert.match(s, new RegExp(`${name} \\([^)]+\\): done, \\d+ changed`), s);
  assert.match(readFileSync(join(c.node('worker-1').root, DEMO_HOME.slice(1), 'repository/conf/carbon.xml'), 'utf8'), /<HostName>am\.wso2\.com<\/HostName>/);
  assert.ok(existsSync(join(c.node('load-balancer').root, 'etc/nginx/sites-available/apim-gateway')));

  // r: the check again, nothing left to change anywhere; q quits with 0.
  s = await pane.pressFor('review', 'r', 'Checking 4 nodes');
  s = await pane.wait('review', 'Cluster review: 4 nodes (4 in sync, 0 with changes, 0 unreachable, 0 failed)', 'the second review', 300_000);
  fits(s);
  pane.press('review', 'q');
  assert.equal(await pane.exitStatus('review'), 0);
});
