// Checkpoints, rollback and drift check, through the real executable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../src/core/node/layout.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');
// The wizard's state folder (core/node/layout.ts stateDir) is under var/lib/apim-gateway-wizard.
const STATE = 'apim-gateway-wizard';
const tree = (root: string) => treeState(root, { skip: [STATE] });

test('apply twice, rollback twice: the tree is byte-for-byte the original; rollbacks can be undone', async () => {
  const root = await demoSandbox();
  const original = await tree(root);
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']).code, 0);
  const first = await tree(root);
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes', '--proxy-https-port', '8443']).code, 0);
  const second = await tree(root);
  assert.notDeepEqual(first, second);

  const list = runCli(['rollback', '--list', '--root', root, '--home', DEMO_HOME]);
  assert.equal(list.code, 0);
  assert.equal(list.stdout.match(/apply \(manager\)/g)?.length, 2);

  const r1 = runCli(['rollback', '--root', root, '--home', DEMO_HOME]);
  assert.equal(r1.code, 0, r1.stderr);
  assert.deepEqual(await tree(root), first);
  const undoId = /To undo this rollback: rollback (\S+)/.exec(r1.stdout)![1]!;

  assert.equal(runCli(['rollback', '--root', root, '--home', DEMO_HOME]).code, 0);
  assert.deepEqual(await tree(root), original);

  const none = runCli(['rollback', '--root', root, '--home', DEMO_HOME]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /nothing to roll back/);

  // Undoing the first rollback puts back what it had changed: only the file the second apply touched.
  const undo = runCli(['rollback', undoId, '--root', root, '--home', DEMO_HOME]);
  assert.equal(undo.code, 0, undo.stderr);
  const catalina = `opt${DEMO_HOME.slice(4)}/repository/conf/tomcat/catalina-server.xml`;
  assert.deepEqual(await tree(root), { ...original, [catalina]: second[catalina] });
  assert.match(runCli(['rollback', 'no-such-id', '--root', root, '--home', DEMO_HOME]).stderr, /no checkpoint "no-such-id"/);
});

test('check: 0 while the node matches its saved answers, 2 with the drift as a diff', async () => {
  const root = await demoSandbox();
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']).code, 0);
  const ok = runCli(['check', '--root', root, '--home', DEMO_HOME]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /matches its answers/);
  const carbon = join(root, DEMO_HOME, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<HostName>am.wso2.com', '<HostName>old.example.com'), 'latin1');
  const drift = runCli(['check', '--root', root, '--home', DEMO_HOME]);
  assert.equal(drift.code, 2);
  assert.ok(drift.stdout.includes('-    <HostName>old.example.com</HostName>'));
  assert.ok(drift.stdout.includes('+    <HostName>am.wso2.com</HostName>'));
});

test('rollback puts back the saved answers with the files: check afterwards matches; the first apply\'s rollback removes them', async () => {
  const root = await demoSandbox();
  const saved = join(root, stateDir(DEMO_HOME), 'answers.json');
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']).code, 0);
  const first = await readFile(saved, 'utf8');
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes', '--proxy-https-port', '8443']).code, 0);
  assert.match(await readFile(saved, 'utf8'), /"proxyHttpsPort": 8443/);

  assert.equal(runCli(['rollback', '--root', root, '--home', DEMO_HOME]).code, 0);
  assert.equal(await readFile(saved, 'utf8'), first);
  const check = runCli(['check', '--root', root, '--home', DEMO_HOME]);
  assert.equal(check.code, 0, check.stdout);

  assert.equal(runCli(['rollback', '--root', root, '--home', DEMO_HOME]).code, 0);
  await assert.rejects(readFile(saved), { code: 'ENOENT' });
});

test('plan without --answers on a configured node re-plans from the saved answers', async () => {
  const root = await demoSandbox();
  assert.equal(runCli(['plan', '--root', root, '--home', DEMO_HOME]).code, 1);
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']).code, 0);
  const r = runCli(['plan', '--root', root, '--home', DEMO_HOME]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Nothing to change/);
});

test('rollback puts back a worker deployment directory the apply emptied, and can be undone', async () => {
  const root = await demoSandbox();
  const deployment = join(root, DEMO_HOME, 'repository/deployment/server');
  await writeFile(join(deployment, 'api.xml'), '<api/>');
  const original = await tree(root);
  const worker = join(REPO, 'templates/examples/worker.json');
  const r = runCli(['apply', '--answers', worker, '--root', root, '--yes', '--reset-deployment', 'yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(await treeState(deployment)), []);
  await writeFile(join(deployment, 'pushed-by-rsync.xml'), '<api/>');
  const beforeRollback = await tree(root);

  const back = runCli(['rollback', '--root', root, '--home', DEMO_HOME]);
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual(await tree(root), original);

  const undoId = /To undo this rollback: rollback (\S+)/.exec(back.stdout)![1]!;
  assert.equal(runCli(['rollback', undoId, '--root', root, '--home', DEMO_HOME]).code, 0);
  assert.deepEqual(await tree(root), beforeRollback);

  // Rolled back again after the undo: the apply's backup is found where it belongs, whole.
  const applyId = /Rolled back (\S+) /.exec(back.stdout)![1]!;
  const again = runCli(['rollback', applyId, '--root', root, '--home', DEMO_HOME]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await tree(root), original);
});

test('rollback --demo acts on the demo sandbox', async () => {
  const tmp = await tempDir();
  const worker = join(REPO, 'templates/examples/worker.json');
  assert.equal(runCli(['apply', '--demo', '--answers', worker, '--yes'], { TMPDIR: tmp }).code, 0);
  const hosts = join(tmp, 'apim-gateway-wizard-demo/etc/hosts');
  assert.match(await readFile(hosts, 'utf8'), /BEGIN apim-gateway-wizard/);
  const r = runCli(['rollback', '--demo'], { TMPDIR: tmp });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(await readFile(hosts, 'utf8'), /BEGIN apim-gateway-wizard/);
});
