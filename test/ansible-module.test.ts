// The Ansible collection for real: ansible-playbook (Debian's ansible-core) runs the apim.gateway
// collection against three nodes on this machine (ansible_connection=local, each node its own
// --root sandbox; the lead's cluster test covers ssh). check.yml reviews every node without
// writing, site.yml applies in WSO2's order, a second check says nothing is left; bad answers
// fail the node's task naming the key. Skipped with the reason when ansible-playbook is missing
// (a failure under CI=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { delimiter, join, resolve } from 'node:path';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';
import { fakeJava, simHome } from './server-helpers.js';

const PLAYBOOK = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'ansible-playbook')).find((p) => existsSync(p));
const skip = PLAYBOOK ? false : 'needs ansible-playbook (Debian: ansible-core)';
if (skip) {
  if (process.env.CI === 'true') test('ansible-playbook is installed under CI', () => assert.fail(String(skip)));
  else console.log(`# skipping the Ansible collection suite: ${skip}`);
}

const SHARED = { productHome: DEMO_HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '127.0.0.1' };

/** A port nothing listens on now (nginx -t binds the load balancer's ports). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

interface Cluster {
  base: string;
  inventory: string;
  roots: Record<string, string>;
  tmp: string;
}

type Group = 'apim_manager' | 'apim_workers' | 'apim_load_balancer';

/** An inventory as `cluster inventory` prints it, every node local with its own --root and wizard folder. */
async function cluster(nodes: Record<string, { group: Group; answers: Record<string, unknown>; root: string; wizardDir?: string }>, base?: string): Promise<Cluster> {
  base ??= await tempDir('agw-ansible-');
  const roots: Record<string, string> = {};
  const groups: Record<Group, { hosts: Record<string, unknown> }> = { apim_manager: { hosts: {} }, apim_workers: { hosts: {} }, apim_load_balancer: { hosts: {} } };
  for (const [name, { group, answers, root, wizardDir }] of Object.entries(nodes)) {
    roots[name] = root;
    groups[group].hosts[name] = {
      ansible_connection: 'local',
      ansible_python_interpreter: '/usr/bin/python3',
      apim_node: name,
      apim_role: answers.role,
      apim_answers: answers,
      apim_root: root,
      // Each node its own wizard folder (inside this test's root-only temp folder); the bundle is the role's default.
      apim_wizard_dir: wizardDir ?? join(base, 'wizard', name),
      apim_wizard_interpreter: process.execPath,
    };
  }
  const inventory = join(base, 'inventory.json');
  await writeFile(inventory, JSON.stringify({ all: { children: groups } }, null, 2));
  const tmp = join(base, 'tmp');
  await mkdir(tmp, { mode: 0o700 });
  return { base, inventory, roots, tmp };
}

/**
 * manager, worker-1, the load balancer; `broken`, a worker whose answers are wrong; `planted`, a
 * worker whose wizard folder is in a folder every user can write (someone could swap the wizard root runs).
 */
async function fiveNodes(): Promise<Cluster> {
  const base = await tempDir('agw-ansible-');
  await mkdir(join(base, 'open'));
  await chmod(join(base, 'open'), 0o777);
  return cluster({
    manager: { group: 'apim_manager', answers: { role: 'manager', ...SHARED, workerIps: ['127.0.0.2'] }, root: await demoSandbox() },
    'worker-1': { group: 'apim_workers', answers: { role: 'worker', ...SHARED }, root: await demoSandbox() },
    broken: { group: 'apim_workers', answers: { role: 'worker', ...SHARED, hostName: 'not a host name' }, root: await demoSandbox() },
    planted: { group: 'apim_workers', answers: { role: 'worker', ...SHARED }, root: await demoSandbox(), wizardDir: join(base, 'open', 'wizard') },
    lb: {
      group: 'apim_load_balancer',
      answers: {
        role: 'load-balancer',
        hostName: SHARED.hostName,
        mgtHostName: SHARED.mgtHostName,
        managerIp: '127.0.0.1',
        workerIps: ['127.0.0.2'],
        listenAddress: '127.0.0.1',
        proxyHttpPort: await freePort(),
        proxyHttpsPort: await freePort(),
        selfSignedCertificate: true,
        nginxSite: '/etc/nginx/sites-available/apim-gateway',
      },
      root: await demoSandbox(),
    },
  }, base);
}

interface HostResult {
  changed?: boolean;
  failed?: boolean;
  msg?: string;
  document?: Record<string, unknown> & { files: { path: string; status: string; reasons: string[]; diff: string }[] };
  stdout_lines?: string[];
  summary?: string;
  diff?: { before_header: string; prepared: string }[];
  wizard_installed?: boolean;
}
interface PlaybookRun {
  code: number | null;
  stats: Record<string, { changed: number; failures: number; ok: number; unreachable: number }>;
  /** The result of the task named for a host (over every play it ran in); fails when the host did not run it. */
  task(name: string): (host: string) => HostResult;
  /** The hosts that ran the task named, play by play, in the order the plays ran. */
  order(name: string): string[][];
  stderr: string;
}

/**
 * ansible-playbook (one of the repository's playbooks, or a path) with the collection's results
 * callback (JSON); ansible's own files (temp, cache) stay in the test's folder.
 */
function playbook(c: Cluster, book: string, args: string[], env: Record<string, string> = {}): PlaybookRun {
  const home = join(c.base, 'home');
  const r = spawnSync(PLAYBOOK!, ['-i', c.inventory, resolve(REPO, 'ansible/playbooks', book), ...args], {
    cwd: c.base,
    encoding: 'utf8',
    timeout: 240_000,
    env: {
      ...process.env,
      HOME: home,
      TMPDIR: c.tmp,
      ANSIBLE_CONFIG: join(REPO, 'ansible/ansible.cfg'),
      ANSIBLE_STDOUT_CALLBACK: 'apim.gateway.results',
      ANSIBLE_LOCAL_TEMP: join(home, 'local-tmp'),
      ANSIBLE_REMOTE_TEMP: join(home, 'remote-tmp'),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORKS: '5',
      CARBON_HOME: undefined,
      NO_COLOR: undefined,
      ...env,
    },
  });
  let out: { plays: { tasks: { task: { name: string }; hosts: Record<string, HostResult> }[] }[]; stats: PlaybookRun['stats'] };
  try {
    out = JSON.parse(r.stdout);
  } catch {
    assert.fail(`ansible-playbook ${book} printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return {
    code: r.status,
    stats: out.stats,
    stderr: r.stderr,
    task: (name) => {
      const hosts: Record<string, HostResult> = {};
      // The callback names a role's task "role : task".
      for (const play of out.plays) for (const t of play.tasks) if (t.task.name === name || t.task.name.endsWith(` : ${name}`)) Object.assign(hosts, t.hosts);
      return (host) => hosts[host] ?? assert.fail(`${host} did not run "${name}"`);
    },
    order: (name) =>
      out.plays.flatMap((play) => play.tasks.filter((t) => t.task.name.endsWith(name)).map((t) => Object.keys(t.hosts))),
  };
}

const CONFIGURE = "Plan and apply the node's answers";
const GOOD = ['manager', 'worker-1', 'lb'];

async function states(c: Cluster, nodes = GOOD): Promise<Record<string, Record<string, string>>> {
  return Object.fromEntries(await Promise.all(nodes.map(async (n) => [n, await treeState(c.roots[n]!)] as const)));
}

test('check.yml reviews every node without writing; site.yml applies in order; a second check is all ok; bad answers fail naming the key; a wizard others could change is not run', { skip }, async () => {
  const c = await fiveNodes();
  const before = await states(c);

  // 1. The review: every node planned (in check mode), every one has changes pending, nothing written.
  const review = playbook(c, 'check.yml', ['--diff']);
  assert.equal(review.code, 2, `two hosts fail (broken, planted): ${review.stderr}`);
  const planned = review.task(CONFIGURE);
  for (const n of GOOD) {
    const r = planned(n);
    assert.equal(r.failed ?? false, false, `${n}: ${JSON.stringify(r).slice(0, 3000)}`);
    assert.equal(r.changed, true, n);
    assert.equal(review.stats[n]?.failures, 0, n);
    const doc = r.document!;
    assert.equal(doc.format, 'apim-gateway-wizard/node-document');
    assert.equal(doc.version, 1);
    assert.equal(doc.command, 'plan');
    assert.equal(doc.exitCode, 2);
    assert.equal(doc.changed, true);
    assert.deepEqual(doc.errors, []);
    assert.equal(r.summary, doc.summary);
    assert.ok(/to change|to create/.test(String(doc.summary)), `${n}: ${doc.summary}`);
    assert.equal((doc.node as { role: string }).role, n === 'lb' ? 'load-balancer' : n === 'manager' ? 'manager' : 'worker');
    // --diff: one entry per file that changes, its unified diff as the wizard made it.
    const changing = doc.files.filter((f) => f.status !== 'unchanged');
    assert.ok(changing.length > 0, n);
    // Each headed by the file, its status and reasons (callbacks print only the prepared text).
    assert.deepEqual(
      r.diff!.filter((d) => !d.before_header.startsWith('saved answers')).map((d) => d.prepared),
      changing.map((f) => `# ${f.path} (${f.status}: ${f.reasons.join('; ')})\n${f.diff.endsWith('\n') ? f.diff : `${f.diff}\n`}`),
    );
  }
  assert.match(planned('manager').document!.files.find((f) => f.path.endsWith('carbon.xml'))!.diff, /\+\s*<MgtHostName>mgt\.am\.wso2\.com<\/MgtHostName>/);
  // The bad node's task fails with the wizard's error, which names the key.
  assert.equal(planned('broken').failed, true);
  assert.match(planned('broken').msg!, /^answers: hostName has an invalid label "not a host name"/);
  assert.equal(planned('broken').document!.exitCode, 1);
  // No wizard is put (or run as root) in a folder another user can change.
  assert.equal(planned('planted').failed, true);
  assert.equal(planned('planted').msg, `refusing to put the wizard on the node: the folder ${join(c.base, 'open')} can be changed by another user (owner uid 0, mode 777)`);
  assert.deepEqual(await readdir(join(c.base, 'open')), []);
  assert.deepEqual(await states(c), before, 'a check writes nothing on any node');

  // 2. site.yml without the start plays: every node applied, manager → worker → load balancer.
  const site = playbook(c, 'site.yml', ['--limit', '!broken:!planted', '-e', 'apim_start=false']);
  assert.equal(site.code, 0, site.stderr);
  const applied = site.task(CONFIGURE);
  // WSO2's order: the manager, the workers (batches of one), the load balancer.
  assert.deepEqual(site.order(CONFIGURE), [['manager'], ['worker-1'], ['lb']]);
  for (const n of GOOD) {
    assert.equal(applied(n).changed, true, n);
    assert.equal(applied(n).document!.command, 'apply', n);
    assert.equal(applied(n).document!.exitCode, 0, n);
  }
  const after = await states(c);
  for (const n of GOOD) assert.notDeepEqual(after[n], before[n], `${n} was written`);

  // 3. The drift check after apply: changed=0 on every node.
  const again = playbook(c, 'check.yml', ['--limit', '!broken:!planted', '--diff']);
  assert.equal(again.code, 0, again.stderr);
  for (const n of GOOD) {
    assert.deepEqual([again.stats[n]?.changed, again.stats[n]?.failures], [0, 0], n);
    const doc = again.task(CONFIGURE)(n).document!;
    assert.deepEqual([doc.changed, doc.pending, doc.exitCode], [false, 0, 0], n);
  }
  assert.deepEqual(await states(c), after, 'the second check writes nothing');

  // The answers files the module wrote were removed, on success and on failure.
  assert.deepEqual(await readdir(c.tmp), []);
  // The wizard was put where the inventory said, root's, 0755.
  const wizard = await stat(join(c.base, 'wizard', 'manager', 'cli.cjs'));
  assert.deepEqual([wizard.uid, wizard.mode & 0o7777], [0, 0o755]);
});

test('site.yml starts the manager, then the worker (restarted once after its first start); a second run changes nothing', { skip }, async () => {
  // The demo product's simulated server, each node on a port offset free now (stopped after the test by server-helpers).
  const manager = await simHome();
  const worker = await simHome();
  const c = await cluster({
    manager: { group: 'apim_manager', answers: { role: 'manager', ...SHARED, workerIps: ['127.0.0.2'] }, root: manager.root },
    'worker-1': { group: 'apim_workers', answers: { role: 'worker', ...SHARED }, root: worker.root },
  });
  const env = { JAVA_HOME: await fakeJava(), APIM_DEMO_PACE_MS: '2' };
  const first = playbook(c, 'site.yml', [], env);
  assert.equal(first.code, 0, first.stderr);
  const started = first.task('Start the server and wait until it is ready');
  assert.equal(started('manager').changed, true);
  assert.equal(started('worker-1').changed, true);
  assert.ok(started('worker-1').stdout_lines!.some((l) => l.includes('First start of this worker: restarting it once')), started('worker-1').stdout_lines!.join('\n'));
  for (const [name, home] of [['manager', manager], ['worker-1', worker]] as const) {
    const status = runCli(['status', '--root', home.root, '--home', DEMO_HOME, '--role', name === 'manager' ? 'manager' : 'worker']);
    assert.equal(status.code, 0, `${name} runs: ${status.stdout}`);
  }

  // Everything in place and running: nothing to apply, nothing to start.
  const again = playbook(c, 'site.yml', [], env);
  assert.equal(again.code, 0, again.stderr);
  for (const n of ['manager', 'worker-1']) {
    assert.deepEqual([again.stats[n]?.changed, again.stats[n]?.failures], [0, 0], n);
    assert.equal(again.task('Start the server and wait until it is ready')(n).msg, 'already running', n);
  }
});

const sha1 = (data: Buffer): string => createHash('sha1').update(data).digest('hex');

test('the wizard is put on a node only when it is missing or differs, also by a check; never into, nor run from, a folder another user can change; a sent copy that differs is not installed', { skip }, async () => {
  const base = await tempDir('agw-ansible-');
  const bundle = await readFile(join(REPO, 'dist', 'cli.cjs'));
  const wizardDirs = { fresh: join(base, 'w', 'fresh', 'deep'), stale: join(base, 'w', 'stale'), open: join(base, 'open', 'wizard'), present: join(base, 'open2') };
  // stale: another wizard (an older release) already there, root's, 0755.
  await mkdir(wizardDirs.stale, { recursive: true });
  await writeFile(join(wizardDirs.stale, 'cli.cjs'), '#!/usr/bin/env node\n// an older wizard\n', { mode: 0o755 });
  // present: the controller's very wizard, in a folder every user can write (it could be swapped before root runs it).
  await mkdir(join(base, 'open'));
  await mkdir(wizardDirs.present);
  await chmod(join(base, 'open'), 0o777);
  await chmod(wizardDirs.present, 0o777);
  await copyFile(join(REPO, 'dist', 'cli.cjs'), join(wizardDirs.present, 'cli.cjs'));
  const nodes = Object.fromEntries(
    await Promise.all(Object.entries(wizardDirs).map(async ([name, wizardDir]) => [name, { group: 'apim_workers' as const, answers: { role: 'worker', ...SHARED }, root: await demoSandbox(), wizardDir }] as const)),
  );
  const c = await cluster(nodes, base);
  const before = await states(c, ['fresh', 'stale']);

  const first = playbook(c, 'check.yml', []);
  const planned = first.task(CONFIGURE);
  for (const n of ['fresh', 'stale']) {
    assert.equal(planned(n).failed ?? false, false, `${n}: ${planned(n).msg}`);
    assert.equal(planned(n).wizard_installed, true, n);
    // The check is still the node's drift check: changed says the node's files have changes pending.
    assert.equal(planned(n).document!.command, 'plan', n);
    const put = await stat(join(wizardDirs[n as 'fresh'], 'cli.cjs'));
    assert.deepEqual([put.uid, put.mode & 0o7777, sha1(await readFile(join(wizardDirs[n as 'fresh'], 'cli.cjs')))], [0, 0o755, sha1(bundle)], n);
  }
  // The folders made on the way are root's, 0755.
  for (const d of [join(base, 'w', 'fresh'), wizardDirs.fresh]) {
    const st = await stat(d);
    assert.deepEqual([st.uid, st.mode & 0o7777], [0, 0o755], d);
  }
  assert.equal(planned('open').msg, `refusing to put the wizard on the node: the folder ${join(base, 'open')} can be changed by another user (owner uid 0, mode 777)`);
  assert.equal(planned('open').wizard_installed, false);
  assert.equal(planned('present').msg, `refusing to run the wizard: the folder ${wizardDirs.present} can be changed by another user (owner uid 0, mode 777)`);
  assert.equal(planned('present').wizard_installed, undefined, 'the wizard there is current: nothing was sent');
  assert.deepEqual(await readdir(join(base, 'open')), [], 'nothing was made in the open folder');
  assert.deepEqual(await states(c, ['fresh', 'stale']), before, 'a check writes nothing of the node');
  // Nothing of the transfer is left in Ansible's remote temporary folder.
  assert.deepEqual(await readdir(join(base, 'home', 'remote-tmp')), []);

  // A wizard already current is neither sent nor rewritten.
  const kept = await stat(join(wizardDirs.fresh, 'cli.cjs'));
  const again = playbook(c, 'check.yml', ['--limit', 'fresh:stale']);
  assert.equal(again.code, 0, again.stderr);
  for (const n of ['fresh', 'stale']) assert.equal(again.task(CONFIGURE)(n).wizard_installed, undefined, n);
  const still = await stat(join(wizardDirs.fresh, 'cli.cjs'));
  assert.deepEqual([still.ino, still.mtimeMs], [kept.ino, kept.mtimeMs]);

  // The module installs only what the controller checked: a sent copy changed on the way is refused.
  const sent = join(base, 'sent-wizard');
  await writeFile(sent, Buffer.concat([bundle, Buffer.from('\n// changed on the way\n')]));
  const tampered = join(base, 'tampered.yml');
  await writeFile(tampered, [
    '- hosts: fresh',
    '  gather_facts: false',
    '  tasks:',
    '    - name: Install a sent copy',
    '      apim.gateway.node:',
    `        wizard: ${join(base, 'w', 'tampered', 'cli.cjs')}`,
    `        wizard_checksum: ${sha1(bundle)}`,
    `        wizard_source: ${sent}`,
    `        interpreter: ${process.execPath}`,
    '        answers: "{{ apim_answers }}"',
    '        root: "{{ apim_root }}"',
    '',
  ].join('\n'));
  const refused = playbook(c, tampered, []).task('Install a sent copy')('fresh');
  assert.equal(refused.msg, "the wizard sent to the node is not the controller's (sha1 differs): nothing was put in place");
  assert.equal(existsSync(join(base, 'w', 'tampered')), false);
});

test("the collection's module and callback documentation parse (ansible-doc): a broken DOCUMENTATION block stops every playbook", { skip }, () => {
  const doc = join(PLAYBOOK!, '..', 'ansible-doc');
  const env = { ...process.env, ANSIBLE_CONFIG: join(REPO, 'ansible/ansible.cfg'), ANSIBLE_NOCOLOR: '1' };
  for (const [type, name, says] of [
    ['module', 'apim.gateway.node', 'command'],
    ['callback', 'apim.gateway.results', 'ANSIBLE_STDOUT_CALLBACK=apim.gateway.results'],
    ['callback', 'apim.gateway.progress', 'ANSIBLE_STDOUT_CALLBACK=apim.gateway.progress'],
  ] as const) {
    const r = spawnSync(doc, ['-t', type, name], { encoding: 'utf8', env, timeout: 60_000 });
    assert.equal(r.status, 0, `ansible-doc -t ${type} ${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`> ${name.toUpperCase().replace(/\./g, '\\.')}`));
    assert.ok(r.stdout.includes(says), r.stdout);
  }
});
