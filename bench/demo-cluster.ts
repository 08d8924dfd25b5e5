// Benchmark: the whole demo cluster in a real 80×24 tmux pane, as a newcomer walks it — the
// manager (apply, then the first push: key, dry-run preview, yes), each next node started with
// the command the previous summary printed (worker-1, worker-2, the load balancer). Every
// pre-filled answer is accepted, so every key counted is a key beyond the typed values.
// Prints the keys per node and in all, and the wall time. Goal: under 60 keys.
// Run: node --import tsx bench/demo-cluster.ts   (builds the bundle first; needs tmux and rsync)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pane, walkDemoCluster } from '../test/demo-cluster-walk.js';

const REPO = join(import.meta.dirname, '..');
const BIN = join(REPO, 'bin', 'apim-gateway-wizard.js');

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
if (built.status !== 0) throw new Error(built.stderr);

const work = mkdtempSync(join(tmpdir(), 'agw-bench-demo-'));
const pane = await Pane.open(work);
try {
  const walk = await walkDemoCluster(pane, [process.execPath, BIN, '--demo'], work);
  const names = ['manager + first push', ...walk.visits.slice(1).map((v) => v.command[v.command.indexOf('--demo-node') + 1] ?? '?')];
  console.log('demo cluster, 80×24 tmux: keys pressed beyond the typed values (none typed)');
  for (const [i, v] of walk.visits.entries()) console.log(`  ${names[i]!.padEnd(22)} ${String(v.keys).padStart(3)} keys`);
  console.log(`  ${'total'.padEnd(22)} ${String(walk.keys).padStart(3)} keys (goal: under 60)`);
  if (walk.lost) console.log(`  (and ${walk.lost} key(s) pressed again: the wizard dropped them)`);
  console.log(`  wall time              ${(walk.wallMs / 1000).toFixed(1)} s`);
} finally {
  pane.close();
  rmSync(work, { recursive: true, force: true });
}
