// Directory resets inside an apply (a worker's repository/deployment/server before its first
// start). The directory is renamed whole into the apply's checkpoint, so its backup is every
// byte of it, and a new one with the same mode and owner takes its place, holding a copy of what
// the server needs to start (synapse-configs). Each move is recorded in the checkpoint's
// manifest before it happens: a failed, interrupted or killed apply moves the directory back.
import { chmod, cp, lchown, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { markCheckpoint, type Checkpoint, type DirectoryEntry } from './checkpoint.js';
import { faultPoint } from './faults.js';
import { onDiskNoFollow } from '../node/layout.js';
import { pinFolder, resolveOnHost, type PinnedFolder } from '../node/links.js';
import type { DirectoryReset } from '../steps/contribution.js';

const nameOnDisk = (root: string | undefined, dir: string) => (root ? onDiskNoFollow(root, dir) : resolveOnHost(dir, false));

/** Where the moved directory lives inside the checkpoint. */
export function movedCopy(cp: Checkpoint, dir: string): string {
  return join(cp.dir, 'dirs', dir);
}

/** Where a directory moved into another checkpoint of the same node lives (a rollback's records name it by id). */
export function inCheckpoint(cp: Checkpoint, id: string, dir: string): string {
  return join(dirname(cp.dir), id, 'dirs', dir);
}

/** Where this checkpoint's entry keeps the directory it set aside: its own dirs/, or the one it names. */
function asideOf(cp: Checkpoint, entry: DirectoryEntry): string {
  return entry.asideIn ? inCheckpoint(cp, entry.asideIn, entry.dir) : movedCopy(cp, entry.dir);
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
    // --root, only links no other user can change (core/node/links.ts).
    const path = nameOnDisk(root, r.dir);
    const st = await lstat(path).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      throw new Error(`${r.dir} is a symbolic link; the wizard does not move links: empty its target by hand, or put a directory in place of the link`);
    }
    if (st && !st.isDirectory()) throw new Error(`${r.dir} exists and is not a directory`);
    const entry: DirectoryEntry = st ? { dir: r.dir, existed: true, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid } : { dir: r.dir, existed: false };
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
    await mkdir(dirname(path), { recursive: true });
    // Made by root, closed to others, and held open: the owner of the folder above could put a
    // link at this name meanwhile, and nothing below may be done through one (core/node/links.ts).
    await mkdir(path, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EEXIST' ? new Error(`${r.dir}: something was put at its name while the wizard moved it (refused; nothing was written into it)`) : e;
    });
    const folder = await pinFolder(path);
    let copied: string[];
    try {
      const made = await folder.handle.stat();
      if (!made.isDirectory() || made.uid !== process.geteuid?.()) throw new Error(`${r.dir}: the new directory is not the one the wizard made (refused)`);
      await faultPoint(`emptied ${r.dir}`);
      copied = st ? await copyKept(copy, folder, r.keep ?? []) : [];
      // mkdir's mode is filtered by the umask; the original mode is wanted exactly.
      await folder.handle.chmod(entry.mode ?? 0o755);
      if (entry.uid !== undefined && entry.gid !== undefined && process.getuid?.() === 0) await folder.handle.chown(entry.uid, entry.gid);
    } finally {
      await folder.handle.close();
    }
    say(
      st
        ? `moved ${r.dir} to ${copy}; a new one is in its place${copied.length ? ` with a copy of ${copied.map((k) => `${k}/`).join(', ')} (the server needs it to start)` : ', empty'}`
        : `created the empty directory ${r.dir}`,
    );
  }
}

/**
 * A copy of each kept entry of the moved folder (in the checkpoint) in the new one, with the
 * modes and owners it had: the backup stays whole, so a rollback is exact even after syncs.
 * Links are copied as links, never followed; the new folder is root's and closed to others
 * until the copy is done, so nobody can change it on the way.
 */
async function copyKept(copy: string, folder: PinnedFolder, keep: readonly string[]): Promise<string[]> {
  const copied: string[] = [];
  for (const name of keep) {
    const src = join(copy, name);
    if (!(await lstat(src).catch(() => undefined))?.isDirectory()) continue;
    const dest = folder.at(name);
    await cp(src, dest, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true, preserveTimestamps: true }).catch((e: Error) => {
      throw new Error(`cannot copy ${name}/ into the new folder: ${e.message}`);
    });
    for (const rel of ['', ...((await readdir(src, { recursive: true })) as string[])]) {
      const st = await lstat(join(src, rel));
      await lchown(join(dest, rel), st.uid, st.gid);
      if (!st.isSymbolicLink()) await chmod(join(dest, rel), st.mode & 0o7777);
    }
    await faultPoint(`copied ${name}`);
    copied.push(name);
  }
  return copied;
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
    const copy = asideOf(cp, entry);
    const moved = (await lstat(copy).catch(() => undefined)) !== undefined;
    if (entry.existed && !moved) continue;
    if (!entry.existed && !(await lstat(path).catch(() => undefined))) continue;
    const back = entry.movedFrom ? inCheckpoint(cp, entry.movedFrom, entry.dir) : undefined;
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
