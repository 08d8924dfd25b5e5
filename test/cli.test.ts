// The real executable (the bundle that `npm ci` builds), spawned without a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../src/core/node/layout.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');
const WORKER = join(REPO, 'templates/examples/worker.json');

test('--version and --help', () => {
  const v = runCli(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  const h = runCli(['--help']);
  assert.equal(h.code, 0);
  for (const flag of ['--answers FILE', '--root DIR', '--host-name HOST', '--worker-ips A,B', '--proxy-https-port PORT']) assert.ok(h.stdout.includes(flag), flag);
});

test('VERB --help: the verb, its exit codes, only the options and answers it takes', () => {
  const sync = runCli(['sync', '--help']);
  assert.equal(sync.code, 0);
  assert.match(sync.stdout, /^Usage: apim-gateway-wizard sync \[--dry-run\] \[--yes\] \[--create-key\]\n/);
  assert.match(sync.stdout, /Exit: 0 in sync, 2 deletions need --yes, 1 error\./);
  for (const flag of ['--dry-run', '--create-key', '--sync-targets U@H:/HOME,..', '--host-name HOST']) assert.ok(sync.stdout.includes(flag), flag);
  // Load-balancer and worker-only answers, and other verbs' options, are not sync's.
  for (const flag of ['--nginx-site', '--reset-deployment', '--timeout', '--list', '--on-conflict']) assert.ok(!sync.stdout.includes(flag), flag);

  const status = runCli(['status', '--help']);
  assert.equal(status.code, 0);
  const flags = [...status.stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
  assert.deepEqual(flags, ['--answers', '--root', '--demo', '--demo-node', '--no-color', '--help', '--role', '--home']);
  assert.match(status.stdout, /Exit: 0 running, 3 not running\./);

  // Every verb has its own help, and the general help names every verb.
  const general = runCli(['--help']).stdout;
  for (const verb of ['plan', 'apply', 'check', 'rollback', 'sync', 'start', 'stop', 'status']) {
    const h = runCli([verb, '--help']);
    assert.equal(h.code, 0);
    assert.ok(h.stdout.startsWith(`Usage: apim-gateway-wizard ${verb}`), verb);
    assert.ok(general.includes(`  apim-gateway-wizard ${verb}`), verb);
  }
});

test('an option the verb does not take is refused, naming it, before anything is read or written', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const cases: [string[], string][] = [
    [['apply', '--answers', MANAGER, '--root', root, '--dry-run', '--yes'], 'error: --dry-run: not an option of apply (apim-gateway-wizard apply --help lists them)\n'],
    [['status', '--root', root, '--host-name', 'x', '--list'], 'error: --host-name, --list: not options of status (apim-gateway-wizard status --help lists them)\n'],
    [['sync', '--answers', MANAGER, '--root', root, '--nginx-site', '/etc/nginx/x'], 'error: --nginx-site: not an option of sync (apim-gateway-wizard sync --help lists them)\n'],
    [['--yes'], 'error: --yes: not an option of the interactive wizard (apim-gateway-wizard --help lists them)\n'],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(await treeState(root), before);
});

test('plan shows the diffs and exits 2; apply --yes writes; plan again exits 0', async () => {
  const root = await demoSandbox();
  const plan = runCli(['plan', '--answers', MANAGER, '--root', root]);
  assert.equal(plan.code, 2, plan.stderr);
  // The example manager pushes to two workers: the sync script, workers list and cron entry are created.
  const counts = /(\d+) files to change, 3 to create, 0 unchanged/.exec(plan.stdout);
  assert.ok(counts, plan.stdout);
  const files = Number(counts[1]) + 3;
  assert.ok(plan.stdout.includes('+    <HostName>am.wso2.com</HostName>'));
  assert.ok(plan.stdout.includes('+                   proxyPort="443"'));
  assert.ok(!plan.stdout.includes('\x1b['), 'no colour without a terminal');

  const apply = runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, new RegExp(`Applied: ${files} file\\(s\\) written\\.`));
  const saved = JSON.parse(await readFile(join(root, stateDir(DEMO_HOME), 'answers.json'), 'utf8'));
  assert.equal(saved.clusterHostIp, '192.0.2.21');

  const again = runCli(['plan', '--answers', MANAGER, '--root', root]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, new RegExp(`Nothing to change: ${files} files already as asked\\.`));
});

test('flags override the answers file', async () => {
  const root = await demoSandbox();
  const r = runCli(['plan', '--answers', WORKER, '--root', root, '--host-name', 'gw.example.org', '--proxy-http-port', '8080']);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stdout.includes('+    <HostName>gw.example.org</HostName>'));
  assert.ok(r.stdout.includes('proxyPort="8080"'));
});

test('apply without --yes, a bad file, a missing home, bad answers: exit 1, one clear line, nothing changed', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const noYes = runCli(['apply', '--answers', MANAGER, '--root', root]);
  assert.equal(noYes.code, 1);

  const missingHome = runCli(['plan', '--answers', MANAGER, '--root', root, '--home', '/opt/nowhere']);
  assert.equal(missingHome.code, 1);
  assert.equal(missingHome.stderr, `error: productHome ${join(root, '/opt/nowhere')} does not exist or is not a directory\n`);

  const dir = await tempDir();
  const bad = join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify({ role: 'worker', hostname: 'x', proxyHttpPort: 'eighty' }));
  const badAnswers = runCli(['plan', '--answers', bad, '--root', root]);
  assert.equal(badAnswers.code, 1);
  assert.deepEqual(badAnswers.stderr.trim().split('\n').sort(), [`error: ${bad}: proxyHttpPort must be a number`, `error: ${bad}: unknown key "hostname"`]);

  const unknownFlag = runCli(['plan', '--answers', MANAGER, '--root', root, '--frobnicate']);
  assert.equal(unknownFlag.code, 1);
  assert.match(unknownFlag.stderr, /^error: Unknown option '--frobnicate'/);
  assert.deepEqual(await treeState(root), before);

  const carbon = join(root, DEMO_HOME, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Name>', '<Name'), 'latin1');
  const broken = await treeState(root);
  const r = runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.match(r.stderr, /^error: \/opt\/wso2am-2\.1\.0\/repository\/conf\/carbon\.xml: the current file is not well-formed XML \(line \d+, column \d+: .+\)\n$/);
  assert.deepEqual(await treeState(root), broken);
});

test('no verb and no terminal: says how to run headless, exit 2', () => {
  const r = runCli([], { CI: 'true' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs a terminal/);
  assert.match(r.stderr, /plan --answers FILE/);
});

test('--demo plans against the built-in sandbox under a temp dir', async () => {
  const tmp = await tempDir();
  const r = runCli(['plan', '--demo', '--answers', WORKER], { TMPDIR: tmp });
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stdout.includes(`Plan for this Gateway Worker (${DEMO_HOME})`));
  assert.ok((await readFile(join(tmp, 'apim-gateway-wizard-demo/etc/hosts'), 'utf8')).includes('localhost'));
});
