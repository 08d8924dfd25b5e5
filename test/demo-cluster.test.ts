// The demo cluster: one sandbox per node beside the old single one, the next-node chain, the
// cluster's answers, and the manager's first push really landing in the workers' sandboxes
// through the demo's local shell — which nothing but --demo can select.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { DEMO_NODES, demoAnswers, demoNodeRoot, demoRoot, demoWorkerHomes } from '../src/core/node/demo.js';
import { answerLayers, prepareWizard } from '../src/core/node/session.js';
import { remoteShell } from '../src/core/run/sync/commands.js';
import { renderScript, syncJob } from '../src/core/run/sync/render.js';
import { demoTargetsProblem } from '../src/core/run/sync/demo-shell.js';
import { resolveAnswers } from '../src/core/answers/load.js';
import { fieldByKey } from '../src/core/answers/schema.js';
import { DEMO_HOME, runCli, tempDir } from './helpers.js';
import { testEnv } from './ui-helpers.js';

const API = 'repository/deployment/server/synapse-configs/default/api/admin--DemoAPI_v1.0.0.xml';

test('one sandbox per node, beside the manager\'s (the old single sandbox, reused as it was)', async () => {
  const base = await tempDir();
  // An old single sandbox with the admin's own file in it.
  const old = join(base, 'apim-gateway-wizard-demo');
  await mkdir(join(old, 'etc'), { recursive: true });
  await writeFile(join(old, 'etc/hosts'), '127.0.0.1 localhost mine\n');
  assert.equal(await demoRoot(base, 'worker-2'), join(base, 'apim-gateway-wizard-demo-worker-2'));
  for (const node of DEMO_NODES) {
    assert.ok(existsSync(join(demoNodeRoot(base, node), DEMO_HOME.slice(1), 'repository/conf/carbon.xml')), node);
    assert.ok(existsSync(join(demoNodeRoot(base, node), 'etc/nginx/nginx.conf')), node);
  }
  assert.equal(await readFile(join(old, 'etc/hosts'), 'utf8'), '127.0.0.1 localhost mine\n', 'nothing of the old sandbox overwritten');
  // Only the manager has the API its first push sends (the old sandbox was not fresh: it gets none).
  assert.ok(!existsSync(join(old, DEMO_HOME.slice(1), API)));
  for (const home of demoWorkerHomes(base)) assert.ok(!existsSync(join(home, API)));
  const fresh = await tempDir();
  await demoRoot(fresh);
  assert.ok(existsSync(join(demoNodeRoot(fresh, 'manager'), DEMO_HOME.slice(1), API)));
});

test('the demo answers: the addresses of the cluster, the manager pushes to each worker sandbox as the user running the demo', async () => {
  const base = await tempDir();
  const inputs = await prepareWizard({ 'demo-node': 'manager' }, testEnv({ demoBase: base }));
  const me = userInfo().username;
  const layers = answerLayers(inputs, undefined, 'manager');
  const label = layers.at(-1)!.label(fieldByKey('syncTargets')!);
  assert.equal(label, 'the demo cluster');
  assert.deepEqual(layers.at(-1)!.layer.syncTargets, [`${me}@192.0.2.21:${base}/apim-gateway-wizard-demo-worker-1/opt/wso2am-2.1.0`, `${me}@192.0.2.22:${base}/apim-gateway-wizard-demo-worker-2/opt/wso2am-2.1.0`]);
  assert.equal(layers.at(-1)!.layer.syncCronUser, me);
  assert.equal(demoAnswers(base, 'worker-2').localMemberHost, '192.0.2.22');
  // The load balancer makes a trial certificate even when the answers carried over say no (only a flag wins).
  const lb = await prepareWizard({ 'demo-node': 'load-balancer' }, testEnv({ demoBase: base }));
  const lbLayers = answerLayers({ ...lb, answersFile: { path: '/a.json', layer: { selfSignedCertificate: false } } }, undefined, 'load-balancer');
  assert.equal(lbLayers.find((l) => l.layer.selfSignedCertificate !== undefined)!.layer.selfSignedCertificate, true);
  // So does a load balancer picked in another node's sandbox; the other roles get no such answer.
  assert.equal(answerLayers(inputs, undefined, 'load-balancer').find((l) => l.layer.selfSignedCertificate !== undefined)?.layer.selfSignedCertificate, true);
  assert.equal(layers.find((l) => l.layer.selfSignedCertificate !== undefined), undefined);
});

test('the demo\'s first push runs for real: preview and push into both worker sandboxes, no ssh, nothing outside the sandboxes', async () => {
  const tmp = await tempDir();
  const home = await tempDir(); // HOME: no ~/.ssh may appear
  const me = userInfo().username;
  const targets = demoWorkerHomes(tmp).map((h, i) => `${me}@192.0.2.2${i + 1}:${h}`);
  const answers = join(tmp, 'manager.json');
  await writeFile(answers, JSON.stringify({
    role: 'manager', productHome: DEMO_HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com',
    managerIp: '192.0.2.10', workerIps: ['192.0.2.21', '192.0.2.22'], syncTargets: targets, syncCronUser: me,
  }));
  const env = { TMPDIR: tmp, HOME: home };
  assert.equal(runCli(['apply', '--demo', '--answers', answers, '--yes'], env).code, 0);
  const dry = runCli(['sync', '--demo', '--create-key', '--dry-run'], env);
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /1 file to send/);
  for (const h of demoWorkerHomes(tmp)) assert.ok(!existsSync(join(h, API)), 'a dry run pushes nothing');
  const r = runCli(['sync', '--demo', '--yes'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /each worker's sandbox is reached by a local shell, not ssh/);
  assert.match(r.stdout, /Every worker is in sync/);
  for (const h of demoWorkerHomes(tmp)) assert.ok(existsSync(join(h, API)), `pushed to ${h}`);
  // The key, known_hosts, lock and cron entry are the sandbox's; the user's ~/.ssh is never made.
  const manager = demoNodeRoot(tmp, 'manager');
  assert.ok(existsSync(join(manager, DEMO_HOME.slice(1), 'depsync/id_ed25519')));
  assert.ok(existsSync(join(manager, 'etc/cron.d/apim-gateway-wizard-depsync')));
  assert.ok(!existsSync(join(home, '.ssh')));
  // No install hint in the demo: its workers are reached without ssh.
  assert.doesNotMatch(r.stdout, /authorized_keys/);
});

test('the local shell is the demo\'s only: the cron script and a real run use ssh; a target outside the sandboxes is refused', async () => {
  const tmp = await tempDir();
  const targets = demoWorkerHomes(tmp).map((h) => `root@192.0.2.21:${h}`);
  const job = syncJob(resolveAnswers({ role: 'manager', productHome: DEMO_HOME, hostName: 'a.b', mgtHostName: 'm.a.b', workerIps: ['192.0.2.21'], syncTargets: targets, syncCronUser: 'root' }), 'deployment');
  assert.match(renderScript(job), /SSH_COMMAND='ssh -i /);
  assert.match(remoteShell({ key: '/k', knownHosts: '/kh', port: 22 }), /^ssh -i \/k /);
  assert.equal(demoTargetsProblem(job, { base: tmp }), undefined);
  const outside = syncJob(resolveAnswers({ role: 'manager', productHome: DEMO_HOME, hostName: 'a.b', mgtHostName: 'm.a.b', workerIps: ['192.0.2.21'], syncTargets: ['root@192.0.2.21:/opt/wso2am-2.1.0'], syncCronUser: 'root' }), 'deployment');
  assert.match(demoTargetsProblem(outside, { base: tmp })!, /the demo pushes only to its own workers' sandboxes .* not to root@192\.0\.2\.21:\/opt\/wso2am-2\.1\.0/);
  // Headless, the same refusal: a real node's targets are never pushed to by the demo.
  const answers = join(tmp, 'm.json');
  await writeFile(answers, JSON.stringify({ role: 'manager', productHome: DEMO_HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', workerIps: ['192.0.2.21'], syncTargets: ['root@192.0.2.21:/opt/wso2am-2.1.0'], syncCronUser: userInfo().username }));
  assert.equal(runCli(['apply', '--demo', '--answers', answers, '--yes'], { TMPDIR: tmp }).code, 0);
  const r = runCli(['sync', '--demo', '--answers', answers, '--create-key', '--yes'], { TMPDIR: tmp });
  assert.equal(r.code, 1);
  assert.match(r.stdout + r.stderr, /the demo pushes only to its own workers' sandboxes/);
  // --demo-node names a node of the cluster, or is refused with the list.
  const bad = runCli(['plan', '--demo-node', 'worker-9', '--answers', answers], { TMPDIR: tmp });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--demo-node: "worker-9" is not a node of the demo cluster \(manager, worker-1, worker-2, load-balancer\)/);
});

test('a sandbox another user made in the shared temp folder, or a link there, is refused before anything is written', async () => {
  const base = await tempDir();
  await chmod(base, 0o1777); // as /tmp is
  // nobody plants the second worker's sandbox, with a link where the push would write.
  const planted = demoNodeRoot(base, 'worker-2');
  execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', 'mkdir -p "$1/opt/wso2am-2.1.0/repository/deployment" && ln -s /etc/cron.d "$1/opt/wso2am-2.1.0/repository/deployment/server"', 'sh', planted]);
  await assert.rejects(demoRoot(base, 'manager'), new RegExp(`demo sandbox ${planted} is a folder of uid \\d+, not this user's`));
  assert.ok(!existsSync(join(demoNodeRoot(base, 'worker-2'), 'etc')), 'nothing written into it');
  // A link in place of a sandbox (the manager's name, which --demo opens): refused too.
  const other = await tempDir();
  await chmod(other, 0o1777);
  const elsewhere = await tempDir();
  await symlink(elsewhere, demoNodeRoot(other, 'manager'));
  await assert.rejects(demoRoot(other, 'manager'), /is a link; remove it, or set TMPDIR to a folder of your own/);
  assert.deepEqual(await readdir(elsewhere), []);
});
