// Benchmark: `cluster check` of 1 load balancer + 1 manager + WORKERS workers (default 20), every
// node its own --root, loopback address and sshd, as a ratio to the same check of one node
// (the same playbook, limited to the manager with --limit). Goal: ≤ 3× (the nodes run in
// parallel: Ansible's forks). Each check runs RUNS times (default 3), medians; the first run of
// each also copies the wizard to the nodes and is reported on its own.
// Run: npm run bench:cluster   (WORKERS=N RUNS=N). Needs root, sshd, ssh, ansible-core, nginx.
import { rm } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LoopbackCluster } from '../test/cluster-helpers.js';

const WORKERS = Number(process.env.WORKERS ?? 20);
const RUNS = Number(process.env.RUNS ?? 3);
const say = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const base = mkdtempSync(join(tmpdir(), 'agw-bench-cluster-'));
const c = await LoopbackCluster.create(base, { hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', hazelcast: true, selfSignedCertificate: true });
try {
  await c.addNode('manager', 'manager', '127.0.1.1');
  for (let i = 1; i <= WORKERS; i++) await c.addNode(`worker-${i}`, 'worker', `127.0.2.${i}`);
  await c.addNode('load-balancer', 'load-balancer', '127.0.3.1');

  async function timed(args: string[], expect: RegExp): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t = performance.now();
      const r = await c.run(['check', ...args]);
      times.push(performance.now() - t);
      if (r.code !== 2 || !expect.test(r.stdout)) throw new Error(`cluster check ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    }
    return times;
  }
  const one = await timed(['--limit', 'manager'], /^Cluster review: 1 node \(0 in sync, 1 with changes/);
  const all = await timed([], new RegExp(`^Cluster review: ${WORKERS + 2} nodes \\(0 in sync, ${WORKERS + 2} with changes`));
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  say(`cluster check, ${RUNS} runs each after a first that copies the wizard (2 vCPU here):`);
  say(`  one node (--limit manager):            ${s(median(one.slice(1)))}   (first run ${s(one[0]!)})`);
  say(`  ${WORKERS + 2} nodes (1 LB + 1 manager + ${WORKERS} workers): ${s(median(all.slice(1)))}   (first run ${s(all[0]!)})`);
  const ratio = median(all.slice(1)) / median(one.slice(1));
  say(`  ratio: ${ratio.toFixed(2)}×   goal ≤ 3×   ${ratio <= 3 ? 'met' : 'NOT met'}`);
} finally {
  await c.stop();
  await rm(base, { recursive: true, force: true });
}
