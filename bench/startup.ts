// Benchmark: start-up and plan time, each as a ratio to `node -e 0` measured in the same run
// (goals from the "ship it" issue: --version and --help ≤ 1.5×, the wizard's first frame ≤ 2.5×).
// The first frame is timed in a real pseudo-terminal (util-linux `script`) until the welcome
// screen's text appears, with the code cache warm (every run after the first, bin/run-bundle.js)
// and cold (the first run after an install or upgrade); the pty itself costs about 12 ms, shown
// as `node -e 0` in the same pty. Also: the core plan on the real 2.1.0 files (when ../shared/fixtures is
// there) and on a generated 10 MB XML file, as a ratio to one fast-xml-parser validation of it.
// Run: npm run bench (this, then the log-view figures of bench/log-burst.ts); RUNS=N, default 15.
// Prints; never fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLValidator } from 'fast-xml-parser';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyXmlEdits } from '../src/core/edit/xml/index.js';
import { copyTemplates } from '../src/core/edit/templates.js';

const RUNS = Number(process.env.RUNS ?? 15);
const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'apim-gateway-wizard.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// The bench's own cache folder: a first run fills it, the timed runs find it warm.
const cacheHome = await mkdtemp(join(tmpdir(), 'agw-bench-cache-'));
const benchEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
const coldEnv = { ...benchEnv, APIM_GATEWAY_WIZARD_NO_CACHE: '1' };

function timeCommand(args: string[]): number {
  const times: number[] = [];
  spawnSync(process.execPath, args, { stdio: 'ignore', env: benchEnv });
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore', env: benchEnv });
    times.push(performance.now() - t0);
    if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')} exited ${r.status}`);
  }
  return median(times);
}

/** Time until `command` in a pseudo-terminal prints text matching `until` (or exits). */
async function inPty(command: string, until: RegExp, env: NodeJS.ProcessEnv): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      // Ink writes only its last frame when CI is set at all, even empty.
      env: { ...env, CI: undefined, TERM: 'xterm-256color', COLUMNS: '80', LINES: '24' },
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    const seen = await new Promise<number>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`${command}: nothing within 10 s`)), 10_000);
      const done = () => {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      };
      child.on('exit', done);
      child.stdout!.on('data', (c: Buffer) => {
        text += c.toString();
        if (until.test(text)) done();
      });
    });
    if (i > 0) times.push(seen); // the first run fills the code cache
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.exitCode === null ? child.once('exit', r) : r(undefined));
    // The program in the pty gets SIGHUP and exits on its own: the next run must not share the
    // CPU with its exit.
    for (let t = 0; t < 200 && spawnSync('pgrep', ['-f', '--', command]).status === 0; t++) await new Promise((r) => setTimeout(r, 10));
  }
  return median(times);
}

function row(name: string, ms: number, base: number, goal?: number): void {
  const ratio = ms / base;
  const verdict = goal === undefined ? '' : ratio <= goal ? `  ok (goal ≤ ${goal}×)` : `  MISSED (goal ≤ ${goal}×)`;
  console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${ratio.toFixed(2).padStart(6)}×${verdict}`);
}

const root = await mkdtemp(join(tmpdir(), 'agw-bench-start-'));
await copyTemplates('demo', root);
try {
  const base = timeCommand(['-e', '0']);
  console.log(`node -e 0 (baseline)${' '.repeat(25)}${base.toFixed(1).padStart(8)} ms   ${RUNS} runs each, medians`);
  row('--version', timeCommand([BIN, '--version']), base, 1.5);
  row('--help', timeCommand([BIN, '--help']), base, 1.5);
  row('headless plan (demo 2.1.0 home, worker)', timeCommand([BIN, 'plan', '--root', root, '--answers', join(REPO, 'templates/examples/worker.json')]), base);
  if (spawnSync('script', ['--version']).status === 0) {
    const wizard = `${process.execPath} ${BIN} --root ${root} --home /opt/wso2am-2.1.0`;
    const firstScreen = /Step \d of 5|Welcome|Product home/;
    row('first frame of the wizard (pty)', await inPty(wizard, firstScreen, benchEnv), base, 2.5);
    row('  the same, first run after install (no cache)', await inPty(wizard, firstScreen, coldEnv), base);
    row('  node -e 0 in the same pty', await inPty(`${process.execPath} -e 0`, /$^/, benchEnv), base);
    const sea = join(REPO, 'dist', 'apim-gateway-wizard');
    if (existsSync(sea)) row('  the standalone executable (build:sea)', await inPty(`${sea} --root ${root} --home /opt/wso2am-2.1.0`, firstScreen, benchEnv), base);
    else console.log('  the standalone executable: not built (npm run build:sea)');
  } else {
    console.log('first frame: skipped (util-linux `script` not found)');
  }

  // Core edit cost on a large file, against one validation of the same file.
  const big = `<?xml version="1.0"?>\n<Server>\n    <!--HostName>www.wso2.org</HostName-->\n${'    <Entry name="x">value &amp; more</Entry>\n'.repeat(240_000)}</Server>\n`;
  let t0 = performance.now();
  XMLValidator.validate(big);
  const validate = performance.now() - t0;
  t0 = performance.now();
  applyXmlEdits(big, [{ op: 'uncomment', path: '/Server/HostName' }, { op: 'setText', path: '/Server/HostName', value: 'am.wso2.com' }]);
  const edit = performance.now() - t0;
  console.log(`edit of a ${(big.length / 1e6).toFixed(1)} MB XML: ${edit.toFixed(0)} ms = ${(edit / validate).toFixed(1)}× one fast-xml-parser validation (${validate.toFixed(0)} ms)`);

  const fixtures = join(REPO, '..', 'shared', 'fixtures', 'wso2am-2.1.0');
  if (existsSync(fixtures)) {
    const real = await mkdtemp(join(tmpdir(), 'agw-bench-real-'));
    await cp(fixtures, join(real, 'opt/wso2am-2.1.0'), { recursive: true });
    const { makePlan } = await import('../src/core/plan/plan.js');
    const answers = resolveAnswers({ role: 'manager', productHome: '/opt/wso2am-2.1.0', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', workerIps: ['10.0.0.21'] });
    const first = await makePlan(answers, real);
    t0 = performance.now();
    for (let i = 0; i < RUNS; i++) await makePlan(answers, real);
    const plan = (performance.now() - t0) / RUNS;
    // Against one validation of the XML files it edits, as for the 10 MB file.
    const xml = first.changes.filter((c) => c.format === 'xml' && c.before).map((c) => c.before!.toString('latin1'));
    t0 = performance.now();
    for (let i = 0; i < RUNS; i++) for (const text of xml) XMLValidator.validate(text);
    const validateReal = (performance.now() - t0) / RUNS;
    console.log(`core plan of a manager on the real 2.1.0 files: ${plan.toFixed(1)} ms = ${(plan / validateReal).toFixed(1)}× one fast-xml-parser validation of the ${xml.length} XML files it edits (${validateReal.toFixed(1)} ms)`);
    const cliPlan = [BIN, 'plan', '--root', real, '--home', '/opt/wso2am-2.1.0', '--role', 'manager', '--host-name', 'am.wso2.com', '--mgt-host-name', 'mgt.am.wso2.com', '--worker-ips', '10.0.0.21'];
    row('headless plan on the real 2.1.0 files (manager)', timeCommand(cliPlan), base);
    await rm(real, { recursive: true, force: true });
  } else {
    console.log('core plan on the real 2.1.0 files: skipped (../shared/fixtures not found)');
  }
} finally {
  await rm(root, { recursive: true, force: true });
  await rm(cacheHome, { recursive: true, force: true });
}
