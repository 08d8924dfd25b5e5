// The cron job's own lock, held by the wizard for a whole run (preview, confirmation, sync):
// cron skips its runs meanwhile, so what is synced is what was previewed. flock(1) locks are
// released by the kernel, so a holder that dies (this process killed) frees it at once.
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from './local.js';

export class SyncLockError extends Error {}

// The holder: a shell of the cron user keeps the lock on its fd 9 until the release file
// appears or this process is gone.
const HOLD = [
  'if [ ! -e "$1" ]; then : >"$1"; fi',
  'exec 9<"$1"',
  'flock --wait "$2" 9 || exit 75',
  'echo held',
  'while [ -e "/proc/$3" ] && [ ! -e "$4" ]; do sleep 0.2; done',
].join('\n');

/** Waits up to `waitSeconds` for a running cron sync to finish; returns the release function. */
export async function holdSyncLock(lock: string, runner: Runner, waitSeconds = 60): Promise<() => Promise<void>> {
  const release = join(tmpdir(), `apim-gateway-wizard-depsync-release-${process.pid}-${Date.now()}`);
  let held!: () => void;
  const heldNow = new Promise<void>((resolve) => (held = resolve));
  const holder = runner.run('sh', ['-c', HOLD, 'sh', lock, String(waitSeconds), String(process.pid), release], {
    onLine: (l) => {
      if (l.text === 'held') held();
    },
  });
  const first = await Promise.race([heldNow.then(() => 'held' as const), holder]);
  if (first !== 'held') {
    if (first.exitCode === 75) throw new SyncLockError(`another sync has held ${lock} for ${waitSeconds} s (a cron run still going?); try again later`);
    throw new SyncLockError(`cannot take the lock ${lock} as ${runner.user}: ${[...first.stderr, ...first.stdout].join(' ') || first.startError}`);
  }
  return async () => {
    await writeFile(release, '');
    await holder;
    await rm(release, { force: true });
  };
}
