// Deployment sync for real: a throw-away sshd on 127.0.0.1, two worker homes on this machine,
// the wizard's first sync (key, preflight, preview, confirmation, push) and the generated
// script run the way cron runs it. Skipped with the reason when sshd or rsync is missing
// (a failure under CI=true).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, chmod, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join, relative } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { runProcess } from '../src/core/run/process.js';
import type { SyncEvent } from '../src/core/run/sync/events.js';
import { runSync } from '../src/core/run/sync/session.js';
import { BIN } from './helpers.js';
import { runAsCron } from './cron.js';
import { authorize, newHostKey, SSHD, startSshd, until, USER, type Sshd } from './sshd-helpers.js';
import { cronEntry, managerNode, rewriteAnswers, type Node, type NodeOptions } from './sync-helpers.js';

const missing = [SSHD, '/usr/bin/rsync', '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/flock'].filter((p) => !existsSync(p));
const skip = missing.length ? `needs ${missing.join(', ')} (Debian: openssh-server openssh-client rsync util-linux)` : false;
if (skip) {
  if (process.env.CI === 'true') test('sshd, ssh and rsync are installed under CI', () => assert.fail(String(skip)));
  else console.log(`# skipping the sync suite: ${skip}`);
}

let sshd: Sshd;
before(async () => {
  if (!skip) sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
});

/** Every entry below dir (directories with a trailing slash), with content hash and mode: equal maps = a mirror. */
async function mirror(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const st = await stat(p);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = (st.mode & 0o7777).toString(8);
        await walk(p);
      } else {
        out[relative(dir, p)] = `${(await readFile(p)).toString('base64')} ${(st.mode & 0o7777).toString(8)}`;
      }
    }
  }
  await walk(dir);
  return out;
}

const deploymentOf = (home: string) => join(home, 'repository/deployment/server/');
const tenantsOf = (home: string) => join(home, 'repository/tenants/');

/** Applied, key made and installed, first sync confirmed: what one pass through the wizard leaves. */
async function readyNode(opts: NodeOptions = {}): Promise<Node> {
  const node = await managerNode(sshd, opts);
  const apply = node.cli(['apply', '--yes']);
  assert.equal(apply.code, 0, apply.stderr);
  node.cli(['sync', '--create-key']);
  await authorize(sshd, `${node.key}.pub`);
  const r = node.cli(['sync', '--yes']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return node;
}

async function cron(node: Node) {
  return runAsCron(await cronEntry(node));
}

test('first sync: the key is made, refused until installed, every deletion previewed, nothing pushed without --yes', { skip }, async () => {
  const node = await managerNode(sshd);
  const before = await Promise.all(node.workers.map((w) => mirror(w)));
  assert.equal(node.cli(['apply', '--yes']).code, 0);

  const noKey = node.cli(['sync']);
  assert.equal(noKey.code, 1);
  assert.match(noKey.stdout, /does not exist\. Create it with --create-key/);

  const made = node.cli(['sync', '--create-key']);
  assert.equal(made.code, 1, made.stdout);
  assert.match(made.stdout, /key .*id_ed25519 \(SHA256:\S+\) created now/);
  assert.match(made.stdout, /refused the key .*id_ed25519 for \S+: add .*id_ed25519\.pub to ~\S+\/\.ssh\/authorized_keys/);
  assert.ok(made.stdout.includes(`ssh-copy-id -i ${node.key}.pub -p ${sshd.port} ${USER}@127.0.0.1`));
  assert.ok(made.stdout.includes((await readFile(`${node.key}.pub`, 'utf8')).trim()), 'the public key is shown');
  assert.equal((await stat(node.key)).mode & 0o777, 0o600);
  assert.match(made.stdout, /first contact: Permanently added '\[127\.0\.0\.1\]:\d+'/);

  await authorize(sshd, `${node.key}.pub`);
  const preview = node.cli(['sync', '--dry-run']);
  assert.equal(preview.code, 0, preview.stdout);
  for (const w of node.workers) {
    assert.ok(preview.stdout.includes(`${USER}@127.0.0.1:${w} repository/deployment/server/: 6 files to send`), preview.stdout);
  }
  assert.equal(preview.stdout.match(/DELETE repository\/deployment\/server\/synapse-configs\/stale API\.xml/g)?.length, 2);

  const stopped = node.cli(['sync']);
  assert.equal(stopped.code, 2, stopped.stdout);
  assert.match(stopped.stdout, /Stopped before the push: it would delete 2 files or directories on 2 workers/);
  assert.deepEqual(await Promise.all(node.workers.map((w) => mirror(w))), before, 'a dry run and a stopped sync touch no worker');
  assert.ok(!existsSync(join(node.home, 'depsync/confirmed')));

  const pushed = node.cli(['sync', '--yes']);
  assert.equal(pushed.code, 0, pushed.stdout);
  assert.match(pushed.stdout, /\*deleting repository\/deployment\/server\/synapse-configs\/stale API\.xml/);
  assert.match(pushed.stdout, /100% .*\(progress\)/);
  assert.match(pushed.stdout, /Every worker is in sync/);
  for (const w of node.workers) assert.deepEqual(await mirror(deploymentOf(w)), await mirror(node.deployment), w);
  const confirmed = (await readFile(join(node.home, 'depsync/confirmed'), 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(confirmed.sort(), node.workers.map((w) => `${USER}@127.0.0.1:${w}/repository/deployment/server/`).sort());
  // The worker's host key is recorded in the job's own known_hosts (hashed or not, as ssh_config says).
  const known = await runProcess('ssh-keygen', ['-F', `[127.0.0.1]:${sshd.port}`, '-f', join(node.home, 'depsync/known_hosts')]);
  assert.ok(known.ok && known.stdout.some((l) => l.includes('ssh-ed25519')), known.stdout.join('\n'));
});

test('cron runs the script: nested dirs, names with spaces, changes and deletions reach both workers; the log is timestamped', { skip }, async () => {
  const node = await readyNode();
  const d = node.deployment;
  await mkdir(join(d, 'synapse-configs/default/api/v 2/deep er'), { recursive: true });
  await writeFile(join(d, 'synapse-configs/default/api/v 2/deep er/new API.xml'), '<api name="new"/>\n');
  await writeFile(join(d, 'webapps/readme.txt'), 'changed\n');
  await chmod(join(d, 'webapps/readme.txt'), 0o640);
  await rm(join(d, 'synapse-configs/default/sequences/_auth_failure_handler_.xml'));
  await rm(join(d, 'jaggeryapps'), { recursive: true });

  const r = await cron(node);
  assert.equal(r.exitCode, 0, (await readFile(node.log, 'utf8')) + r.stderr.join('\n'));
  for (const w of node.workers) {
    assert.deepEqual(await mirror(deploymentOf(w)), await mirror(d), w);
    assert.ok(!existsSync(join(deploymentOf(w), 'repository')), 'no nested repository/ (no server/server)');
  }
  const log = await readFile(node.log, 'utf8');
  for (const w of node.workers) {
    assert.match(log, new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ok ${USER}@127\\.0\\.0\\.1:${w}/repository/deployment/server/ \\(\\d+ change\\(s\\)\\)$`, 'm'));
  }
  assert.match(log, /^\S+ \S+ \*deleting   synapse-configs\/default\/sequences\/_auth_failure_handler_\.xml$/m);
  assert.match(log, /^\S+ \S+ <f\+{9} synapse-configs\/default\/api\/v 2\/deep er\/new API\.xml$/m);
});

test('2.5 and later: only synapse-configs is pushed, in the first sync and by cron; what the optimizer left on a worker stays as it is', { skip }, async () => {
  const node = await managerNode(sshd, { answers: { release: '2.6.0' } });
  // As an optimized 2.6.0 worker has it: the PizzaShack sample alone in webapps, jaggeryapps empty.
  const own: Record<string, string>[] = [];
  for (const w of node.workers) {
    await mkdir(join(deploymentOf(w), 'webapps'), { recursive: true });
    await mkdir(join(deploymentOf(w), 'jaggeryapps'), { recursive: true });
    await writeFile(join(deploymentOf(w), 'webapps/am#sample#pizzashack#v1.war'), 'war\n');
    own.push(await mirror(deploymentOf(w)));
  }
  const apply = node.cli(['apply', '--yes']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(await readFile(join(node.home, 'depsync/apim-gateway-wizard-depsync.sh'), 'utf8'), /^readonly PAIRS=\('repository\/deployment\/server\/synapse-configs\/'\)$/m);
  node.cli(['sync', '--create-key']);
  await authorize(sshd, `${node.key}.pub`);
  const preview = node.cli(['sync']);
  assert.match(preview.stdout, /only the Synapse artifacts; the workers' --optimize start removes webapps and jaggeryapps/);
  assert.equal(preview.stdout.match(/DELETE repository\/deployment\/server\/synapse-configs\/stale API\.xml/g)?.length, 2, preview.stdout);
  assert.doesNotMatch(preview.stdout, /DELETE .*webapps|DELETE .*jaggeryapps/);
  assert.equal(node.cli(['sync', '--yes']).code, 0);

  await writeFile(join(node.deployment, 'synapse-configs/default/api/new API.xml'), '<api name="new"/>\n');
  await writeFile(join(node.deployment, 'webapps/readme.txt'), 'changed on the manager\n');
  const r = await cron(node);
  assert.equal(r.exitCode, 0, (await readFile(node.log, 'utf8')) + r.stderr.join('\n'));
  const synapse = await mirror(join(node.deployment, 'synapse-configs'));
  for (const [i, w] of node.workers.entries()) {
    assert.deepEqual(await mirror(join(deploymentOf(w), 'synapse-configs')), synapse, w);
    const rest = Object.fromEntries(Object.entries(await mirror(deploymentOf(w))).filter(([k]) => !k.startsWith('synapse-configs')));
    const before = Object.fromEntries(Object.entries(own[i]!).filter(([k]) => !k.startsWith('synapse-configs')));
    assert.deepEqual(rest, before, `${w}: webapps and jaggeryapps as the optimizer left them`);
  }
});

test('a worker whose first sync was not confirmed waits; the others are kept in sync', { skip }, async () => {
  const node = await readyNode();
  const third = join(node.base, 'worker3/wso2am-2.1.0');
  await mkdir(join(third, 'repository/deployment/server'), { recursive: true });
  await writeFile(join(third, 'repository/deployment/server/own.xml'), 'mine\n');
  const untouched = await mirror(third);
  await rewriteAnswers(node, { syncTargets: [...(node.answers.syncTargets as string[]), `${USER}@127.0.0.1:${third}`] });
  assert.equal(node.cli(['apply', '--yes']).code, 0);
  await writeFile(join(node.deployment, 'webapps/added.txt'), 'added\n');

  const r = await cron(node);
  assert.equal(r.exitCode, 0);
  assert.deepEqual(await mirror(third), untouched, 'cron never pushes to an unconfirmed worker');
  for (const w of node.workers) assert.ok(existsSync(join(deploymentOf(w), 'webapps/added.txt')));
  assert.match(await readFile(node.log, 'utf8'), new RegExp(`waiting: ${USER}@127\\.0\\.0\\.1:${third}/repository/deployment/server/ has not had its first sync`));
});

test('a second run while the first holds the lock exits without syncing', { skip }, async (t) => {
  const node = await readyNode();
  await writeFile(join(node.deployment, 'webapps/while-locked.txt'), 'x\n');
  const lock = join(node.home, 'depsync/depsync.lock');
  const ac = new AbortController();
  // The shell takes the lock on its own fd and becomes sleep: killing it frees the lock.
  const holder = runProcess('bash', ['-c', 'exec 9<"$1"; flock 9; echo held; exec sleep 120', 'hold', lock], { signal: ac.signal, killGraceMs: 500 });
  t.after(() => ac.abort());
  await until(async () => !(await runProcess('flock', ['--nonblock', lock, 'true'])).ok, 'the lock to be held');

  const r = await cron(node);
  assert.equal(r.exitCode, 0);
  for (const w of node.workers) assert.ok(!existsSync(join(deploymentOf(w), 'webapps/while-locked.txt')), 'nothing synced while locked');
  assert.match(await readFile(node.log, 'utf8'), /another sync still holds .*depsync\.lock: this run skipped/);

  ac.abort();
  await holder;
  assert.equal((await cron(node)).exitCode, 0);
  for (const w of node.workers) assert.ok(existsSync(join(deploymentOf(w), 'webapps/while-locked.txt')));
});

test('a wrong key: exit 1 and a plain message in the log; the workers keep their files', { skip }, async () => {
  const node = await readyNode();
  await writeFile(join(node.deployment, 'webapps/not-sent.txt'), 'x\n');
  const other = join(node.base, 'other');
  await mkdir(other);
  await runProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(other, 'k')]);
  await copyFile(join(other, 'k'), node.key);

  const r = await cron(node);
  assert.equal(r.exitCode, 1);
  const log = await readFile(node.log, 'utf8');
  assert.match(log, /Permission denied \(publickey/);
  assert.match(log, new RegExp(`FAILED ${USER}@127\\.0\\.0\\.1:\\S+ \\(rsync exit \\d+\\): 127\\.0\\.0\\.1 refused the key ${node.key} for ${USER}: add ${node.key}\\.pub to ~${USER}/\\.ssh/authorized_keys`));
  for (const w of node.workers) assert.ok(!existsSync(join(deploymentOf(w), 'webapps/not-sent.txt')));
});

test('the tenants pair syncs repository/tenants/ and leaves deployment/server alone', { skip }, async () => {
  const node = await managerNode(sshd, { tenants: true });
  await mkdir(join(node.home, 'repository/tenants/1/synapse-configs/default/api'), { recursive: true });
  await writeFile(join(node.home, 'repository/tenants/1/synapse-configs/default/api/tenant API.xml'), '<api tenant="1"/>\n');
  for (const w of node.workers) await writeFile(join(tenantsOf(w), 'stale-tenant.txt'), 'old\n');
  assert.equal(node.cli(['apply', '--yes']).code, 0);
  node.cli(['sync', '--create-key']);
  await authorize(sshd, `${node.key}.pub`);
  const preview = node.cli(['sync', '--dry-run']);
  assert.equal(preview.stdout.match(/DELETE repository\/tenants\/stale-tenant\.txt/g)?.length, 2, preview.stdout);
  assert.equal(node.cli(['sync', '--yes']).code, 0);
  for (const w of node.workers) {
    assert.deepEqual(await mirror(tenantsOf(w)), await mirror(tenantsOf(node.home)));
    assert.deepEqual(await mirror(deploymentOf(w)), await mirror(node.deployment));
  }

  // Only the tenants change: cron updates tenants, and every byte of deployment/server stays.
  const deployed = await Promise.all(node.workers.map((w) => mirror(deploymentOf(w))));
  await writeFile(join(node.home, 'repository/tenants/1/synapse-configs/default/api/second.xml'), '<api/>\n');
  const r = await cron(node);
  assert.equal(r.exitCode, 0, await readFile(node.log, 'utf8'));
  for (const [i, w] of node.workers.entries()) {
    assert.ok(existsSync(join(tenantsOf(w), '1/synapse-configs/default/api/second.xml')));
    assert.deepEqual(await mirror(deploymentOf(w)), deployed[i]);
    assert.ok(!existsSync(join(tenantsOf(w), 'synapse-configs')), 'deployment content never lands in tenants');
  }
});

test('an empty manager deployment directory is never pushed with --delete', { skip }, async () => {
  const node = await readyNode();
  const before = await Promise.all(node.workers.map((w) => mirror(w)));
  await rm(node.deployment, { recursive: true });
  await mkdir(node.deployment);
  const r = await cron(node);
  assert.equal(r.exitCode, 2);
  assert.match(await readFile(node.log, 'utf8'), /is empty; refusing to push it with --delete/);
  assert.deepEqual(await Promise.all(node.workers.map((w) => mirror(w))), before);
  const s = node.cli(['sync', '--yes']);
  assert.equal(s.code, 1);
  assert.match(s.stdout + s.stderr, /is empty; pushing it with --delete would empty every worker/);
});

test('a hand-edited workers list pointing at / is refused by the script at run time', { skip }, async () => {
  const node = await readyNode();
  await appendFile(join(node.home, 'depsync/workers.list'), `${USER}@127.0.0.1:/\n${USER}@127.0.0.1:relative/home\n`);
  const r = await cron(node);
  assert.equal(r.exitCode, 1);
  const log = await readFile(node.log, 'utf8');
  assert.match(log, new RegExp(`REFUSED ${USER}@127\\.0\\.0\\.1://repository/deployment/server/: not in normal form`));
  assert.match(log, new RegExp(`REFUSED ${USER}@127\\.0\\.0\\.1:relative/home/repository/deployment/server/: not user@host:/absolute/path`));
});

/** The core run with a chosen connect time-out, collecting events. */
async function coreSync(node: Node, extra: { connectTimeout?: number; dryRun?: boolean } = {}) {
  const events: SyncEvent[] = [];
  const result = await runSync(resolveAnswers(node.answers), {
    root: node.root,
    dryRun: extra.dryRun ?? true,
    connectTimeout: extra.connectTimeout,
    emit: (e) => events.push(e),
    confirm: async () => true,
  });
  const checks = (worker: string) => events.filter((e): e is Extract<SyncEvent, { type: 'check' }> => e.type === 'check' && e.worker === worker && e.status === 'failed');
  const failed = (worker: string) => checks(worker).map((e) => e.detail);
  const reasons = (worker: string) => checks(worker).map((e) => e.reason);
  return { result, events, failed, reasons };
}

test('preflight in plain words: connection refused, time-out, missing directory, changed host key', { skip }, async (t) => {
  const node = await readyNode();
  // Accepts and never says a word: ssh waits for a banner that never comes.
  const held = new Set<Socket>();
  const silent: Server = createServer((s) => held.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of held) s.destroy();
    return new Promise<void>((r) => silent.close(() => r()));
  });
  const silentPort = (silent.address() as { port: number }).port;

  // Nothing listens: a port taken and released at once.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((r) => closed.close(() => r()));

  const [w1, w2] = node.workers.map((w) => `${USER}@127.0.0.1:${w}`) as [string, string];
  node.answers.syncSshPort = closedPort;
  let r = await coreSync(node);
  assert.equal(r.result.status, 'failed');
  assert.match(r.failed(w1).join(), new RegExp(`nothing accepts ssh connections on 127\\.0\\.0\\.1 port ${closedPort}: is sshd running`));
  assert.deepEqual(r.reasons(w1), ['refused']);

  node.answers.syncSshPort = silentPort;
  r = await coreSync(node, { connectTimeout: 1 });
  assert.match(r.failed(w1).join(), new RegExp(`no answer from 127\\.0\\.0\\.1 port ${silentPort} in time`));
  assert.deepEqual(r.reasons(w1), ['timeout']);

  node.answers.syncSshPort = sshd.port;
  const gone = join(node.base, 'not-a-home');
  node.answers.syncTargets = [w1, `${USER}@127.0.0.1:${gone}`];
  r = await coreSync(node);
  assert.match(r.failed(`${USER}@127.0.0.1:${gone}`).join(), /not-a-home\/repository\/deployment\/server\/ does not exist on 127\.0\.0\.1: is the product home in syncTargets right\? \(the sync never creates it\)/);
  assert.ok(!existsSync(gone), 'nothing was created on the worker');
  assert.equal(r.failed(w1).length, 0);

  // The worker is reinstalled: same address and port, a new host key.
  const port = sshd.port;
  await sshd.stop();
  const moved = await startSshd({ port, dir: sshd.dir, hostKey: await newHostKey(sshd.dir, 'host_ed25519_new') });
  try {
    node.answers.syncTargets = [w1, w2];
    r = await coreSync(node);
    assert.match(r.failed(w1).join(), new RegExp(`127\\.0\\.0\\.1 answered with a different host key than the one recorded in .*known_hosts .*ssh-keygen -R '\\[127\\.0\\.0\\.1\\]:${port}' -f `));
  } finally {
    await moved.stop();
    sshd = await startSshd({ port, dir: sshd.dir, hostKey: sshd.hostKey });
  }
});

test('rsync missing on the worker is named before any push', { skip }, async (t) => {
  const node = await readyNode();
  // A worker whose logins find no rsync on their PATH.
  const wrapper = join(node.base, 'no-rsync.sh');
  await writeFile(wrapper, '#!/bin/sh\nexec env PATH=/nonexistent /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n', { mode: 0o755 });
  const bare = await startSshd({ forceCommand: wrapper });
  t.after(() => bare.stop());
  await appendFile(bare.authorizedKeys, await readFile(`${node.key}.pub`, 'utf8'));
  node.answers.syncSshPort = bare.port;
  const r = await coreSync(node);
  assert.equal(r.result.status, 'failed');
  assert.match(r.failed(`${USER}@127.0.0.1:${node.workers[0]}`).join(), /rsync is not installed on 127\.0\.0\.1: install it there/);
  assert.ok(!r.events.some((e) => e.type === 'preview'));
});

/** A worker that takes its data slowly (about 1 MB/s), so that a push lasts seconds. */
async function slowSshd(node: Node): Promise<Sshd> {
  const wrapper = join(node.base, 'slow-worker.sh');
  await writeFile(
    wrapper,
    [
      '#!/bin/bash',
      'case $SSH_ORIGINAL_COMMAND in',
      "  'rsync --server'*)",
      // rsync is the login's main process (its exit ends the session); perl feeds it 16 KB every 16 ms.
      "    exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\" < <(perl -e 'while (sysread(STDIN, $b, 16384)) { syswrite(STDOUT, $b); select(undef, undef, undef, 0.016) }') ;;",
      '  *) exec /bin/sh -c "$SSH_ORIGINAL_COMMAND" ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const slow = await startSshd({ forceCommand: wrapper });
  await appendFile(slow.authorizedKeys, await readFile(`${node.key}.pub`, 'utf8'));
  return slow;
}

test('streaming: progress reaches the wizard and headless stdout while rsync is still sending', { skip }, async (t) => {
  const node = await readyNode({ workers: 1 });
  const big = join(node.deployment, 'webapps/big.war');
  await writeFile(big, Buffer.alloc(3 * 1024 * 1024, 7));
  const landed = join(deploymentOf(node.workers[0]!), 'webapps/big.war');
  const slow = await slowSshd(node);
  t.after(() => slow.stop());
  await rewriteAnswers(node, { syncSshPort: slow.port });

  // The core, as the wizard's screen uses it.
  let seenEarly = false;
  const result = await runSync(resolveAnswers(node.answers), {
    root: node.root,
    confirm: async () => true,
    emit: (e) => {
      if (e.type === 'progress' && e.progress.percent < 100 && !existsSync(landed)) seenEarly = true;
    },
  });
  assert.equal(result.status, 'done');
  assert.ok(seenEarly, 'a progress event arrived before the file was complete on the worker');
  assert.ok(existsSync(landed));

  // Headless, through the real executable's stdout.
  await rm(landed);
  let printedEarly = false;
  const cli = await runProcess(process.execPath, [BIN, 'sync', '--yes', '--answers', node.answersFile, '--root', node.root], {
    onLine: (l) => {
      if (l.stream === 'stdout' && /\d+% .*\(progress\)$/.test(l.text) && !/ 100% /.test(l.text) && !existsSync(landed)) printedEarly = true;
    },
  });
  assert.equal(cli.exitCode, 0, cli.stdout.join('\n'));
  assert.ok(printedEarly, 'a progress line was printed before the file was complete on the worker');
});

test('the wizard offers the key: declined, nothing is made; accepted, the cron user gets an ed25519 key of its own', { skip }, async () => {
  const node = await managerNode(sshd);
  assert.equal(node.cli(['apply', '--yes']).code, 0);
  const asked: { path: string; command: string }[] = [];
  const events: SyncEvent[] = [];
  const options = (answer: boolean) => ({
    root: node.root,
    dryRun: true,
    emit: (e: SyncEvent) => events.push(e),
    confirm: async () => true,
    createKey: async (missing: { path: string; command: string }) => {
      asked.push(missing);
      return answer;
    },
  });
  const declined = await runSync(resolveAnswers(node.answers), options(false));
  assert.equal(declined.status, 'blocked');
  assert.equal(asked[0]?.path, node.key);
  assert.match(asked[0]!.command, new RegExp(`^ssh-keygen -t ed25519 -N '' -C \\S+ -f ${node.key}$`));
  assert.ok(!existsSync(node.key));
  assert.ok(events.some((e) => e.type === 'key-missing'));

  const accepted = await runSync(resolveAnswers(node.answers), options(true));
  assert.equal(accepted.status, 'failed', 'the key is not on the workers yet');
  assert.ok(accepted.workers.every((w) => w.reason === 'key-refused'));
  const key = events.find((e): e is Extract<SyncEvent, { type: 'key' }> => e.type === 'key')!.key;
  assert.equal(key.created, true);
  assert.match(key.publicKey, /^ssh-ed25519 \S+ apim-gateway-wizard-depsync@/);
  assert.equal(key.publicKey, (await readFile(`${node.key}.pub`, 'utf8')).trim());
  const hint = events.find((e): e is Extract<SyncEvent, { type: 'install-key' }> => e.type === 'install-key')!.hint;
  assert.ok(hint.manual.includes(key.publicKey));
  assert.equal((await stat(node.key)).uid, process.getuid!());
});

const asRoot = process.getuid?.() === 0;
const nobody = asRoot && (await runProcess('id', ['-u', 'nobody'])).ok;

test('run as root for another cron user: the key, known_hosts and lock are that user\'s (runuser)', { skip: skip || (nobody ? false : 'needs root and the user nobody') }, async () => {
  const node = await managerNode(sshd, { answers: { syncCronUser: 'nobody' } });
  await chmod(node.base, 0o755); // mkdtemp made it private; the cron user must reach the manager's home
  assert.equal(node.cli(['apply', '--yes']).code, 0);
  const uid = Number((await runProcess('id', ['-u', 'nobody'])).stdout[0]);
  assert.equal((await stat(join(node.home, 'depsync'))).uid, uid, 'the job directory is given to the cron user');
  assert.equal((await stat(join(node.root, 'etc/cron.d/apim-gateway-wizard-depsync'))).uid, 0);

  const made = node.cli(['sync', '--create-key']);
  assert.match(made.stdout, /ssh and rsync run as nobody \(runuser\), like the cron job/);
  assert.equal((await stat(node.key)).uid, uid);
  await authorize(sshd, `${node.key}.pub`);
  const r = node.cli(['sync', '--yes']);
  assert.equal(r.code, 0, r.stdout);
  for (const w of node.workers) assert.deepEqual(await mirror(deploymentOf(w)), await mirror(node.deployment));
  for (const f of ['known_hosts', 'depsync.lock']) assert.equal((await stat(join(node.home, 'depsync', f))).uid, uid, f);
});
