// One apply at a time per state directory. The lock file names its holder and appears whole or
// not at all (written to a temp name, then hard-linked into place), so a kill cannot leave an
// empty lock. A lock whose holder is gone — or an empty or torn one an older version left — is
// taken over by renaming it to a name of our own first: of two runs, only one can win that rename.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from '../messages/fserror.js';
import { prepareStateFolder, StateTrustError } from '../state/trust.js';
import { pidAlive } from '../run/pid.js';
import { faultPoint } from './faults.js';

export class LockError extends Error {}

export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  // Created 0700 and checked up to / (core/state/trust.ts): a lock is only as good as its folder.
  await prepareStateFolder(dir).catch((e: unknown) => {
    throw e instanceof StateTrustError ? new LockError(e.message) : new LockError(describeFsError(dir, 'create the wizard\'s state directory', e));
  });
  const file = join(dir, 'lock');
  const me = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const text = JSON.stringify(me) + '\n';
  const tmp = join(dir, `lock.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = await open(tmp, 'wx', 0o600).catch((e: unknown) => {
    throw new LockError(describeFsError(tmp, 'take the lock', e));
  });
  try {
    await fd.writeFile(text);
    await fd.sync();
  } finally {
    await fd.close();
  }
  await faultPoint('lock content written');
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(tmp, file);
        await faultPoint('lock linked');
        return () => rm(file, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new LockError(describeFsError(file, 'take the lock', e));
      }
      const seen = await readFile(file, 'utf8').catch(() => undefined);
      if (seen === undefined) continue; // released meanwhile: try again
      const holder = parseHolder(seen);
      const stale = holder === undefined || (holder.host === me.host && !pidAlive(holder.pid));
      if (!stale) {
        throw new LockError(`another apply is running (pid ${holder.pid} on ${holder.host}, since ${holder.since}); lock file ${file}`);
      }
      await takeOver(file, seen);
    }
    throw new LockError(`cannot take the lock ${file}: other runs keep taking it`);
  } finally {
    await rm(tmp, { force: true });
  }
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** The holder a lock names; undefined for an empty or torn lock (a kill while an older version wrote it). */
function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? (h as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves a stale lock out of the way. The rename is atomic: when two runs judge the same lock
 * stale, one renames it and the other finds nothing to rename. A fresh lock that replaced the
 * stale one between the read and the rename is put back untouched.
 */
async function takeOver(file: string, seen: string): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new LockError(describeFsError(file, 'take over the stale lock', e));
  }
  await faultPoint('stale lock set aside');
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== seen) {
    // Not the lock judged stale: give it back (link fails only if yet another run holds the name).
    await link(aside, file).catch(() => {});
  }
  await rm(aside, { force: true });
}
