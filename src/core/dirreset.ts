// Directory resets inside an apply (a worker's repository/deployment/server before its first
// start). The directory is renamed whole into the apply's checkpoint, so nothing is copied and
// nothing can be lost, and an empty one with the same mode and owner takes its place. Each move
// is recorded in the checkpoint's manifest before it happens: a failed, interrupted or killed
// apply moves the directory back.
import { chmod, chown, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { markCheckpoint, type Checkpoint, type DirectoryEntry } from './checkpoint.js';
import { faultPoint } from './faults.js';
import { onDiskNoFollow } from './layout.js';
import { resolveOnHost } from './links.js';
import type { DirectoryReset } from './steps/contribution.js';

const nameOnDisk = (root: string | undefined, dir: string) => (root ? onDiskNoFollow(root, dir) : resolveOnHost(dir, false));

/** Where the moved directory lives inside the checkpoint. */
export function movedCopy(cp: Checkpoint, dir: string): string {
  return join(cp.dir, 'dirs', dir);
}

function moveError(dir: string, copy: string, e: NodeJS.ErrnoException): Error {
  if (e.code === 'EXDEV' || e.code === 'EBUSY') {
    return new Error(
      `cannot move ${dir} into the backup area ${copy}: ${e.code === 'EBUSY' ? 'it is a mount point' : 'they are on different filesystems'}. ` +
        'Empty it by hand (keep a copy), then run again with resetDeployment false',
    );
  }
  return new Error(`cannot move ${dir} into the backup area: ${e.message}`);
}

export async function resetDirectories(cp: Checkpoint, resets: readonly DirectoryReset[], root: string | undefined, say: (line: string) => void): Promise<void> {
  for (const r of resets) {
    // The name itself: a link there is refused below, never followed; above it, without
    // --root, only links no other user can change (core/links.ts).
    const path = nameOnDisk(root, r.dir);
    const st = await lstat(path).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      throw new Error(`${r.dir} is a symbolic link; the wizard does not move links: empty its target by hand, or put a directory in place of the link`);
    }
    if (st && !st.isDirectory()) throw new Error(`${r.dir} exists and is not a directory`);
    const keep = r.keep?.length ? { keep: [...r.keep] } : {};
    const entry: DirectoryEntry = st ? { dir: r.dir, existed: true, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, ...keep } : { dir: r.dir, existed: false };
    (cp.manifest.dirs ??= []).push(entry);
    await markCheckpoint(cp, cp.manifest.state);
    await faultPoint(`recorded the reset of ${r.dir}`);
    const copy = movedCopy(cp, r.dir);
    if (st) {
      await mkdir(dirname(copy), { recursive: true });
      await rename(path, copy).catch((e: NodeJS.ErrnoException) => {
        throw moveError(r.dir, copy, e);
      });
      await faultPoint(`moved ${r.dir}`);
    }
    await mkdir(path, { recursive: true });
    // mkdir's mode is filtered by the umask; the original mode is wanted exactly.
    await chmod(path, entry.mode ?? 0o755);
    if (entry.uid !== undefined && entry.gid !== undefined && process.getuid?.() === 0) await chown(path, entry.uid, entry.gid);
    await faultPoint(`emptied ${r.dir}`);
    const back = st ? await moveKeptBack(copy, path, entry.keep ?? []) : [];
    say(
      st
        ? `moved ${r.dir} to ${copy}; a new one is in its place${back.length ? ` with ${back.map((k) => `${k}/`).join(', ')} moved back (the server needs it to start)` : ', empty'}`
        : `created the empty directory ${r.dir}`,
    );
  }
}

/** The kept entries from the moved copy into the new folder (renames: nothing is copied); returns those moved. */
async function moveKeptBack(copy: string, path: string, keep: readonly string[]): Promise<string[]> {
  const moved: string[] = [];
  for (const name of keep) {
    const st = await lstat(join(copy, name)).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    await rename(join(copy, name), join(path, name));
    await faultPoint(`moved ${name} back`);
    moved.push(name);
  }
  return moved;
}

/**
 * Moves every directory of the checkpoint back (idempotent: a move that never happened, or was
 * already undone, is skipped). What stands in its place was made by the apply, plus anything
 * the manager's rsync pushed since, which its next run pushes again; for an undone rollback
 * (movedFrom), it is the apply's backup, moved back into that checkpoint rather than removed.
 */
export async function restoreDirectories(cp: Checkpoint, root?: string): Promise<string[]> {
  const restored: string[] = [];
  for (const entry of [...(cp.manifest.dirs ?? [])].reverse()) {
    // The name itself: rm -r of a link removes the link, not what it points to.
    const path = nameOnDisk(root, entry.dir);
    const copy = movedCopy(cp, entry.dir);
    const moved = (await lstat(copy).catch(() => undefined)) !== undefined;
    if (entry.existed && !moved) continue;
    if (!entry.existed && !(await lstat(path).catch(() => undefined))) continue;
    // A kept entry went back into the new folder: into the copy again first, or rm below would take it.
    for (const name of moved ? (entry.keep ?? []) : []) {
      const inCopy = await lstat(join(copy, name)).catch(() => undefined);
      const inPlace = await lstat(join(path, name)).catch(() => undefined);
      if (!inCopy && inPlace) await rename(join(path, name), join(copy, name));
    }
    const back = entry.movedFrom ? join(dirname(cp.dir), entry.movedFrom, 'dirs', entry.dir) : undefined;
    if (back && !(await lstat(back).catch(() => undefined)) && (await lstat(path).catch(() => undefined))) {
      // An undone rollback: what stands here is the apply's backup it had put in place; it goes back there.
      await mkdir(dirname(back), { recursive: true });
      await rename(path, back);
    } else {
      await rm(path, { recursive: true, force: true });
    }
    if (moved) await rename(copy, path);
    restored.push(entry.dir);
  }
  return restored;
}
