// Benchmark: a server writes 200,000 log lines as fast as it can while the wizard follows the
// log (FileFollower + StartupWatch, the pipeline behind the live view and the headless verbs).
// Measured and printed:
//   - lines lost: every line must arrive, in order, and the full log read back must hold them all;
//   - key latency: another process sends a timestamped "key" every 10 ms through a pipe; the time
//     until this process handles it is what an admin pressing a key during the burst would wait;
//   - event-loop delay (perf_hooks) and peak memory (RSS and heap, above the baseline).
// Run: npm run bench   (LINES=N to change the count). Exit 1 when a target is missed.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { FileFollower } from '../src/core/run/server/follow.js';
import { StartupWatch } from '../src/core/run/server/watch.js';

const LINES = Number(process.env.LINES ?? 200_000);
const KEY_TARGET_MS = 100;
const TAIL = 1000;

const dir = await mkdtemp(join(tmpdir(), 'agw-bench-'));
const file = join(dir, 'wso2carbon.log');
await writeFile(file, '');

// The "server": another process, appending in the 2.1.0 file format as fast as it can.
const WRITER = `
const fs = require('fs');
const fd = fs.openSync(process.argv[1], 'a');
const n = Number(process.argv[2]);
const cls = 'org.wso2.carbon.apimgt.gateway.handlers.throttling.ThrottleHandler';
let batch = [];
for (let i = 0; i < n; i++) {
  const level = i % 97 === 0 ? 'ERROR' : i % 13 === 0 ? ' WARN' : ' INFO';
  batch.push('TID: [-1234] [] [2017-04-30 21:24:07,084] ' + level + ' {' + cls + '} -  burst line seq=' + i + ' payload ' + 'x'.repeat(i % 120) + ' {' + cls + '}');
  if (batch.length === 500) { fs.writeSync(fd, batch.join('\\n') + '\\n'); batch = []; }
}
if (batch.length) fs.writeSync(fd, batch.join('\\n') + '\\n');
`;

// The "keyboard": a timestamped byte every 10 ms.
const KEYS = `
const { performance } = require('perf_hooks');
setInterval(() => process.stdout.write((performance.timeOrigin + performance.now()) + '\\n'), 10);
`;

let received = 0;
let expectedSeq = 0;
let outOfOrder = 0;
const tail: string[] = [];
const watch = new StartupWatch();
const follower = new FileFollower(file, {
  pollMs: 50,
  onLines: (lines) => {
    watch.push(lines);
    for (const l of lines) {
      const seq = Number(/seq=(\d+) /.exec(l)?.[1]);
      if (seq !== expectedSeq) outOfOrder++;
      expectedSeq = seq + 1;
      tail.push(l);
    }
    if (tail.length > TAIL) tail.splice(0, tail.length - TAIL);
    received += lines.length;
  },
});
await follower.start();

const keyLatencies: number[] = [];
const keys = spawn(process.execPath, ['-e', KEYS], { stdio: ['ignore', 'pipe', 'inherit'] });
let keyRest = '';
let measuring = false;
keys.stdout.setEncoding('utf8').on('data', (chunk: string) => {
  const now = performance.timeOrigin + performance.now();
  keyRest += chunk;
  const parts = keyRest.split('\n');
  keyRest = parts.pop()!;
  if (measuring) for (const p of parts) keyLatencies.push(now - Number(p));
});

const loop = monitorEventLoopDelay({ resolution: 5 });
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 20);

// Let the key process settle, then burst.
await new Promise((r) => setTimeout(r, 300));
measuring = true;
loop.enable();
const t0 = performance.now();
const writer = spawn(process.execPath, ['-e', WRITER, file, String(LINES)], { stdio: 'inherit' });
const writerDone = new Promise<number>((resolve) => writer.on('exit', () => resolve(performance.now())));
const deadline = Date.now() + 120_000;
while (received < LINES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
const caughtUp = performance.now();
const wrote = await writerDone;
measuring = false;
loop.disable();
clearInterval(sampler);
keys.kill();

// The full log, read back from the file the way the full-log view pages through it.
let fullLost = 0;
let fullSeq = 0;
for (let from = 0; from < follower.history.count; from += 10_000) {
  for (const l of await follower.history.read(from, 10_000)) {
    if (Number(/seq=(\d+) /.exec(l)?.[1]) !== fullSeq) fullLost++;
    fullSeq++;
  }
}
await follower.close();
await rm(dir, { recursive: true, force: true });

keyLatencies.sort((a, b) => a - b);
const pct = (p: number) => keyLatencies[Math.min(keyLatencies.length - 1, Math.floor((keyLatencies.length * p) / 100))] ?? NaN;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const lost = LINES - received + outOfOrder;
const checks = [
  ['lines lost (live)', lost === 0, `${lost} of ${LINES}`],
  ['lines lost (full log read back)', fullLost === 0 && fullSeq === LINES, `${fullLost + (LINES - fullSeq)} of ${LINES}`],
  [`key latency max < ${KEY_TARGET_MS} ms`, pct(100) < KEY_TARGET_MS, `max ${ms(pct(100))}, p99 ${ms(pct(99))}, median ${ms(pct(50))} over ${keyLatencies.length} keys`],
  ['peak memory bounded (< 64 MiB heap above baseline)', peakHeap - base.heapUsed < 64 * 1024 * 1024, `heap +${mib(peakHeap - base.heapUsed)}, RSS +${mib(peakRss - base.rss)} (RSS peak ${mib(peakRss)})`],
] as const;

console.log(`log burst: ${LINES} lines in the 2.1.0 file format`);
console.log(`  writer finished after     ${ms(wrote - t0)}`);
console.log(`  follower caught up after  ${ms(caughtUp - t0)} (${Math.round(LINES / ((caughtUp - t0) / 1000))} lines/s)`);
console.log(`  event-loop delay          max ${ms(loop.max / 1e6)}, p99 ${ms(loop.percentile(99) / 1e6)}, mean ${ms(loop.mean / 1e6)}`);
console.log(`  classified                ${watch.lineCount} lines (levels, entries, milestones)`);
for (const [what, ok, figure] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'} ${what}: ${figure}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
