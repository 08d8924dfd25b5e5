// Benchmark: the deployment sync on a realistic tree, over a throw-away sshd on 127.0.0.1.
// A manager with FILES files (nested, some names with spaces) and WORKERS worker homes.
// Measured and printed:
//   - preflight + dry-run preview, and the first confirmed push (runSync, as the wizard runs it),
//     with the number of progress events the screen receives;
//   - the cron script in steady state (nothing changed), run RUNS times as cron runs it:
//     wall time per run and log bytes added per run (what a month of every-minute runs costs);
//   - the cron script after one file changed.
// Run: npm run bench:sync   (FILES=N WORKERS=N RUNS=N). Needs root or a
// user sshd accepts, rsync, ssh, sshd.
import { appendFile, mkdir, readFile, rm, stat, symlink, writeFile, cp } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { templatesDir } from '../src/core/node/demo.js';
import { makePlan } from '../src/core/plan/plan.js';
import { runSync } from '../src/core/run/sync/session.js';
import { runAsCron, parseCron } from '../test/cron.js';
import { startSshd, USER } from '../test/sshd-helpers.js';

const FILES = Number(process.env.FILES ?? 2000);
const WORKERS = Number(process.env.WORKERS ?? 2);
const RUNS = Number(process.env.RUNS ?? 10);

const base = mkdtempSync(join(tmpdir(), 'agw-bench-sync-'));
await mkdir(join(base, 'sshd'));
const sshd = await startSshd({ dir: join(base, 'sshd') });
try {
  const root = join(base, 'root');
  const home = join(base, 'manager/wso2am-2.1.0');
  await cp(join(templatesDir(), 'demo/opt/wso2am-2.1.0'), home, { recursive: true });
  await cp(join(templatesDir(), 'demo/etc'), join(root, 'etc'), { recursive: true });
  await mkdir(dirname(join(root, home)), { recursive: true });
  await symlink(home, join(root, home));
  const deployment = join(home, 'repository/deployment/server');
  for (let i = 0; i < FILES; i++) {
    const f = join(deployment, `synapse-configs/default/api ${i % 20}/sub${i % 7}/API_${i}.xml`);
    await mkdir(dirname(f), { recursive: true });
    await writeFile(f, `<api name="API_${i}" context="/api/${i}">${'x'.repeat(1500)}</api>\n`);
  }
  const workers: string[] = [];
  for (let i = 1; i <= WORKERS; i++) {
    const w = join(base, `worker${i}/wso2am-2.1.0`);
    await mkdir(join(w, 'repository/deployment/server'), { recursive: true });
    workers.push(w);
  }
  const answers = resolveAnswers({
    role: 'manager', productHome: home, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', workerIps: ['127.0.0.1'],
    syncTargets: workers.map((w) => `${USER}@127.0.0.1:${w}`), syncCronUser: USER, syncSshPort: sshd.port,
  });
  await applyPlan(await makePlan(answers, root), { root });

  const say = (s: string) => process.stdout.write(`${s}\n`);
  let t = performance.now();
  const first = await runSync(answers, { root, createKey: true, dryRun: true, emit: () => {}, confirm: async () => true });
  await appendFile(sshd.authorizedKeys, await readFile(join(home, 'depsync/id_ed25519.pub'), 'utf8'));
  t = performance.now();
  const preview = await runSync(answers, { root, dryRun: true, emit: () => {}, confirm: async () => true });
  say(`preflight + dry-run preview, ${WORKERS} workers, ${FILES} files: ${(performance.now() - t).toFixed(0)} ms (${preview.status}; key run: ${first.status})`);

  let progress = 0;
  t = performance.now();
  const push = await runSync(answers, { root, emit: (e) => { if (e.type === 'progress') progress++; }, confirm: async () => true });
  say(`first push (preflight, preview, push): ${(performance.now() - t).toFixed(0)} ms, ${progress} progress events (${push.status})`);

  const entry = parseCron(await readFile(join(root, 'etc/cron.d/apim-gateway-wizard-depsync'), 'utf8'));
  const log = join(home, 'depsync/depsync.log');
  const times: number[] = [];
  const before = (await stat(log).catch(() => ({ size: 0 }))).size;
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    const r = await runAsCron(entry);
    times.push(performance.now() - t);
    if (r.exitCode !== 0) throw new Error(`cron run ${i} exit ${r.exitCode}: ${await readFile(log, 'utf8')}`);
  }
  const perRun = ((await stat(log)).size - before) / RUNS;
  times.sort((a, b) => a - b);
  say(`cron run, nothing changed: median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms over ${RUNS} runs`);
  say(`log growth: ${perRun.toFixed(0)} bytes per run = ${((perRun * 60 * 24 * 30) / 1024 / 1024).toFixed(1)} MiB per 30 days of every-minute runs (rotated at 10 MiB)`);

  await writeFile(join(deployment, 'synapse-configs/default/api 3/sub3/API_3.xml'), '<api name="API_3" context="/api/3/v2"/>\n');
  t = performance.now();
  await runAsCron(entry);
  say(`cron run, one file changed: ${(performance.now() - t).toFixed(0)} ms`);
} finally {
  await sshd.stop();
  await rm(base, { recursive: true, force: true });
}
