// Writing one file so that it cannot lie: a temp file beside it (created O_EXCL|O_NOFOLLOW,
// mode 0600 whatever the umask), every byte written (short writes looped), owner and mode
// set on the descriptor, fsync, rename, fsync of the directory, then the file is read back
// and compared with what was meant (bytes, mode, owner); any difference throws.
//
// Hand-written rather than write-file-atomic: measured on a nearly full tmpfs, its single
// fs.write() returns a short count (4096 of 26012 bytes) that it takes as complete, so a
// truncated file was renamed into place and reported as written; it also opens its
// predictable temp name without O_EXCL (a planted link there is followed).
//
// A symlink path is followed to its target (its target is edited): inside --root, else only a
// link no other user can change (core/node/links.ts); the folder written into is held open, so
// every name is taken inside it even if a folder on the way is swapped for a link meanwhile. Files that cannot be
// renamed over (a bind-mounted /etc/hosts answers EBUSY) are rewritten in place, growing
// first so that a full disk is found before any old byte is overwritten.
import { constants } from 'node:fs';
import { chmod, link, lstat, mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { followInRoot } from '../node/jail.js';
import { pinFolder, resolveOnHost, type PinnedFolder } from '../node/links.js';
import { freeSpace } from './space.js';

export interface WriteOptions {
  /** Mode of the file; default: the existing file's, else 0644. */
  mode?: number;
  /** Owner of the file; default: the existing file's (kept only when running as root). */
  owner?: { uid: number; gid: number };
  /** Mode of the directories it creates (default 0755, whatever the umask). */
  dirMode?: number;
  /** Told the temp file's name as soon as it exists, so an interrupted write can be cleaned up. */
  onTempFile?: (path: string) => void | Promise<void>;
  /** --root: a final link is followed inside it (core/node/jail.ts), never out of it. */
  root?: string;
  /**
   * A new file only: the temp file is linked into place (link(2) fails on any name already
   * there, a symbolic link included, and never follows it), so nothing is replaced or written through.
   */
  createOnly?: boolean;
}

/** createOnly: something is already at the path; nothing was written. */
export class FileExistsError extends Error {}

/** What was read back after writing is not what was meant. */
export class WriteMismatchError extends Error {}

/** Space facts carried by an ENOSPC/EDQUOT error, for describeFsError. */
export interface SpaceFacts {
  needed: number;
  free: number;
  mount: string;
}

const isRoot = () => process.getuid?.() === 0;
const octal = (m: number) => m.toString(8).padStart(4, '0');

/**
 * mkdir -p that says why: Node's recursive mkdir reports ENOENT for a read-only or full file
 * system (nodejs/node#47098, #42808), so each missing directory is made on its own. Made
 * directories get `mode` exactly (chmod, not the umask's version of it).
 */
export async function makeDirectories(dir: string, mode = 0o755): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const st = await stat(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (st) break;
    missing.unshift(d);
    if (d === dirname(d)) break;
  }
  for (const d of missing) {
    await mkdir(d, { mode }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await chmod(d, mode);
  }
}

/** Writes all of bytes at position, however many calls it takes (a write may be short). */
async function writeAll(fd: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fd.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('the file system accepted no more bytes'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** Owner and mode on the open file: chown first, as it clears set-id bits. */
async function setOwnerAndMode(fd: FileHandle, mode: number, owner: { uid: number; gid: number } | undefined): Promise<boolean> {
  let owned = false;
  if (owner) {
    const st = await fd.stat();
    if (st.uid !== owner.uid || st.gid !== owner.gid) {
      try {
        await fd.chown(owner.uid, owner.gid);
        owned = true;
      } catch (e) {
        // Not root: a file of another user is written as ours (as cp would); root must not fail here.
        if (isRoot() || !['EPERM', 'EINVAL'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      }
    } else owned = true;
  }
  await fd.chmod(mode);
  return owned;
}

/** Adds what a full disk needs to know to its error (how much, how much is free, where). */
async function withSpaceFacts(e: unknown, dir: string, needed: number): Promise<unknown> {
  const code = (e as NodeJS.ErrnoException).code;
  if ((code !== 'ENOSPC' && code !== 'EDQUOT') || (e as { space?: SpaceFacts }).space) return e;
  const free = await freeSpace(dir).catch(() => undefined);
  if (free) Object.assign(e as object, { space: { needed, free: free.freeBytes, mount: free.mount } satisfies SpaceFacts });
  return e;
}

/** Reads the file back: the bytes, mode and (when it was set) owner must be the ones meant. */
async function readBack(target: string, bytes: Buffer, mode: number, owner: { uid: number; gid: number } | undefined): Promise<void> {
  const now = await readFile(target);
  if (!now.equals(bytes)) {
    throw new WriteMismatchError(`what is on disk differs from what was written (${now.length} bytes read back, ${bytes.length} written)`);
  }
  const st = await stat(target);
  if ((st.mode & 0o7777) !== mode) throw new WriteMismatchError(`its mode on disk is ${octal(st.mode & 0o7777)}, not ${octal(mode)} as written`);
  if (owner && (st.uid !== owner.uid || st.gid !== owner.gid)) {
    throw new WriteMismatchError(`its owner on disk is ${st.uid}:${st.gid}, not ${owner.uid}:${owner.gid} as written`);
  }
}

/** A temp name beside the target: `<name>.<digits>`, the form recovery recognises. */
function tempName(name: string): string {
  return `${name}.${process.pid}${randomInt(1e9)}`;
}

async function createTemp(folder: PinnedFolder, name: string): Promise<{ tmp: string; fd: FileHandle }> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  for (let attempt = 0; ; attempt++) {
    const tmp = tempName(name);
    try {
      return { tmp, fd: await open(folder.at(tmp), flags, 0o600) };
    } catch (e) {
      // Something already has that name (planted?): never touch it, take another.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw e;
    }
  }
}

/**
 * In place, for a file that cannot be renamed over. The tail beyond the old length is written
 * first: if the disk is full that fails before any old byte changes (and is cut off again).
 * Free space for the whole new file is checked first, as a copy-on-write file system needs it.
 */
async function writeInPlace(target: string, bytes: Buffer, mode: number, owner: { uid: number; gid: number } | undefined): Promise<boolean> {
  const free = await freeSpace(target);
  if (free.freeBytes < bytes.length) {
    throw Object.assign(new Error('no space left on the device'), {
      code: 'ENOSPC',
      space: { needed: bytes.length, free: free.freeBytes, mount: free.mount } satisfies SpaceFacts,
    });
  }
  const fd = await open(target, constants.O_RDWR | constants.O_NOFOLLOW);
  try {
    const old = await fd.readFile();
    if (bytes.length > old.length) {
      try {
        await writeAll(fd, bytes.subarray(old.length), old.length);
        await fd.sync();
      } catch (e) {
        await fd.truncate(old.length).catch(() => {});
        throw await withSpaceFacts(e, dirname(target), bytes.length);
      }
    }
    try {
      await writeAll(fd, bytes.subarray(0, Math.min(old.length, bytes.length)), 0);
      if (bytes.length < old.length) await fd.truncate(bytes.length);
    } catch (e) {
      // Overwriting allocated blocks fails only on copy-on-write file systems: put the old bytes back.
      await writeAll(fd, old, 0).then(() => fd.truncate(old.length)).catch(() => {});
      throw await withSpaceFacts(e, dirname(target), bytes.length);
    }
    const owned = await setOwnerAndMode(fd, mode, owner);
    await fd.sync();
    return owned;
  } finally {
    await fd.close();
  }
}

export async function writeFileSafely(path: string, bytes: Buffer, opts: WriteOptions = {}): Promise<void> {
  const resolveTarget = () => (opts.root ? followInRoot(opts.root, path) : resolveOnHost(path, !opts.createOnly));
  // Folders are made where the checked path leads; then it is resolved again, now that they exist.
  await makeDirectories(dirname(resolveTarget()), opts.dirMode);
  const target = resolveTarget();
  const dir = dirname(target);
  const folder = await pinFolder(dir);
  try {
    await writeInto(folder, target, bytes, opts);
  } finally {
    await folder.handle.close();
  }
}

/** The write itself, every name taken inside the pinned folder; `target` is what messages and records say. */
async function writeInto(folder: PinnedFolder, target: string, bytes: Buffer, opts: WriteOptions): Promise<void> {
  const dir = dirname(target);
  const name = basename(target);
  const existing = await lstat(folder.at(name)).catch(() => undefined);
  const mode = opts.mode ?? (existing?.isFile() ? existing.mode & 0o7777 : 0o644);
  const owner = opts.owner ?? (existing?.isFile() && isRoot() ? { uid: existing.uid, gid: existing.gid } : undefined);

  const { tmp, fd } = await createTemp(folder, name).catch(async (e: unknown) => {
    throw await withSpaceFacts(e, dir, bytes.length);
  });
  let renamed = false;
  let owned = false;
  try {
    try {
      await opts.onTempFile?.(join(dir, tmp));
      await writeAll(fd, bytes, 0);
      owned = await setOwnerAndMode(fd, mode, owner);
      await fd.sync();
    } finally {
      await fd.close();
    }
    if (opts.createOnly) {
      await link(folder.at(tmp), folder.at(name)).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EEXIST' ? new FileExistsError(`${target} exists; nothing was written`) : e;
      });
      renamed = true;
      await unlink(folder.at(tmp));
    } else {
      try {
        await rename(folder.at(tmp), folder.at(name));
        renamed = true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EBUSY' && code !== 'EXDEV') throw e;
        await unlink(folder.at(tmp)).catch(() => {});
        owned = await writeInPlace(folder.at(name), bytes, mode, owner);
        renamed = true;
      }
    }
    await folder.handle.sync();
  } catch (e) {
    if (!renamed) await unlink(folder.at(tmp)).catch(() => {});
    throw await withSpaceFacts(e, dir, bytes.length);
  }
  await readBack(folder.at(name), bytes, mode, owned ? owner : undefined);
}
