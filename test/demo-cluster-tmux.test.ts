// The demo cluster end to end in a real 80×24 tmux pane: the manager, its first push, then each
// next node started with the command its summary printed — worker-1, worker-2, the load
// balancer — each in its own sandbox with the role of that node; nothing overwrites a node
// configured before it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, DEMO_HOME, REPO, tempDir } from './helpers.js';
import { Pane, walkDemoCluster } from './demo-cluster-walk.js';
import { demoNodeRoot, demoWorkerHomes } from '../src/core/node/demo.js';

const skip = spawnSync('tmux', ['-V']).status === 0 ? false : 'tmux is not installed';
let pane: Pane | undefined;
before(async () => {
  if (skip) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  pane = await Pane.open(await tempDir());
});
after(() => pane?.close());

test('the demo hands each node to the next sandbox: manager → worker-1 → worker-2 → load balancer, the push lands in both workers', { skip }, async () => {
  const tmp = await tempDir();
  const walk = await walkDemoCluster(pane!, [process.execPath, BIN, '--demo'], tmp);
  const nodes = walk.visits.map((v) => v.command[v.command.indexOf('--demo-node') + 1]);
  assert.deepEqual(nodes.slice(1), ['worker-1', 'worker-2', 'load-balancer']);
  const roles = walk.visits.slice(1).map((v) => v.command[v.command.indexOf('--role') + 1]);
  assert.deepEqual(roles, ['worker', 'worker', 'load-balancer']);
  // Each command names the saved answers of the node before, in that node's sandbox.
  for (const [i, node] of (['manager', 'worker-1', 'worker-2'] as const).entries()) {
    const command = walk.visits[i + 1]!.command;
    assert.ok(command[command.indexOf('--answers') + 1]!.startsWith(join(demoNodeRoot(tmp, node), 'var/lib/apim-gateway-wizard/')), command.join(' '));
  }
  assert.equal(walk.visits.at(-1)!.next, undefined, 'nothing after the load balancer');
  assert.ok(walk.visits.at(-1)!.summary.includes("The load balancer is the last node in WSO2's order"), walk.visits.at(-1)!.summary);
  // The push really ran: both workers' sandboxes have the manager's demo API.
  assert.ok(walk.pushed.includes('Every worker is in sync (2 workers)'), walk.pushed);
  // The push screen's top (banner, step line) is still there: nothing scrolled off the 24 rows.
  assert.ok(walk.pushed.split('\n').slice(0, 3).some((l) => l.includes('· Sync the workers (rsync)')), walk.pushed);
  for (const home of demoWorkerHomes(tmp)) assert.ok(existsSync(join(home, 'repository/deployment/server/synapse-configs/default/api/admin--DemoAPI_v1.0.0.xml')), home);
  // Four distinct nodes: the manager kept its MgtHostName and its cron job; the workers have none.
  const carbon = (node: 'manager' | 'worker-1' | 'worker-2') => readFile(join(demoNodeRoot(tmp, node), DEMO_HOME.slice(1), 'repository/conf/carbon.xml'), 'utf8');
  assert.match(await carbon('manager'), /<MgtHostName>mgt\.am\.wso2\.com<\/MgtHostName>/);
  for (const w of ['worker-1', 'worker-2'] as const) {
    assert.doesNotMatch(await carbon(w), /<MgtHostName>mgt\.am\.wso2\.com<\/MgtHostName>/);
    assert.ok(!existsSync(join(demoNodeRoot(tmp, w), 'etc/cron.d/apim-gateway-wizard-depsync')));
  }
  assert.ok(existsSync(join(demoNodeRoot(tmp, 'manager'), 'etc/cron.d/apim-gateway-wizard-depsync')));
  const saved = JSON.parse(await readFile(walk.visits[1]!.command[walk.visits[1]!.command.indexOf('--answers') + 1]!, 'utf8'));
  assert.equal(saved.syncTargets.length, 2, 'the manager\'s saved answers still list its workers');
  assert.ok(existsSync(join(demoNodeRoot(tmp, 'load-balancer'), 'etc/nginx/sites-available/apim-gateway')));
  // Every summary says all it has to say: nothing cut (a word ending in "…"), no window-too-small line.
  for (const v of walk.visits) assert.ok(!/\S…/.test(v.summary) && !v.summary.includes('enlarge it'), v.summary);
});
