// Private temp folders for secrets on their way (the nginx -t stage with its TLS key, openssl's
// trial key): 0700 in TMPDIR, named `<prefix><pid>-…`, so that one left by a killed run can be
// told from a live one and removed by the next run.
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from './pid.js';

/** Folders of `prefix` left by runs of this user that were killed (their process is gone), removed. */
export async function removeStaleTemps(prefix: string, dir = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const named = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)-`);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(named.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || pidAlive(pid)) continue;
    const path = join(dir, name);
    const st = await lstat(path).catch(() => undefined);
    // Only a real directory of ours: TMPDIR is shared, and a link or another user's entry is not ours to delete.
    if (!st?.isDirectory() || st.uid !== process.getuid?.()) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

/** A new 0700 folder `<prefix><pid>-XXXXXX` in TMPDIR, after removing stale ones of that prefix. */
export async function makePrivateTemp(prefix: string): Promise<string> {
  await removeStaleTemps(prefix);
  return mkdtemp(join(tmpdir(), `${prefix}${process.pid}-`));
}
