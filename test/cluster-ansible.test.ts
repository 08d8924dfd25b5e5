// The whole cluster for real: real ansible-playbook (Debian's ansible-core) drives four nodes —
// manager, two workers, load balancer, each its own --root and its own loopback address with
// its own sshd — through the cluster commands: review, apply, a second review with nothing to
// change, a worker added (the exact change on every node), and a worker's sshd stopped while
// the cluster is being applied (the rest stays consistent; a re-run completes it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { templatesDir } from '../src/core/node/demo.js';
import { onPath, runProcess } from '../src/core/run/process.js';
import { BIN, DEMO_HOME, REPO, tempDir, treeState } from './helpers.js';
import { freePort, newHostKey, SSHD, startSshd, until, type Sshd } from './sshd-helpers.js';

const missing = [
  !existsSync(SSHD) && SSHD,
  !(await onPath('ansible-playbook')) && 'ansible-playbook (apt-get install ansible-core)',
  !(await onPath('nginx')) && 'nginx',
  !(await onPath('ssh')) && 'ssh',
].filter(Boolean);
const skip = process.getuid?.() !== 0 ? 'the cluster test needs root (sshd, root logins)' : missing.length ? `missing: ${missing.join(', ')}` : false;
if (skip) {
  if (process.env.CI === 'true') test('ansible-core, sshd, ssh and nginx are installed under CI', () => assert.fail(String(skip)));
  else console.log(`# skipping the cluster suite: ${skip}`);
}

interface TestNode {
  name: string;
  role: 'manager' | 'worker' | 'load-balancer';
  address: string;
  root: string;
  sshd?: Sshd;
  hostKey: string;
}

let base: string;
let port: number;
let clientKey: string;
let knownHosts: string;
let clusterFile: string;
const nodes: TestNode[] = [];

async function addNode(name: string, role: TestNode['role'], address: string, setEnv?: Record<string, string>): Promise<TestNode> {
  const dir = join(base, name);
  const root = join(dir, 'root');
  await mkdir(root, { recursive: true });
  await cp(join(templatesDir(), 'demo', 'etc'), join(root, 'etc'), { recursive: true });
  if (role !== 'load-balancer') await cp(join(templatesDir(), 'demo', 'opt'), join(root, 'opt'), { recursive: true });
  const hostKey = await newHostKey(dir);
  const node: TestNode = { name, role, address, root, hostKey };
  await startNodeSshd(node, setEnv);
  nodes.push(node);
  await writeFile(knownHosts, nodes.map((n) => `[${n.address}]:${port} ${readKey(n)}`).join('\n') + '\n');
  return node;
}

const pubKeys = new Map<string, string>();
const readKey = (n: TestNode) => pubKeys.get(n.name)!;

async function startNodeSshd(node: TestNode, setEnv?: Record<string, string>): Promise<void> {
  const dir = join(base, node.name, 'sshd');
  await mkdir(dir, { recursive: true });
  node.sshd = await startSshd({ dir, hostKey: node.hostKey, port, listen: node.address, ...(setEnv ? { setEnv } : {}) });
  await writeFile(node.sshd.authorizedKeys, await readFile(`${clientKey}.pub`, 'utf8'));
  pubKeys.set(node.name, (await readFile(`${node.hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' '));
}

function clusterJson(): string {
  return JSON.stringify({
    cluster: 1,
    shared: { hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', hazelcast: true, selfSignedCertificate: true, proxyHttpPort: 18080, proxyHttpsPort: 18443 },
    serviceUser: 'nobody',
    ssh: { user: 'root', port, privateKey: clientKey },
    nodes: nodes.map((n) => ({
      name: n.name,
      role: n.role,
      address: n.address,
      root: n.root,
      wizardDir: join(base, n.name, 'wizard'),
      ...(n.role === 'load-balancer' ? {} : { productHome: DEMO_HOME }),
    })),
  }, null, 2);
}

/** The CLI, as an admin runs it, with Ansible's ssh pinned to the test's known_hosts and its temp folders in the test's. */
function cluster(args: string[], onStdout?: (text: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'cluster', ...args, '--cluster', clusterFile], {
      cwd: REPO,
      env: {
        ...process.env,
        NO_COLOR: '1',
        HOME: join(base, 'home'),
        ANSIBLE_LOCAL_TEMP: join(base, 'ansible-local'),
        ANSIBLE_REMOTE_TEMP: join(base, 'ansible-remote'),
        ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o ControlMaster=no`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      onStdout?.(stdout);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every root's files (the wizard's state and backups left out: they differ by time). */
async function roots(): Promise<Record<string, Record<string, string>>> {
  return Object.fromEntries(await Promise.all(nodes.map(async (n) => [n.name, await treeState(n.root)] as const)));
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
  base = await tempDir('agw-cluster-');
  await mkdir(join(base, 'home'), { recursive: true });
  clientKey = join(base, 'id_ed25519');
  const made = await runProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  assert.ok(made.ok, made.stderr.join('\n'));
  knownHosts = join(base, 'known_hosts');
  clusterFile = join(base, 'cluster.json');
  port = await freePort();
  await addNode('manager', 'manager', '127.0.0.11');
  await addNode('worker-1', 'worker', '127.0.0.21');
  await addNode('worker-2', 'worker', '127.0.0.22');
  await addNode('load-balancer', 'load-balancer', '127.0.0.31');
  await writeFile(clusterFile, clusterJson());
});

after(async () => {
  for (const n of nodes) await n.sshd?.stop();
});

test('the cluster is reviewed, applied in order, then reviewed again with nothing to change', { skip, timeout: 600_000 }, async () => {
  const untouched = await roots();
  const review = await cluster(['check']);
  assert.equal(review.code, 2, review.stdout + review.stderr);
  assert.match(review.stdout, /^Cluster review: 4 nodes \(0 in sync, 4 with changes, 0 unreachable, 0 failed\)/);
  for (const n of nodes) assert.match(review.stdout, new RegExp(`^  ${n.name} +\\S.* +${n.address.replace(/\./g, '\\.')} +changes +`, 'm'));
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
  for (const n of nodes) assert.match(drift.stdout, new RegExp(`^  ${n.name} .* in sync +nothing to change`, 'm'));
});

test('a worker added to the cluster file changes exactly one line on the load balancer, one in the manager\'s workers list and one Hazelcast member on every node', { skip, timeout: 600_000 }, async () => {
  await addNode('worker-3', 'worker', '127.0.0.23');
  await writeFile(clusterFile, clusterJson());
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
  const worker1 = nodes.find((n) => n.name === 'worker-1')!;
  const worker2 = nodes.find((n) => n.name === 'worker-2')!;
  const pause = join(base, 'pause');
  const reached = join(base, 'reached');
  await writeFile(pause, '');
  await worker1.sshd!.stop();
  await startNodeSshd(worker1, { APIM_GATEWAY_WIZARD_TEST_PAUSE_AT: '1', APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE: pause, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: reached });
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
  await startNodeSshd(worker2);
  const rerun = await cluster(['apply', '--yes', '--no-start']);
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
  const done = await cluster(['check']);
  assert.equal(done.code, 0, done.stdout);
  assert.match(done.stdout, /^Cluster review: 5 nodes \(5 in sync, 0 with changes, 0 unreachable, 0 failed\)/);
});
