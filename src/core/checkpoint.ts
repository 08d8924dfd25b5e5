// Checkpoints: before an apply writes anything, the original bytes, mode and owner of every
// file it will touch (and the list of files it will create) are stored with a manifest.
// The manifest's state says how far the apply got: a checkpoint left in 'writing' is an
// interrupted apply, which the next run restores. rollback restores any checkpoint.
import { chown, lstat, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { onDisk } from './layout.js';
import { faultPoint } from './faults.js';
import { writeFileSafely } from './write.js';
import { linkTarget, placeSymlink } from './symlink.js';
import { describeFsError } from './fserror.js';

export type CheckpointState = 'writing' | 'complete' | 'restored';

export interface CheckpointEntry {
  file: string;
  existed: boolean;
  mode?: number;
  uid?: number;
  gid?: number;
  /** sha256 of the bytes the apply wrote, to tell later edits apart. */
  written?: string;
  /** A symbolic link the wizard manages: its saved "bytes" are the link's target. */
  symlink?: boolean;
}

/** A directory an apply moved into its checkpoint (dirs/<path>) and replaced by an empty one (dirreset.ts). */
export interface DirectoryEntry {
  dir: string;
  existed: boolean;
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface RestoreHooks {
  onTempFile?: (path: string) => void | Promise<void>;
  before?: (file: string) => Promise<void>;
}

export interface Manifest {
  id: string;
  createdAt: string;
  /** What made it: an apply, or a rollback (which can be undone in turn by naming its id). */
  kind: 'apply' | 'rollback';
  reason: string;
  /** The role of the node the apply configured (a rollback's: that of what it rolled back). */
  role?: string;
  state: CheckpointState;
  /** Set on an apply's checkpoint once a rollback has put its originals back. */
  rolledBackBy?: string;
  files: CheckpointEntry[];
  /** Recorded before each move, so that a killed apply's directory is moved back too. */
  dirs?: DirectoryEntry[];
}

export interface Checkpoint {
  dir: string;
  manifest: Manifest;
}

export interface FileToTouch {
  file: string;
  /** Current bytes (undefined: it does not exist and will be created). */
  before?: Buffer;
  after: Buffer;
  /** A symbolic link: before is its target, and so is what it is put back as. */
  symlink?: boolean;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function newId(): string {
  return new Date().toISOString().replace(/[:.]/g, '-') + `-${process.pid}`;
}

async function saveManifest(cp: Checkpoint): Promise<void> {
  await writeFileSafely(join(cp.dir, 'manifest.json'), Buffer.from(JSON.stringify(cp.manifest, null, 2) + '\n'), { mode: 0o600 });
}

export async function createCheckpoint(
  state: string,
  files: readonly FileToTouch[],
  what: Pick<Manifest, 'kind' | 'reason' | 'role'>,
  root?: string,
): Promise<Checkpoint> {
  const manifest: Manifest = { id: newId(), createdAt: new Date().toISOString(), ...what, state: 'writing', files: [] };
  const dir = join(state, 'checkpoints', manifest.id);
  for (const f of files) {
    const link = f.symlink ? { symlink: true } : {};
    if (f.before === undefined) {
      manifest.files.push({ file: f.file, existed: false, written: sha256(f.after), ...link });
      continue;
    }
    // A link the wizard manages is saved as itself (its target), any other path as what it points to.
    const path = onDisk(root, f.file);
    const st = await lstat(f.symlink ? path : await realTarget(path));
    const copy = join(dir, 'files', f.file);
    await mkdir(dirname(copy), { recursive: true });
    await writeFile(copy, f.before, { mode: 0o600 });
    await faultPoint(`backup ${f.file}`);
    manifest.files.push({ file: f.file, existed: true, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, written: sha256(f.after), ...link });
  }
  const cp = { dir, manifest };
  await saveManifest(cp);
  return cp;
}

/**
 * Is the entry's path a link the wizard manages? Said by the entry; checkpoints made before
 * entries said so are recognised by the link's target being what the apply wrote.
 */
/** The role of a checkpoint's node; checkpoints made before it was recorded say it in their reason. */
export function roleOf(m: Manifest): string | undefined {
  return m.role ?? /^apply \((.+)\)$/.exec(m.reason)?.[1];
}

export async function managedLink(entry: CheckpointEntry, path: string): Promise<boolean> {
  if (entry.symlink !== undefined) return entry.symlink;
  const target = await linkTarget(path).catch(() => undefined);
  return target !== undefined && entry.written === sha256(Buffer.from(target));
}

function realTarget(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

export async function markCheckpoint(cp: Checkpoint, state: CheckpointState): Promise<void> {
  cp.manifest.state = state;
  await saveManifest(cp);
}

/** Remembers a temp file of an atomic write, so that recovery can remove it after a kill. */
export function noteTempFile(cp: Checkpoint, path: string): void {
  appendFileSync(join(cp.dir, 'tempfiles'), `${path}\n`);
}

export class RestoreError extends Error {
  constructor(message: string, readonly restored: string[]) {
    super(message);
  }
}

/**
 * Puts back every file of the checkpoint (or only `only`): original bytes, mode and owner;
 * created files removed. Files already as they were are left alone, so a restore after a
 * write that failed (read-only or full file system) does not fail the same way. Returns the
 * files put back; if some could not be, throws RestoreError naming them after trying all.
 */
export async function restoreCheckpoint(cp: Checkpoint, root?: string, only?: ReadonlySet<string>, hooks: RestoreHooks = {}): Promise<string[]> {
  const restored: string[] = [];
  const failed: string[] = [];
  for (const entry of [...cp.manifest.files].reverse()) {
    if (only && !only.has(entry.file)) continue;
    try {
      if (await restoreOne(cp, entry, root, hooks)) restored.push(entry.file);
    } catch (e) {
      failed.push(describeFsError(entry.file, 'put it back', e));
    }
  }
  const temps = await readFile(join(cp.dir, 'tempfiles'), 'utf8').catch(() => '');
  for (const t of temps.split('\n').filter(Boolean)) await rm(t, { force: true }).catch(() => {});
  if (failed.length) {
    throw new RestoreError(`${failed.join('; ')}. The originals are in ${join(cp.dir, 'files')}`, restored);
  }
  return restored;
}

async function restoreOne(cp: Checkpoint, entry: CheckpointEntry, root: string | undefined, hooks: RestoreHooks): Promise<boolean> {
  const path = onDisk(root, entry.file);
  if (!entry.existed) {
    if (!(await lstat(path).catch(() => undefined))) return false;
    await hooks.before?.(entry.file);
    await rm(path, { force: true });
    return true;
  }
  const original = await readFile(join(cp.dir, 'files', entry.file));
  if (await managedLink(entry, path)) {
    if ((await linkTarget(path)) === original.toString()) return false;
    await hooks.before?.(entry.file);
    await placeSymlink(path, original.toString(), hooks.onTempFile);
    return true;
  }
  const target = await realTarget(path);
  const now = await readFile(target).catch(() => undefined);
  const st = await lstat(target).catch(() => undefined);
  if (now?.equals(original) && st && (st.mode & 0o7777) === entry.mode && st.uid === entry.uid && st.gid === entry.gid) return false;
  await hooks.before?.(entry.file);
  await writeFileSafely(target, original, { mode: entry.mode, onTempFile: hooks.onTempFile });
  if (entry.uid !== undefined && entry.gid !== undefined && process.getuid?.() === 0) await chown(target, entry.uid, entry.gid);
  return true;
}

export async function listCheckpoints(state: string): Promise<Checkpoint[]> {
  const base = join(state, 'checkpoints');
  const ids = await readdir(base).catch(() => [] as string[]);
  const out: Checkpoint[] = [];
  for (const id of ids.sort()) {
    const dir = join(base, id);
    const manifest = await readFile(join(dir, 'manifest.json'), 'utf8').then((t) => JSON.parse(t) as Manifest).catch(() => undefined);
    // A checkpoint killed before its manifest was written had written nothing yet.
    if (manifest) out.push({ dir, manifest });
  }
  return out;
}

/** Checkpoints whose apply never finished or restored (killed, power cut). */
export async function interrupted(state: string): Promise<Checkpoint[]> {
  return (await listCheckpoints(state)).filter((c) => c.manifest.state === 'writing');
}

export { sha256 };
