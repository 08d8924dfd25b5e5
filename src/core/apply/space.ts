// Free space, checked for every file before the first write: a full disk found half-way
// through leaves the node with some files new and some old, and the restore itself then
// needs room it may not have. Each file system must hold, at the same time, every new file
// beside its old one (the temp file exists until the rename) and, on the state's file
// system, the checkpoint's backups and manifest.
import { lstat, readdir, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { onDisk } from '../node/layout.js';

export class SpaceError extends Error {}

/** Bytes that must fit on the file system holding `path` (which need not exist yet). */
export interface SpaceNeed {
  /** As the admin knows it (shown in the message). */
  file: string;
  /** Where it is on disk (under --root). */
  path: string;
  bytes: number;
}

export interface FreeSpace {
  /** The mount point (or the nearest existing directory's file system root). */
  mount: string;
  dev: number;
  blockSize: number;
  freeBytes: number;
  freeFiles: number;
}

const kib = (n: number) => Math.ceil(n / 1024);

/** The nearest existing path at or above path (a file too: a bind-mounted file is its own file system). */
async function existingPath(path: string): Promise<{ dir: string; dev: number }> {
  for (let dir = path; ; dir = dirname(dir)) {
    const st = await stat(dir).catch(() => undefined);
    if (st) return { dir, dev: st.dev };
    if (dir === dirname(dir)) throw new Error(`${path}: nothing exists above it`);
  }
}

/** Free space of the file system holding path; root may use the blocks kept back for root. */
export async function freeSpace(path: string): Promise<FreeSpace> {
  const { dir, dev } = await existingPath(path);
  let mount = dir;
  while (mount !== dirname(mount)) {
    const up = await stat(dirname(mount)).catch(() => undefined);
    if (!up || up.dev !== dev) break;
    mount = dirname(mount);
  }
  const fs = await statfs(dir);
  const blocks = process.getuid?.() === 0 ? fs.bfree : fs.bavail;
  return { mount, dev, blockSize: fs.bsize, freeBytes: blocks * fs.bsize, freeFiles: fs.ffree };
}

/** "needs N KiB, M KiB free on the file system of DIR": the words every space message uses. */
export function spaceWords(needed: number, free: FreeSpace): string {
  return `needs ${kib(needed)} KiB, ${kib(free.freeBytes)} KiB free on the file system of ${free.mount}`;
}

/**
 * Refuses, before anything is written, when a file system cannot hold what it must.
 * Sizes are rounded up to whole blocks per file, as the file system allocates them.
 */
export async function checkSpace(needs: readonly SpaceNeed[]): Promise<void> {
  const byFs = new Map<number, { free: FreeSpace; bytes: number; files: string[] }>();
  for (const n of needs) {
    const free = await freeSpace(n.path);
    const entry = byFs.get(free.dev) ?? { free, bytes: 0, files: [] };
    entry.bytes += Math.max(1, Math.ceil(n.bytes / free.blockSize)) * free.blockSize;
    if (!entry.files.includes(n.file)) entry.files.push(n.file);
    byFs.set(free.dev, entry);
  }
  for (const { free, bytes, files } of byFs.values()) {
    const more = files.length > 1 ? ` (and ${files.length - 1} other file(s) there)` : '';
    if (bytes > free.freeBytes) {
      throw new SpaceError(`${files[0]}${more}: not enough space on the file system of ${free.mount} (needs ${kib(bytes)} KiB, ${kib(free.freeBytes)} KiB free); nothing was written`);
    }
    // A temp file per file: a file system out of inodes fails as ENOSPC too.
    if (free.freeFiles > 0 && free.freeFiles < files.length) {
      throw new SpaceError(`${files[0]}${more}: not enough free inodes on the file system of ${free.mount} (needs ${files.length}, ${free.freeFiles} free); nothing was written`);
    }
  }
}

/** What an apply or rollback writes, as checkSpace needs it. */
export interface PlannedWrite {
  file: string;
  before?: Buffer;
  after: Buffer;
}

/**
 * The space an apply or rollback needs: each new file beside its old one, plus the backups
 * (and a manifest) its checkpoint stores in the state directory.
 */
export async function checkSpaceForWrites(state: string, writes: readonly PlannedWrite[], root?: string, extra: readonly SpaceNeed[] = []): Promise<void> {
  // What else the apply makes (a copy a directory reset keeps) first: it is the one named when it does not fit.
  const needs: SpaceNeed[] = [...extra];
  for (const w of writes) needs.push({ file: w.file, path: onDisk(root, w.file), bytes: w.after.length });
  const store = `${state} (the checkpoint's backups)`;
  for (const w of writes) if (w.before !== undefined) needs.push({ file: store, path: state, bytes: w.before.length });
  // The manifest names every file; 512 bytes each is generous for its entry and temp-file list.
  if (writes.length) needs.push({ file: store, path: state, bytes: 4096 + 512 * writes.length });
  await checkSpace(needs);
}

/** Bytes a copy of the tree at `path` takes: its files' sizes and a block per folder or link; links are not followed. */
export async function treeBytes(path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.isFile() ? st.size : 4096;
  let bytes = 4096;
  for (const name of await readdir(path)) bytes += await treeBytes(join(path, name));
  return bytes;
}
