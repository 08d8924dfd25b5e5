// Step 5, prepare: the JMS event publisher block commented out in api-manager.xml, and a
// worker's repository/deployment/server moved into the apply's backup and replaced by one that
// holds only a copy of synapse-configs (the server needs it to start): shown in the plan,
// all-or-nothing with the files, undone by a failed or killed apply, done once, refused under a
// running server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAnswers, type AnswersLayer } from '../src/core/answers/load.js';
import { applyPlan, ApplyError } from '../src/core/apply/apply.js';
import { makePlan, pending } from '../src/core/plan/plan.js';
import { painter } from '../src/core/messages/paint.js';
import { formatPlan } from '../src/core/plan/report.js';
import { startServer } from '../src/core/run/server/control.js';
import { BIN, DEMO_HOME, demoSandbox, runCli, tempDir, treeState } from './helpers.js';
import { killServer, simHome } from './server-helpers.js';

const API_MANAGER = join(DEMO_HOME, 'repository/conf/api-manager.xml');
const DEPLOYMENT = join(DEMO_HOME, 'repository/deployment/server');
const base = { productHome: DEMO_HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '10.0.0.10' };
const worker = (more: AnswersLayer = {}) => resolveAnswers({ ...base, role: 'worker', ...more });

/** What the reset leaves in the new directory: synapse-configs and what is in it. */
const KEPT = (artifacts: Record<string, string>) => Object.fromEntries(Object.entries(artifacts).filter(([k]) => k.startsWith('synapse-configs')));

/** A deployment directory with artifacts in it, as a worker unpacked from the pack has. */
async function withArtifacts(root: string): Promise<Record<string, string>> {
  const dir = join(root, DEPLOYMENT);
  await mkdir(join(dir, 'synapse-configs/default/api'), { recursive: true });
  await writeFile(join(dir, 'synapse-configs/default/api/_TokenAPI_.xml'), '<api name="_TokenAPI_"/>\n');
  await mkdir(join(dir, 'webapps'), { recursive: true });
  await writeFile(join(dir, 'webapps/am#sample#pizzashack#v1.war'), 'war');
  await chmod(dir, 0o750);
  return treeState(dir);
}

test('api-manager.xml: exactly the first and last line of the JMS publisher block, on manager and worker; then nothing to change', async () => {
  for (const role of ['manager', 'worker'] as const) {
    const root = await demoSandbox();
    const answers = role === 'manager' ? resolveAnswers({ ...base, role, workerIps: ['10.0.0.21'] }) : worker();
    const plan = await makePlan(answers, root);
    const change = plan.changes.find((c) => c.file === API_MANAGER)!;
    assert.deepEqual(change.diff.split('\n').filter((l) => /^[+-] /.test(l)), [
      '-        <JMSEventPublisherParameters>',
      '+        <!--JMSEventPublisherParameters>',
      '-        </JMSEventPublisherParameters>',
      '+        </JMSEventPublisherParameters-->',
    ]);
    await applyPlan(plan, { root });
    assert.equal(pending(await makePlan(answers, root)).length, 0, role);
  }
});

test('a worker\'s deployment reset: in the plan, moved into the backup, a new directory with the same mode holding only synapse-configs, done once', async () => {
  const root = await demoSandbox();
  const artifacts = await withArtifacts(root);
  const plan = await makePlan(worker({ resetDeployment: true }), root);
  assert.equal(plan.summary, '4 files to change, 0 to create, 0 unchanged, 1 directory to move to the backup and reset');
  assert.deepEqual(plan.resets.map((r) => r.dir), [DEPLOYMENT]);
  const shown = formatPlan(plan, painter(false));
  assert.match(shown, new RegExp(`^  reset     ${DEPLOYMENT}$`, 'm'));
  assert.match(shown, /worker's first setup \(resetDeployment\): the directory goes whole into this apply's backup; .* only a copy of synapse-configs\//);

  // The copy keeps each entry's owner (the service user's, not root's).
  const api = 'synapse-configs/default/api/_TokenAPI_.xml';
  await chown(join(root, DEPLOYMENT, api), 65534, 65534);
  const result = await applyPlan(plan, { root });
  const dir = join(root, DEPLOYMENT);
  assert.equal((await stat(join(dir, api))).uid, 65534);
  // A copy of synapse-configs (same bytes, modes and owners) in the new folder; the backup holds everything.
  assert.deepEqual(await treeState(dir), KEPT(artifacts));
  assert.equal((await stat(dir)).mode & 0o7777, 0o750);
  assert.deepEqual(await treeState(join(result.backupDir!, 'dirs', DEPLOYMENT)), artifacts);

  // Done once: the saved answers still say resetDeployment, the next plan does not move it again.
  await writeFile(join(dir, 'synced.xml'), '<synced/>');
  const again = await makePlan(worker({ resetDeployment: true }), root);
  assert.deepEqual(again.resets, []);
  assert.equal(pending(again).length, 0);
  assert.match(again.summary, /^Nothing to change/);
  assert.ok(existsSync(join(dir, 'synced.xml')));
});

test('without resetDeployment (the default) the directory is left alone', async () => {
  const root = await demoSandbox();
  const artifacts = await withArtifacts(root);
  const plan = await makePlan(worker(), root);
  assert.deepEqual(plan.resets, []);
  await applyPlan(plan, { root });
  assert.deepEqual(await treeState(join(root, DEPLOYMENT)), artifacts);
});

test('a failed apply moves the directory back with every file, and plans the reset again', async () => {
  const root = await demoSandbox();
  const artifacts = await withArtifacts(root);
  const plan = await makePlan(worker({ resetDeployment: true }), root);
  await assert.rejects(
    applyPlan(plan, {
      root,
      beforeWrite: (i) => {
        if (i === 2) throw new Error('disk full (injected)');
      },
    }),
    (e: ApplyError) => /disk full/.test(e.message) && e.restored.includes(DEPLOYMENT),
  );
  assert.deepEqual(await treeState(join(root, DEPLOYMENT)), artifacts);
  assert.equal((await stat(join(root, DEPLOYMENT))).mode & 0o7777, 0o750);
  assert.equal((await makePlan(worker({ resetDeployment: true }), root)).resets.length, 1);
});

test('killed at every point of a worker apply with the reset: the next run puts the directory back, then the apply completes', async () => {
  const answers = join(await tempDir(), 'worker.json');
  await writeFile(answers, JSON.stringify({ role: 'worker', ...base, resetDeployment: true }));
  const args = (root: string) => ['apply', '--answers', answers, '--root', root, '--yes'];
  const env = (extra: Record<string, string>) => ({ ...process.env, CARBON_HOME: undefined, ...extra }) as NodeJS.ProcessEnv;
  const countRoot = await demoSandbox();
  await withArtifacts(countRoot);
  const countFile = join(await tempDir(), 'points');
  const counted = spawnSync(process.execPath, [BIN, ...args(countRoot)], { encoding: 'utf8', env: env({ APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: countFile }) });
  assert.equal(counted.status, 0, counted.stderr);
  const points = (await readFile(countFile, 'utf8')).trim().split('\n');
  const resetPoints = points.filter((p) => /reset of|moved |emptied |copied /.test(p));
  assert.equal(resetPoints.length, 4, points.join('\n'));

  for (let n = 1; n <= points.length; n++) {
    const root = await demoSandbox();
    const artifacts = await withArtifacts(root);
    const killed = spawnSync(process.execPath, [BIN, ...args(root)], { encoding: 'utf8', env: env({ APIM_GATEWAY_WIZARD_TEST_KILL_AT: String(n) }) });
    assert.equal(killed.signal, 'SIGKILL', `point ${n} (${points[n - 1]})`);
    // The next run restores first (and says the plan is stale), then the apply goes through.
    const next = runCli(args(root));
    const dir = join(root, DEPLOYMENT);
    if (next.code !== 0) {
      assert.match(next.stderr, /interrupted/, `point ${n}: ${next.stderr}`);
      assert.deepEqual(await treeState(dir), artifacts, `point ${n} (${points[n - 1]}): the directory is back`);
      assert.equal(runCli(args(root)).code, 0);
    }
    assert.deepEqual(await treeState(dir), KEPT(artifacts), `point ${n}: only synapse-configs in the end`);
  }
});

test('refused while the server runs, and for a symbolic link; nothing is written', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  await withArtifacts(h.root);
  const run = startServer({ home: h.home, root: h.root, role: 'worker', demo: true, env: { APIM_DEMO_PACE_MS: '3' }, onEvent: () => {} });
  assert.equal((await run.done).status, 'ready');
  await run.close();
  const before = await treeState(h.root);
  await assert.rejects(applyPlan(await makePlan(worker({ resetDeployment: true }), h.root), { root: h.root }), (e: Error) =>
    /the server is running \(pid \d+\): \/opt\/wso2am-2\.1\.0\/repository\/deployment\/server cannot be moved under it\. Stop it first/.test(e.message) &&
    /nothing was written/.test(e.message),
  );
  const after = await treeState(h.root);
  // The running server appends to its log; nothing else may differ.
  for (const key of Object.keys(after)) if (key.includes('repository/logs/')) delete after[key], delete before[key];
  assert.deepEqual(after, before);

  const root = await demoSandbox();
  const elsewhere = join(await tempDir(), 'server');
  await mkdir(elsewhere);
  await rm(join(root, DEPLOYMENT), { recursive: true });
  await symlink(elsewhere, join(root, DEPLOYMENT));
  await assert.rejects(applyPlan(await makePlan(worker({ resetDeployment: true }), root), { root }), /is a symbolic link; the wizard does not move links/);
  assert.ok((await import('node:fs/promises').then((fs) => fs.lstat(join(root, DEPLOYMENT)))).isSymbolicLink());
});

test('from 2.2.0 the JMS block is not shipped: nothing to do; one added by hand is commented out with a warning; from 2.5.0 no reset', async () => {
  const root = await demoSandbox();
  // The demo's api-manager.xml is a 2.1 one, with the block: as if added by hand on 2.2.0.
  const added = await makePlan(worker({ release: '2.2.0' }), root);
  const change = added.changes.find((c) => c.file === API_MANAGER)!;
  assert.equal(change.status, 'change');
  assert.deepEqual(change.diff.split('\n').filter((l) => /^[+-] /.test(l)), [
    '-        <JMSEventPublisherParameters>',
    '+        <!--JMSEventPublisherParameters>',
    '-        </JMSEventPublisherParameters>',
    '+        </JMSEventPublisherParameters-->',
  ]);
  assert.ok(added.warnings.includes('api-manager.xml has a <JMSEventPublisherParameters> block, which 2.2.0 does not ship: commented out, as on 2.1'), added.warnings.join('\n'));

  // Without the block (as 2.2.0 ships it): listed, unchanged, with the reason; never an error.
  const file = join(root, API_MANAGER);
  const text = await readFile(file, 'utf8');
  const start = text.indexOf('        <JMSEventPublisherParameters>');
  const end = text.indexOf('</JMSEventPublisherParameters>') + '</JMSEventPublisherParameters>'.length;
  await writeFile(file, text.slice(0, start) + '        <TrafficManager><Type>Binary</Type></TrafficManager>' + text.slice(end));
  const plan = await makePlan(worker({ release: '2.2.0' }), root);
  const none = plan.changes.find((c) => c.file === API_MANAGER)!;
  assert.equal(none.status, 'unchanged');
  assert.match(none.reasons[0]!, /^JMS event publisher parameters: not in 2\.2\.0 \(throttling events go to the Traffic Manager/);
  assert.equal(plan.release?.release.id, '2.2.0');
  assert.equal(plan.resets.length, 0, 'no resetDeployment asked');

  // 2.5.0: the manager pushes only synapse-configs, so the worker's folder is not reset; the plan says why.
  const later = await makePlan(worker({ release: '2.5.0', resetDeployment: true }), root);
  assert.deepEqual(later.resets, []);
  assert.ok(later.warnings.some((w) => /^resetDeployment: nothing to move on 2\.5\.0: the manager pushes only repository\/deployment\/server\/synapse-configs\//.test(w)), later.warnings.join('\n'));
  assert.ok(!formatPlan(later, painter(false)).includes('reset     '));
});

test('a link the home\'s owner (the real nobody) puts at the folder\'s name while it moves: refused, nothing outside changed, the folder put back', async () => {
  const root = await demoSandbox();
  const artifacts = await withArtifacts(root);
  const parent = join(root, DEMO_HOME, 'repository/deployment');
  for (const d of [root, join(root, 'opt'), join(root, DEMO_HOME), join(root, DEMO_HOME, 'repository')]) await chmod(d, 0o755);
  await chown(parent, 65534, 65534);
  // Root's folder outside: a chmod or chown through the link would change it.
  const outside = await tempDir();
  await chmod(outside, 0o755);
  const answers = join(await tempDir(), 'worker.json');
  await writeFile(answers, JSON.stringify({ role: 'worker', ...base, resetDeployment: true }));
  const args = ['apply', '--answers', answers, '--root', root, '--yes'];
  const counts = join(await tempDir(), 'points');
  const countRoot = await demoSandbox();
  await withArtifacts(countRoot);
  assert.equal(spawnSync(process.execPath, [BIN, 'apply', '--answers', answers, '--root', countRoot, '--yes'], { env: { ...process.env, CARBON_HOME: undefined, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: counts } }).status, 0);
  const point = (await readFile(counts, 'utf8')).split('\n').findIndex((l) => l.endsWith(`moved ${DEPLOYMENT}`)) + 1;
  assert.ok(point > 0);

  const pause = join(await tempDir(), 'pause');
  const seen = join(await tempDir(), 'seen');
  await writeFile(pause, '');
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CARBON_HOME: undefined, APIM_GATEWAY_WIZARD_TEST_PAUSE_AT: String(point), APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE: pause, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: seen },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  while (!existsSync(seen) || (await readFile(seen, 'utf8')).trim().split('\n').length < point) {
    assert.equal(child.exitCode, null, stderr);
    await new Promise((r) => setTimeout(r, 20));
  }
  const planted = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'ln', '-s', outside, join(parent, 'server')], { encoding: 'utf8' });
  assert.equal(planted.status, 0, planted.stderr);
  await rm(pause);
  assert.notEqual(await exited, 0);
  assert.match(stderr, /repository\/deployment\/server: something was put at its name while the wizard moved it/);
  const st = await stat(outside);
  assert.deepEqual([st.uid, st.mode & 0o7777], [0, 0o755], 'the folder the link led to is untouched');
  assert.deepEqual(await treeState(outside), {});
  assert.deepEqual(await treeState(join(root, DEPLOYMENT)), artifacts, 'the folder is back, whole');
});
