// `npm test`: the bundle, every test file once, then the UI test files again with a long TMPDIR
// (a path 40+ characters longer than the usual one: the screens must fit 80×24 whatever the temp
// paths they show). node's TAP of both runs is printed as it comes; the last totals printed
// are the sum of both runs, so a reader of the final `# pass` / `# fail` lines sees everything.
// Exits non-zero when either run fails. `node scripts/test.mjs FILE…` runs only those files.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const given = process.argv.slice(2);
const all = given.length ? given : readdirSync('test').filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/${f}`);
const ui = all.filter((f) => /(^|\/)(ui-[^/]*|e2e-tmux)\.test\.ts$/.test(f));
const TOTALS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'];
const sum = Object.fromEntries(TOTALS.map((k) => [k, 0]));

function run(title, files, env) {
  return new Promise((resolve) => {
    console.log(`# ${title}: ${files.length} file(s)`);
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      // Only the run's own totals (not indented: a subtest's lines are).
      for (const line of lines) {
        const m = /^# (\w+) (\d+)$/.exec(line);
        if (m && TOTALS.includes(m[1])) sum[m[1]] += Number(m[2]);
      }
    });
    child.on('close', (code) => resolve(code === 0));
  });
}

const build = await new Promise((resolve) => spawn(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).on('close', (c) => resolve(c === 0)));
if (!build) process.exit(1);
const main = await run('every test file', all, process.env);
let long = true;
if (ui.length) {
  const dir = mkdtempSync(join(tmpdir(), `agw-long-tmpdir-${'x'.repeat(16)}-`));
  try {
    long = await run(`the UI test files again with TMPDIR=${dir}`, ui, { ...process.env, TMPDIR: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log('# both runs together');
for (const k of TOTALS) console.log(`# ${k} ${sum[k]}`);
process.exit(main && long ? 0 : 1);
