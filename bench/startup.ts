// Benchmark: start-up and plan time, each as a ratio to `node -e 0` measured in the same run
// (goals from the "ship it" issue: --version and --help ≤ 1.5×, the wizard's first frame ≤ 2.5×).
// The first frame is timed in a real pseudo-terminal (util-linux `script`) until the welcome
// screen's text appears. Also: the core plan on the real 2.1.0 files (when ../shared/fixtures is
// there) and on a generated 10 MB XML file, as a ratio to one fast-xml-parser validation of it.
// Run: node --import tsx bench/startup.ts   (RUNS=N, default 15). Prints; never fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLValidator } from 'fast-xml-parser';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyXmlEdits } from '../src/core/xml/index.js';
import { copyTemplates } from '../src/core/templates.js';

const RUNS = Number(process.env.RUNS ?? 15);
const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'apim-gateway-wizard.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeCommand(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - t0);
    if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')} exited ${r.status}`);
  }
  return median(times);
}

const { CI: _ci, ...withoutCi } = process.env;

/** Time until the wizard's first screen shows its welcome text, in a pseudo-terminal. */
async function firstFrame(root: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} --root ${root} --home /opt/wso2am-2.1.0`, '/dev/null'], {
      // Ink writes only its last frame when CI is set at all, even empty.
      env: { ...withoutCi, TERM: 'xterm-256color', COLUMNS: '80', LINES: '24' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const seen = await new Promise<number>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('no first frame within 10 s')), 10_000);
      child.stdout!.on('data', (c: Buffer) => {
        text += c.toString();
        if (/Step \d of 5|Welcome|Product home/.test(text)) {
          clearTimeout(timer);
          resolve(performance.now() - t0);
        }
      });
    });
    times.push(seen);
    child.kill('SIGKILL');
    spawnSync('pkill', ['-f', '--', `--root ${root}`]);
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
  row('plan (demo Gateway Manager)', timeCommand([BIN, 'plan', '--root', root, '--answers', join(REPO, 'templates/examples/worker.json')]), base);
  if (spawnSync('script', ['--version']).status === 0) row('first frame of the wizard (pty)', await firstFrame(root), base, 2.5);
  else console.log('first frame: skipped (util-linux `script` not found)');

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
    const { makePlan } = await import('../src/core/plan.js');
    const answers = resolveAnswers({ role: 'manager', productHome: '/opt/wso2am-2.1.0', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', workerIps: ['10.0.0.21'] });
    await makePlan(answers, real);
    t0 = performance.now();
    for (let i = 0; i < RUNS; i++) await makePlan(answers, real);
    console.log(`core plan of a manager on the real 2.1.0 files: ${((performance.now() - t0) / RUNS).toFixed(1)} ms`);
    await rm(real, { recursive: true, force: true });
  } else {
    console.log('core plan on the real 2.1.0 files: skipped (../shared/fixtures not found)');
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
