// The lock a kill cannot wedge, and a pid file that can make the wizard signal only nginx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { onDisk, stateDir } from '../src/core/node/layout.js';
import { acquireLock, LockError } from '../src/core/apply/lock.js';
import { nginxBuild } from '../src/core/run/nginx/install.js';
import { pidFileOf } from '../src/core/run/nginx/stage.js';
import { makePlan } from '../src/core/plan/plan.js';
import { rollback } from '../src/core/apply/rollback.js';
import { isNginxMaster, pidAlive } from '../src/core/run/pid.js';
import { BIN, demoSandbox, REPO, runCli, tempDir } from './helpers.js';

const manager = join(REPO, 'templates/examples/manager.json');

test('a lock left empty, torn or by a dead process is taken over; a live holder is refused', async () => {
  const dir = join(await tempDir(), 'state');
  const release = await acquireLock(dir);
  await assert.rejects(acquireLock(dir), (e: unknown) => e instanceof LockError && new RegExp(`another apply is running \\(pid ${process.pid} `).test(e.message));
  await release();
  const dead = spawnSync('true').pid!;
  for (const [what, content] of [['empty', ''], ['torn', '{"pid": 12'], ['dead', JSON.stringify({ pid: dead, host: hostname(), since: 'x' })]] as const) {
    await writeFile(join(dir, 'lock'), content);
    const again = await acquireLock(dir);
    assert.equal(JSON.parse(await readFile(join(dir, 'lock'), 'utf8')).pid, process.pid, `${what} lock taken over`);
    await again();
  }
  assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('lock')), [], 'no temp or set-aside lock file is left');
});

test('two runs taking over the same stale lock at once: exactly one wins', async () => {
  const dir = join(await tempDir(), 'state');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'lock'), '');
  const results = await Promise.allSettled([acquireLock(dir), acquireLock(dir)]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results.map((r) => r.status)));
  for (const r of results) if (r.status === 'fulfilled') await r.value();
});

test('SIGKILL at every fault point of taking the lock: the next apply takes it and finishes', async () => {
  const pristine = await demoSandbox();
  const countFile = join(await tempDir(), 'points');
  const env = { ...process.env, CARBON_HOME: undefined } as NodeJS.ProcessEnv;
  const counted = spawnSync(process.execPath, [BIN, 'apply', '--answers', manager, '--root', pristine, '--yes'], { env: { ...env, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: countFile } });
  assert.equal(counted.status, 0, counted.stderr?.toString());
  const points = (await readFile(countFile, 'utf8')).trim().split('\n');
  const lockPoints = points.filter((p) => / lock (content written|linked)$| lock taken$/.test(p));
  assert.ok(lockPoints.length >= 2, points.join('\n'));
  for (const point of lockPoints) {
    const root = await demoSandbox();
    const k = point.split(' ')[0]!;
    const r = spawnSync(process.execPath, [BIN, 'apply', '--answers', manager, '--root', root, '--yes'], { env: { ...env, APIM_GATEWAY_WIZARD_TEST_KILL_AT: k } });
    assert.equal(r.signal, 'SIGKILL', `killed at ${point}`);
    const next = runCli(['apply', '--answers', manager, '--root', root, '--yes']);
    assert.equal(next.code, 0, `after a kill at ${point}: ${next.stderr}`);
    assert.doesNotMatch(next.stderr, /holds the lock|another apply/);
  }
});

const build = await nginxBuild();
const skip = build.binary && build.confPath === '/etc/nginx/nginx.conf' ? false : `needs Debian's nginx-light: ${build.problem ?? build.confPath}`;

test('a pid file naming another program: apply and rollback signal nothing and say why', { skip }, async () => {
  const root = await demoSandbox();
  const answers = resolveAnswers({
    role: 'load-balancer', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '127.0.0.1', workerIps: ['127.0.0.2'],
    listenAddress: '127.0.0.1', proxyHttpPort: 18080, proxyHttpsPort: 18443, selfSignedCertificate: true, nginxSite: '/etc/nginx/sites-available/apim-gateway',
  });
  // sleep dies on SIGHUP: still alive at the end proves no signal reached it.
  const victim = spawn('sleep', ['1000'], { stdio: 'ignore' });
  try {
    await once(victim, 'spawn');
    assert.equal(isNginxMaster(victim.pid!), false);
    const pidFile = await pidFileOf(build.confPath, root);
    await mkdir(join(onDisk(root, pidFile), '..'), { recursive: true });
    await writeFile(onDisk(root, pidFile), `${victim.pid}\n`);
    const said: string[] = [];
    await applyPlan(await makePlan(answers, root), { root, onProgress: (l) => said.push(l) });
    assert.ok(said.some((l) => l.includes(`names pid ${victim.pid}, which is not an nginx master process`) && l.includes('sleep')), said.join('\n'));
    const rolled: string[] = [];
    await rollback(onDisk(root, stateDir(undefined)), root, undefined, (l) => rolled.push(l));
    assert.ok(rolled.some((l) => l.includes(`names pid ${victim.pid}`)), rolled.join('\n'));
    assert.ok(pidAlive(victim.pid!), 'the unrelated process survived');
    assert.equal(victim.exitCode, null);
    assert.equal(victim.signalCode, null);
  } finally {
    victim.kill('SIGKILL');
  }
});
