// One apply at a time per state directory. The lock file names its holder; a lock whose
// process is gone (killed, machine rebooted) is taken over.
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from './fserror.js';
import { pidAlive } from './run/pid.js';

export class LockError extends Error {}

export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw new LockError(describeFsError(dir, 'create the wizard\'s state directory', e));
  });
  const file = join(dir, 'lock');
  const me = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = await open(file, 'wx', 0o600);
      await fd.writeFile(JSON.stringify(me) + '\n');
      await fd.close();
      return () => rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new LockError(describeFsError(file, 'take the lock', e));
      const holder = await readFile(file, 'utf8').then((t) => JSON.parse(t) as typeof me).catch(() => undefined);
      if (holder && holder.host === me.host && !pidAlive(holder.pid)) {
        await rm(file, { force: true });
        continue;
      }
      throw new LockError(
        holder
          ? `another apply is running (pid ${holder.pid} on ${holder.host}, since ${holder.since}); lock file ${file}`
          : `another apply holds the lock ${file}`,
      );
    }
  }
  throw new LockError(`cannot take the lock ${file}`);
}
