// Issue 16 items 4 and 6 from the command line: a change to the answers alone is a change of
// the plan (shown per key, counted in the exit codes, written by apply in its checkpoint), and a
// node whose saved answers say one role is not re-planned as another without --switch-role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { savedAnswersPath } from '../src/core/answers/save.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');
const CRON = 'etc/cron.d/apim-gateway-wizard-depsync';
const exists = (p: string) => access(p).then(() => true, () => false);

async function configuredManager(): Promise<{ root: string; saved: string }> {
  const root = await demoSandbox();
  const r = runCli(['apply', '--answers', MANAGER, '--root', root, '--yes', '--no-color']);
  assert.equal(r.code, 0, r.stderr);
  return { root, saved: join(root, savedAnswersPath(DEMO_HOME)) };
}

test('a third worker without an rsync target: the answers change alone is shown, counted, applied, then nothing to change', async () => {
  const { root, saved } = await configuredManager();
  const third = join(await tempDir(), 'manager3.json');
  const answers = JSON.parse(await readFile(MANAGER, 'utf8'));
  await writeFile(third, JSON.stringify({ ...answers, workerIps: [...answers.workerIps, '192.0.2.23'] }));

  const plan = runCli(['plan', '--answers', third, '--root', root, '--no-color']);
  assert.equal(plan.code, 2, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /^Only the saved answers change \(1 answer\); 7 files already as asked\.$/m);
  assert.match(plan.stdout, /^ {2}answers: workerIps \+ 192\.0\.2\.23$/m);
  // The warning whole, on its line.
  assert.match(plan.stdout, /^warning: workerIps lists 192\.0\.2\.23, but syncTargets pushes to no such address: that worker would not get deployed APIs$/m);
  const checked = runCli(['check', '--answers', third, '--root', root, '--no-color']);
  assert.equal(checked.code, 2, 'check: the answers given are not the saved ones');
  assert.match(checked.stdout, /answers: workerIps \+ 192\.0\.2\.23/);

  const before = await treeState(root, { skip: ['var'] });
  const applied = runCli(['apply', '--answers', third, '--root', root, '--yes', '--no-color']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /Backups: /, 'written through a checkpoint');
  assert.deepEqual((JSON.parse(await readFile(saved, 'utf8')) as { workerIps: string[] }).workerIps, ['192.0.2.21', '192.0.2.22', '192.0.2.23']);
  assert.deepEqual(await treeState(root, { skip: ['var'] }), before, 'no other file written');

  const again = runCli(['plan', '--answers', third, '--root', root, '--no-color']);
  assert.equal(again.code, 0, again.stdout);
  assert.match(again.stdout, /Nothing to change: 7 files already as asked\./);
  assert.doesNotMatch(again.stdout, /answers:/);
  assert.equal(runCli(['check', '--root', root, '--home', DEMO_HOME]).code, 0);
  // The old answers are now the change: back to two workers, shown as such.
  const back = runCli(['plan', '--answers', MANAGER, '--root', root, '--no-color']);
  assert.equal(back.code, 2);
  assert.match(back.stdout, /answers: workerIps - 192\.0\.2\.23/);
});

test('the manager asked to become a worker: refused naming role, with what it changes and leaves; --switch-role plans and applies it', async () => {
  const { root, saved } = await configuredManager();
  const before = await treeState(root);
  const refused = runCli(['plan', '--answers', saved, '--role', 'worker', '--root', root, '--no-color']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^error: role: this node is configured as manager \(Gateway Manager, saved answers \/var\/lib\/apim-gateway-wizard\/nodes\/[^)]+answers\.json\); the answers ask for worker/m);
  // What it leaves comes from the manager's own files: the sync job, its cron entry, MgtHostName.
  assert.match(refused.stderr, /switching leaves: \/etc\/cron\.d\/apim-gateway-wizard-depsync stays as it is: runs the sync as wso2carbon/);
  assert.match(refused.stderr, /switching leaves: \/opt\/wso2am-2\.1\.0\/depsync\/apim-gateway-wizard-depsync\.sh stays as it is/);
  assert.match(refused.stderr, /switching leaves: \/opt\/wso2am-2\.1\.0\/repository\/conf\/carbon\.xml keeps what the Gateway Manager set: HostName am\.wso2\.com and MgtHostName mgt\.am\.wso2\.com/);
  assert.match(refused.stderr, /switching changes: \/etc\/hosts: mgt\.am\.wso2\.com → 192\.0\.2\.10 \(the Gateway Manager had: am\.wso2\.com → 192\.0\.2\.21\)/);
  assert.match(refused.stderr, /give --switch-role/);
  for (const verb of [['apply', '--yes'], ['check']]) {
    const r = runCli([...verb, '--answers', saved, '--role', 'worker', '--root', root]);
    assert.equal(r.code, 1, `${verb[0]} refuses too`);
    assert.match(r.stderr, /error: role: /);
  }
  assert.deepEqual(await treeState(root), before, 'nothing written');

  const plan = runCli(['plan', '--answers', saved, '--role', 'worker', '--root', root, '--no-color', '--switch-role']);
  assert.equal(plan.code, 2, plan.stderr);
  assert.match(plan.stdout, /^role switch: Gateway Manager → Gateway Worker/m);
  assert.match(plan.stdout, /^ {2}answers: role manager → worker$/m);
  const applied = runCli(['apply', '--answers', saved, '--role', 'worker', '--root', root, '--yes', '--switch-role']);
  assert.equal(applied.code, 0, applied.stderr);
  // What the plan said it leaves is there.
  assert.ok(await exists(join(root, CRON)));
  assert.match(await readFile(join(root, DEMO_HOME, 'repository/conf/carbon.xml'), 'utf8'), /<MgtHostName>mgt\.am\.wso2\.com<\/MgtHostName>/);
  assert.equal(JSON.parse(await readFile(saved, 'utf8')).role, 'worker');
  // Now a worker: planned as one without the flag, nothing to change.
  const again = runCli(['plan', '--root', root, '--home', DEMO_HOME]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
});

test('a saved plan switches the role only when it was made with --switch-role', async () => {
  const { root, saved } = await configuredManager();
  const file = join(await tempDir(), 'worker.plan');
  const made = runCli(['plan', '--answers', saved, '--role', 'worker', '--root', root, '--switch-role', '--out', file]);
  assert.equal(made.code, 2, made.stderr);
  const applied = runCli(['apply', '--plan', file, '--root', root, '--yes']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(JSON.parse(await readFile(saved, 'utf8')).role, 'worker');
});
