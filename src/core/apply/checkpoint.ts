// Checkpoints: before an apply writes anything, the original bytes, mode and owner of every
// file it will touch (and the list of files it will create) are stored with a manifest.
// The manifest's state says how far the apply got: a checkpoint left in 'writing' is an
// interrupted apply, which the next run restores. rollback restores any checkpoint.
import { lstat, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { resolveOnHost } from '../node/links.js';
import { appendFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { createHash } from 'node:crypto';
import { onDisk, onDiskNoFollow } from '../node/layout.js';
import { faultPoint } from './faults.js';
import { writeFileSafely } from './write.js';
import { linkTarget, placeSymlink } from './symlink.js';
import { describeFsError } from '../messages/fserror.js';
import { checkManifest, shown } from '../state/manifest.js';
import { nodeRulesOf, recordNode } from '../state/location.js';

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

/** A directory an apply moved into its checkpoint (dirs/<path>) and replaced by a new one (dirreset.ts). */
export interface DirectoryEntry {
  dir: string;
  existed: boolean;
  mode?: number;
  uid?: number;
  gid?: number;
  /** A rollback's: the folder it moved into place came from this checkpoint's dirs/ (its id). */
  movedFrom?: string;
  /** A rollback's: what it set aside went into this checkpoint's dirs/ (an undone rollback's apply), not its own. */
  asideIn?: string;
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
  /** Folders that did not exist for the files the apply creates (removed again when empty). */
  createdDirs?: string[];
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
  await writeFileSafely(join(cp.dir, 'manifest.json'), Buffer.from(JSON.stringify(cp.manifest, null, 2) + '\n'), { mode: 0o600, dirMode: 0o700 });
}

export async function createCheckpoint(
  state: string,
  files: readonly FileToTouch[],
  what: Pick<Manifest, 'kind' | 'reason' | 'role'>,
  root?: string,
): Promise<Checkpoint> {
  const manifest: Manifest = { id: newId(), createdAt: new Date().toISOString(), ...what, state: 'writing', files: [] };
  const dir = join(state, 'checkpoints', manifest.id);
  // The checkpoints are checked against the node the folder says it is for (state/manifest.ts).
  await recordNode(state);
  for (const f of files) {
    const link = f.symlink ? { symlink: true } : {};
    if (f.before === undefined) {
      manifest.files.push({ file: f.file, existed: false, written: sha256(f.after), ...link });
      continue;
    }
    // A link the wizard manages is saved as itself (its target), any other path as what it points to.
    const st = await lstat(f.symlink ? onDiskNoFollow(root, f.file) : await realTarget(root, f.file));
    const copy = join(dir, 'files', f.file);
    // Every byte, fsync'ed and read back: a backup is only a backup once it is on disk whole.
    await writeFileSafely(copy, f.before, { mode: 0o600, dirMode: 0o700 });
    await faultPoint(`backup ${f.file}`);
    manifest.files.push({ file: f.file, existed: true, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, written: sha256(f.after), ...link });
  }
  const created = await missingFolders(manifest.files.filter((f) => !f.existed).map((f) => f.file), root);
  if (created.length) manifest.createdDirs = created;
  const cp = { dir, manifest };
  await saveManifest(cp);
  return cp;
}

/** The folders above these files that do not exist yet (as on the node), so that a restore can remove them again. */
async function missingFolders(files: readonly string[], root: string | undefined): Promise<string[]> {
  const out = new Set<string>();
  for (const f of files) {
    for (let d = dirname(f); d !== dirname(d) && !out.has(d); d = dirname(d)) {
      if (await lstat(onDisk(root, d)).catch(() => undefined)) break;
      out.add(d);
    }
  }
  return [...out].sort();
}

/** Removes the folders the apply created, deepest first, when they are empty again (rmdir: never their content, never a link). */
async function removeCreatedFolders(cp: Checkpoint, root: string | undefined): Promise<void> {
  const dirs = [...(cp.manifest.createdDirs ?? [])].sort((a, b) => b.length - a.length);
  for (const d of dirs) await rmdir(onDiskNoFollow(root, d)).catch(() => {});
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

/** Where the writer writes an entry: a link followed to its target (under --root inside the root, else only a link no other user can change: core/node/links.ts). */
async function realTarget(root: string | undefined, file: string): Promise<string> {
  return root ? onDisk(root, file) : resolveOnHost(file);
}

export async function markCheckpoint(cp: Checkpoint, state: CheckpointState): Promise<void> {
  cp.manifest.state = state;
  await saveManifest(cp);
}

/** Remembers a temp file of an atomic write, so that recovery can remove it after a kill. */
export function noteTempFile(cp: Checkpoint, path: string, root?: string): void {
  // Kept as the path on the node: a root copied elsewhere (a rehearsal) keeps its checkpoints.
  const top = root ? posix.normalize(root).replace(/\/+$/, '') : '';
  const node = top && path.startsWith(`${top}/`) ? path.slice(top.length) : path;
  appendFileSync(join(cp.dir, 'tempfiles'), `${node}\n`);
}

/** A file a restore could not put back, and how to put it back by hand. */
export interface RestoreFailure {
  file: string;
  reason: string;
  /** The shell command that puts the original back (or removes a file the apply created). */
  byHand: string;
}

export class RestoreError extends Error {
  constructor(
    message: string,
    /** Files put back and read back equal to their backup. */
    readonly restored: string[],
    readonly failures: RestoreFailure[] = [],
  ) {
    super(message);
  }
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Where an entry's original bytes are kept in its checkpoint. */
export function backupOf(cp: Checkpoint, entry: CheckpointEntry): string {
  return join(cp.dir, 'files', entry.file);
}

async function byHand(cp: Checkpoint, entry: CheckpointEntry, root: string | undefined): Promise<string> {
  const path = onDiskNoFollow(root, entry.file);
  if (!entry.existed) return `rm -f ${shellQuote(path)}`;
  const backup = backupOf(cp, entry);
  if (await managedLink(entry, path).catch(() => false)) {
    const target = await readFile(backup, 'utf8').catch(() => undefined);
    if (target !== undefined) return `ln -sfn ${shellQuote(target)} ${shellQuote(path)}`;
  }
  return `cp --preserve=mode,ownership ${shellQuote(backup)} ${shellQuote(await realTarget(root, entry.file))}`;
}

/**
 * Puts back every file of the checkpoint (or only `only`): original bytes, mode and owner;
 * created files removed. Files already as they were are left alone, so a restore after a
 * write that failed (read-only or full file system) does not fail the same way. A file counts
 * as put back only once it has been read back equal to its backup. Returns the files put
 * back; if some could not be, throws RestoreError after trying all, saying per file where its
 * original bytes are and the command that puts them back. The backups are never removed here.
 */
export async function restoreCheckpoint(cp: Checkpoint, root?: string, only?: ReadonlySet<string>, hooks: RestoreHooks = {}): Promise<string[]> {
  const restored: string[] = [];
  const failures: RestoreFailure[] = [];
  for (const entry of [...cp.manifest.files].reverse()) {
    if (only && !only.has(entry.file)) continue;
    try {
      if (await restoreOne(cp, entry, root, hooks)) restored.push(entry.file);
    } catch (e) {
      const where = entry.existed ? `; its original bytes are in ${backupOf(cp, entry)}` : '; the apply created it';
      failures.push({ file: entry.file, reason: `${describeFsError(entry.file, entry.existed ? 'put it back' : 'remove it', e)}${where}`, byHand: await byHand(cp, entry, root) });
    }
  }
  const temps = await readFile(join(cp.dir, 'tempfiles'), 'utf8').catch(() => '');
  for (const t of temps.split('\n').filter(Boolean)) await rm(onDiskNoFollow(root, t), { force: true }).catch(() => {});
  if (!failures.length) await removeCreatedFolders(cp, root);
  if (failures.length) {
    const full = failures.some((f) => /ENOSPC|EDQUOT/.test(f.reason));
    throw new RestoreError(
      `${failures.map((f) => f.reason).join('\n')}\n` +
        `The checkpoint ${cp.dir} is kept: the next \`apim-gateway-wizard apply\` or \`rollback\` puts ${failures.length === 1 ? 'it' : 'them'} back` +
        `${full ? ' once there is free space' : ' once the cause is fixed'}. By hand: ${failures.map((f) => f.byHand).join('; ')}`,
      restored,
      failures,
    );
  }
  return restored;
}

async function restoreOne(cp: Checkpoint, entry: CheckpointEntry, root: string | undefined, hooks: RestoreHooks): Promise<boolean> {
  // The name itself for a removal or a managed link; what the writer writes otherwise.
  const path = onDiskNoFollow(root, entry.file);
  if (!entry.existed) {
    if (!(await lstat(path).catch(() => undefined))) return false;
    await hooks.before?.(entry.file);
    await rm(path, { force: true });
    if (await lstat(path).catch(() => undefined)) throw new Error('it is still there after removing it');
    return true;
  }
  const original = await readFile(backupOf(cp, entry)).catch((e: unknown) => {
    throw new Error(describeFsError(backupOf(cp, entry), 'read the backup', e));
  });
  if (await managedLink(entry, path)) {
    if ((await linkTarget(path)) === original.toString()) return false;
    await hooks.before?.(entry.file);
    await placeSymlink(path, original.toString(), hooks.onTempFile);
    return true;
  }
  const target = await realTarget(root, entry.file);
  const now = await readFile(target).catch(() => undefined);
  const st = await lstat(target).catch(() => undefined);
  // Only root can give a file back to its owner; anyone else restores bytes and mode.
  const owner = entry.uid !== undefined && entry.gid !== undefined && process.getuid?.() === 0 ? { uid: entry.uid, gid: entry.gid } : undefined;
  if (now?.equals(original) && st && (st.mode & 0o7777) === entry.mode && (!owner || (st.uid === owner.uid && st.gid === owner.gid))) return false;
  await hooks.before?.(entry.file);
  // writeFileSafely reads the file back and throws unless bytes, mode and owner are the backup's.
  await writeFileSafely(target, original, { ...(entry.mode === undefined ? {} : { mode: entry.mode }), ...(owner ? { owner } : {}), onTempFile: hooks.onTempFile, root });
  return true;
}

/** A checkpoint that is not what the wizard writes: named, with why, and never acted on. */
export interface RefusedCheckpoint {
  id: string;
  dir: string;
  reason: string;
  /** Its manifest's state when it says one; undefined when it says none it could be trusted for. */
  state?: string;
}

export class CheckpointRefusedError extends Error {}

export function describeRefused(r: RefusedCheckpoint): string {
  return `checkpoint ${shown(r.id)} (${r.dir}) is refused: ${r.reason}`;
}

/**
 * Every checkpoint of the state folder, each manifest checked as data (state/manifest.ts)
 * against the node the folder belongs to: those that pass, and those refused with the reason.
 */
export async function readCheckpoints(state: string): Promise<{ checkpoints: Checkpoint[]; refused: RefusedCheckpoint[] }> {
  const base = join(state, 'checkpoints');
  const ids = await readdir(base).catch(() => [] as string[]);
  const checkpoints: Checkpoint[] = [];
  const refused: RefusedCheckpoint[] = [];
  if (!ids.length) return { checkpoints, refused };
  const rules = await nodeRulesOf(state).catch((e: Error) => e);
  for (const id of ids.sort()) {
    const dir = join(base, id);
    const file = join(dir, 'manifest.json');
    if (!(await lstat(dir).catch(() => undefined))?.isDirectory()) {
      // Not a folder (a link, a stray file): never followed, and it holds no apply.
      refused.push({ id, dir, reason: 'it is not a folder', state: 'none' });
      continue;
    }
    const st = await lstat(file).catch(() => undefined);
    // A checkpoint killed before its manifest was written had written nothing yet.
    if (!st) continue;
    let raw: unknown;
    try {
      if (rules instanceof Error) throw rules;
      if (!st.isFile()) throw new Error('its manifest.json is not a regular file');
      const temps = await lstat(join(dir, 'tempfiles')).catch(() => undefined);
      if (temps && !temps.isFile()) throw new Error('its tempfiles is not a regular file');
      const text = await readFile(file, 'utf8');
      try {
        raw = JSON.parse(text);
      } catch {
        throw new Error('its manifest.json is not JSON');
      }
      checkpoints.push({ dir, manifest: await checkManifest(raw, id, dir, rules) });
    } catch (e) {
      const said = (raw as { state?: unknown } | undefined)?.state;
      refused.push({ id, dir, reason: (e as Error).message, ...(typeof said === 'string' ? { state: said } : {}) });
    }
  }
  return { checkpoints, refused };
}

/** The checkpoints that can be used (refused ones left out; readCheckpoints says which and why). */
export async function listCheckpoints(state: string): Promise<Checkpoint[]> {
  return (await readCheckpoints(state)).checkpoints;
}

/**
 * Checkpoints whose apply never finished or restored (killed, power cut). A refused checkpoint
 * that may be one of them stops the caller: what the node's files are cannot be known.
 */
export async function interrupted(state: string): Promise<Checkpoint[]> {
  const { checkpoints, refused } = await readCheckpoints(state);
  const unknown = refused.filter((r) => r.state === undefined || r.state === 'writing');
  if (unknown.length) {
    throw new CheckpointRefusedError(
      `${unknown.map(describeRefused).join('\n')}\n` +
        `It may be an apply that was interrupted, so what the node's files are now cannot be known; nothing was touched. ` +
        `Read its manifest.json, put back by hand what it lists if needed, then move that folder out of ${join(state, 'checkpoints')}.`,
    );
  }
  return checkpoints.filter((c) => c.manifest.state === 'writing');
}

export { sha256 };
