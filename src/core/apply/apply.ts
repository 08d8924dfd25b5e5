// apply: lock → restore an interrupted earlier apply → refuse a stale plan → prove the new
// files (step.verify) → checkpoint → write each file atomically → check what is on disk →
// activate (reload) → on any failure restore every file of this apply and say so.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createCheckpoint, interrupted, markCheckpoint, noteTempFile, RestoreError, restoreCheckpoint, type Checkpoint } from './checkpoint.js';
import { resetDirectories, restoreDirectories } from './dirreset.js';
import { faultPoint } from './faults.js';
import { describeFsError } from '../messages/fserror.js';
import { onDisk, onDiskNoFollow } from '../node/layout.js';
import { openState } from '../state/location.js';
import { acquireLock } from './lock.js';
import { pending, type FileChange, type Plan } from '../plan/plan.js';
import { STEPS } from '../steps/index.js';
import type { StepContext } from '../steps/contribution.js';
import { linkTarget, placeSymlink } from './symlink.js';
import { checkSpaceForWrites, SpaceError, treeBytes } from './space.js';
import { decodeText } from '../edit/textfile.js';
import { validateXml } from '../edit/xml/index.js';
import { writeFileSafely } from './write.js';

export class ApplyError extends Error {
  constructor(message: string, readonly restored: string[] = []) {
    super(message);
  }
}

export interface ApplyOptions {
  root?: string;
  /** Called before each file is written; tests use it to inject a failure at a chosen point. */
  beforeWrite?: (index: number, file: string) => void | Promise<void>;
  onProgress?: (line: string) => void;
}

export interface ApplyResult {
  written: string[];
  /** The checkpoint holding the originals (rollback restores it). */
  backupDir?: string;
  /** Files of an earlier, interrupted apply that were put back first. */
  recovered: string[];
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined ? b === undefined : b !== undefined && a.equals(b);
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The file still holds the plan's new bytes and parses. writeFileSafely has already read it
 * back; this catches a change made in between (another process) and an XML file that no
 * longer parses.
 */
async function verify(change: FileChange, path: string): Promise<void> {
  if (change.format === 'symlink') {
    if ((await linkTarget(path)) !== change.after.toString()) throw new Error(`${change.file}: the link on disk was changed right after it was written`);
    return;
  }
  const bytes = await readFile(path);
  if (!bytes.equals(change.after)) throw new Error(`${change.file}: changed on disk right after it was written (${bytes.length} bytes there, ${change.after.length} written)`);
  if (change.format === 'xml') {
    const v = validateXml(decodeText(bytes, change.file).text);
    if (!v.ok) throw new Error(`${change.file}: not well-formed after writing (line ${v.line}: ${v.message})`);
  }
}

/** The wizard's own records (saved answers, owned-file copies, markers) are 0600 in 0700 folders, whatever they were. */
const recordModes = (c: FileChange) => (c.format === 'record' ? { mode: 0o600, dirMode: 0o700 } : {});

/**
 * Restores every apply that was killed half-way (its checkpoint still says 'writing').
 * Call with the lock held. Returns the files put back.
 */
export async function recoverInterrupted(state: string, root?: string): Promise<string[]> {
  const files: string[] = [];
  for (const cp of (await interrupted(state)).reverse()) {
    files.push(...(await restoreCheckpoint(cp, root)));
    files.push(...(await restoreDirectories(cp, root)));
    await markCheckpoint(cp, 'restored');
  }
  return files;
}

/** Takes the lock just long enough to restore interrupted applies; for callers about to plan. */
export async function recoverNode(home: string | undefined, root?: string): Promise<string[]> {
  const { dir: state } = await openState(home, root);
  if (!(await interrupted(state)).length) return [];
  const release = await acquireLock(state);
  try {
    return await recoverInterrupted(state, root);
  } finally {
    await release();
  }
}

async function reactivate(ctx: StepContext): Promise<string> {
  const notes: string[] = [];
  for (const step of STEPS) {
    if (!step.activate) continue;
    try {
      await step.activate(ctx);
    } catch (e) {
      notes.push(`\n${step.id}: could not be brought back after the restore: ${(e as Error).message}`);
    }
  }
  return notes.join('');
}

export async function applyPlan(plan: Plan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const todo = pending(plan);
  const say = opts.onProgress ?? (() => {});
  const conflicts = todo.filter((c) => c.status === 'conflict');
  if (conflicts.length) {
    throw new ApplyError(
      `${conflicts.map((c) => c.file).join(', ')} edited by hand since the wizard wrote it; nothing was written. ` +
        'Choose --on-conflict keep or --on-conflict replace.',
    );
  }
  const opened = await openState(plan.answers.productHome, opts.root);
  if (opened.migrated) opened.notes.forEach(say);
  const state = opened.dir;
  const release = await acquireLock(state);
  try {
    await faultPoint('lock taken');
    const recovered = await recoverInterrupted(state, opts.root);
    if (recovered.length) {
      say(`an earlier apply was interrupted; restored ${recovered.length} file(s) it had touched: ${recovered.join(', ')}`);
      throw new ApplyError(
        'an earlier apply was interrupted and its files were restored first; the plan was made on the interrupted state, so nothing was written. Run plan again.',
        recovered,
      );
    }
    if (todo.length === 0) return { written: [], recovered };
    for (const change of todo) {
      // A link the wizard manages is compared as its target, as the plan read it.
      const now =
        change.format === 'symlink'
          ? await linkTarget(onDiskNoFollow(opts.root, change.file)).then((t) => (t === undefined ? undefined : Buffer.from(t)))
          : await readIfExists(onDisk(opts.root, change.file));
      if (!sameBytes(now, change.before)) {
        throw new ApplyError(`${change.file} changed since the plan was made; nothing was written. Run plan again to see the new diff.`);
      }
    }

    const ctx: StepContext = { answers: plan.answers, root: opts.root, files: new Map(todo.map((c) => [c.file, c.after])), say };
    for (const step of STEPS) {
      if (!step.verify) continue;
      try {
        await step.verify(ctx);
      } catch (e) {
        throw new ApplyError(`${(e as Error).message}\nnothing was written`);
      }
    }

    const toTouch = todo.map((c) => ({ file: c.file, before: c.before, after: c.after, symlink: c.format === 'symlink' }));
    // Room for every new file beside its old one and for the backups, before the first write.
    // A reset's new folder gets a copy of what the server needs to start (synapse-configs).
    const copies = await Promise.all(
      (plan.resets ?? []).flatMap((r) =>
        (r.keep ?? []).map(async (name) => ({ file: `${join(r.dir, name)}/ (copied into the reset folder)`, path: onDiskNoFollow(opts.root, r.dir), bytes: await treeBytes(onDiskNoFollow(opts.root, join(r.dir, name))) })),
      ),
    );
    await checkSpaceForWrites(state, toTouch, opts.root, copies).catch((e: unknown) => {
      throw new ApplyError(e instanceof SpaceError ? e.message : `${describeFsError(state, 'measure the free space', e)}; nothing was written`);
    });
    const cp: Checkpoint = await createCheckpoint(state, toTouch, { kind: 'apply', reason: `apply (${plan.answers.role})`, role: plan.answers.role }, opts.root).catch((e: unknown) => {
      throw new ApplyError(`${describeFsError(state, 'store the backups there', e)}; nothing was written`);
    });
    await faultPoint('checkpoint written');
    say(`backup: ${cp.dir}`);

    const written: FileChange[] = [];
    try {
      // Directory resets first (a worker's deployment directory); undone below like the files.
      await resetDirectories(cp, plan.resets ?? [], opts.root, say);
      for (const [index, change] of todo.entries()) {
        await opts.beforeWrite?.(index, change.file);
        await faultPoint(`before writing ${change.file}`);
        const path = change.format === 'symlink' ? onDiskNoFollow(opts.root, change.file) : onDisk(opts.root, change.file);
        written.push(change);
        const onTempFile = async (tmp: string) => {
          noteTempFile(cp, tmp, opts.root);
          await faultPoint(`temp file of ${change.file}`);
        };
        const write =
          change.format === 'symlink'
            ? placeSymlink(path, change.after.toString(), onTempFile)
            : writeFileSafely(path, change.after, { ...(change.before === undefined ? { mode: change.mode ?? 0o644 } : {}), ...recordModes(change), onTempFile, root: opts.root });
        await write.catch((e: unknown) => {
          throw new Error(describeFsError(change.file, 'write it', e));
        });
        await faultPoint(`wrote ${change.file}`);
        await verify(change, path);
        if (!change.internal) say(`${change.before === undefined ? 'created' : 'changed'} ${change.file}`);
      }
      for (const step of STEPS) await step.activate?.(ctx);
      await faultPoint('activated');
      await markCheckpoint(cp, 'complete');
      await faultPoint('complete');
    } catch (e) {
      const touched = new Set(written.map((c) => c.file));
      const shown = (files: string[]) => files.filter((f) => !todo.find((c) => c.file === f)?.internal);
      let restored: string[];
      try {
        restored = shown(await restoreCheckpoint(cp, opts.root, touched));
        restored.push(...(await restoreDirectories(cp, opts.root)));
      } catch (r) {
        // Left in 'writing': the next run tries the restore again. Only files read back equal count.
        const back = r instanceof RestoreError ? shown(r.restored) : [];
        const some = back.length ? `\nrestored ${back.length} file(s) to what they were (read back equal to the backup): ${back.join(', ')}` : '';
        throw new ApplyError(`apply failed: ${(e as Error).message}${some}\nand some files could not be put back:\n${(r as Error).message}`, back);
      }
      // The files are back; a manifest that cannot be marked (disk still full) only means the
      // next run finds them as they were and marks it then.
      const unmarked = await markCheckpoint(cp, 'restored').then(
        () => '',
        (m: unknown) => `\n(${describeFsError(cp.dir, 'mark the checkpoint restored', m)}; the next apply or rollback finds the files as they were and marks it)`,
      );
      // A service reloaded half-way (nginx) must see the restored files again.
      const reactivated = await reactivate({ ...ctx, restored: true });
      throw new ApplyError(
        `apply failed: ${(e as Error).message}\nrestored ${restored.length} file(s) to what they were (read back equal to the backup): ${restored.join(', ') || 'none'}${unmarked}${reactivated}`,
        restored,
      );
    }
    return { written: written.filter((c) => !c.internal).map((c) => c.file), backupDir: cp.dir, recovered };
  } finally {
    // A lock that cannot be removed (the disk turned read-only) must not hide what happened.
    await release().catch((e: unknown) => say(`${describeFsError(state, 'remove the lock', e)}; the next run takes it over`));
  }
}
