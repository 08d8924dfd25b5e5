// rollback: put the node back to what it was before an apply, byte for byte. The rollback
// is itself checkpointed first, so it is all-or-nothing and can be undone in turn.
import { lstat, mkdir, readFile, readlink, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createCheckpoint, describeRefused, readCheckpoints, managedLink, markCheckpoint, noteTempFile, restoreCheckpoint, roleOf, type Checkpoint, type FileToTouch } from './checkpoint.js';
import { recoverInterrupted } from './apply.js';
import { inCheckpoint, movedCopy, restoreDirectories } from './dirreset.js';
import { faultPoint } from './faults.js';
import { onDisk, onDiskNoFollow } from '../node/layout.js';
import { acquireLock } from './lock.js';
import { checkSpaceForWrites } from './space.js';
import { STEPS } from '../steps/index.js';
import type { RollbackContext } from '../steps/contribution.js';

export class RollbackError extends Error {}

export interface RollbackResult {
  target: Checkpoint;
  restored: string[];
  /** The checkpoint of the state just before the rollback (roll it back to undo this one). */
  undo: Checkpoint;
  recovered: string[];
}

/**
 * What is at path now: a link the wizard manages as its target text, anything else as the bytes
 * it reads as (a dangling link of someone else's reads as nothing, as a missing file does).
 */
async function current(path: string, link: boolean): Promise<{ bytes: Buffer; link: boolean } | undefined> {
  const missing = (e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  };
  const st = await lstat(path).catch(missing);
  if (!st) return undefined;
  if (link && st.isSymbolicLink()) return { bytes: Buffer.from(await readlink(path)), link: true };
  const bytes = await readFile(path).catch(missing);
  return bytes && { bytes, link: false };
}

/** Checkpoints newest first, as `rollback --list` shows them (refused ones are only named: readCheckpoints). */
export async function checkpointsNewestFirst(state: string): Promise<Checkpoint[]> {
  return (await readCheckpoints(state)).checkpoints.reverse();
}

/** What `rollback` without an id restores: the newest completed apply not rolled back yet, so repeated rollbacks walk back in time. */
function latest(all: Checkpoint[]): Checkpoint | undefined {
  return all.find((c) => c.manifest.kind === 'apply' && c.manifest.state === 'complete' && !c.manifest.rolledBackBy);
}

/** Runs each step's afterRollback (a nginx reload); the first failure is thrown after all ran. */
async function afterRollback(ctx: RollbackContext): Promise<void> {
  const problems: string[] = [];
  for (const step of STEPS) {
    await step.afterRollback?.(ctx).catch((e: Error) => problems.push(`${step.id}: ${e.message}`));
  }
  if (problems.length) throw new Error(problems.join('\n'));
}

export async function rollback(state: string, root: string | undefined, id?: string, say?: (line: string) => void): Promise<RollbackResult> {
  const release = await acquireLock(state);
  try {
    const recovered = await recoverInterrupted(state, root);
    const { checkpoints, refused } = await readCheckpoints(state);
    const all = checkpoints.reverse();
    const target = id ? all.find((c) => c.manifest.id === id) : latest(all);
    const refusedTarget = id ? refused.find((r) => r.id === id) : undefined;
    if (refusedTarget) throw new RollbackError(`${describeRefused(refusedTarget)}; nothing was touched`);
    if (!target) {
      const skipped = refused.length ? `; refused and left alone: ${refused.map(describeRefused).join('; ')}` : '';
      throw new RollbackError(
        id
          ? `no checkpoint "${id}" in ${state} (see rollback --list)`
          : `nothing to roll back: no completed apply that is not rolled back already in ${join(state, 'checkpoints')}${skipped}`,
      );
    }
    if (target.manifest.state !== 'complete') {
      throw new RollbackError(`checkpoint ${target.manifest.id} is ${target.manifest.state}: its files were already put back`);
    }
    // What each file should become: its bytes before the target apply (missing = remove it).
    const files: FileToTouch[] = [];
    for (const entry of target.manifest.files) {
      const original = entry.existed ? await readFile(`${target.dir}/files${entry.file}`) : undefined;
      // A managed link is read as itself; any other file as what it points to, inside --root.
      const name = onDiskNoFollow(root, entry.file);
      const link = await managedLink(entry, name);
      const now = await current(link ? name : onDisk(root, entry.file), link);
      if (now === undefined && original === undefined) continue;
      files.push({ file: entry.file, before: now?.bytes, after: original ?? Buffer.alloc(0), symlink: now?.link ?? link });
    }
    const role = roleOf(target.manifest);
    await checkSpaceForWrites(state, files, root).catch((e: unknown) => {
      throw new RollbackError(e instanceof Error ? e.message : String(e));
    });
    const undo = await createCheckpoint(state, files, { kind: 'rollback', reason: `rollback of ${target.manifest.id}`, role }, root);
    await faultPoint('rollback checkpoint written');
    const touched = new Set<string>();
    try {
      // restoreCheckpoint writes atomically; note its temp files in the undo checkpoint.
      const restored = await restoreCheckpointNoting(target, undo, root, touched);
      restored.push(...(await rollbackDirectories(target, undo, root)));
      await afterRollback({ root, role, files: restored, say });
      await markCheckpoint(undo, 'complete');
      target.manifest.rolledBackBy = undo.manifest.id;
      await markCheckpoint(target, 'complete');
      return { target, restored, undo, recovered };
    } catch (e) {
      const putBack = await restoreCheckpoint(undo, root, touched);
      putBack.push(...(await restoreDirectories(undo, root)));
      await markCheckpoint(undo, 'restored');
      // A service reloaded with the rolled-back files must see the files of before again.
      const again = await afterRollback({ root, role, files: putBack, say, undone: true }).then(() => '', (r: Error) => `\nand after that: ${r.message}`);
      throw new RollbackError(`rollback failed: ${(e as Error).message}; the files it had touched were put back as they were before the rollback${again}`);
    }
  } finally {
    await release();
  }
}

async function restoreCheckpointNoting(target: Checkpoint, undo: Checkpoint, root: string | undefined, touched: Set<string>): Promise<string[]> {
  return restoreCheckpoint(target, root, undefined, {
    onTempFile: async (tmp) => {
      noteTempFile(undo, tmp, root);
      await faultPoint(`rollback temp file ${tmp}`);
    },
    before: async (file) => {
      touched.add(file);
      await faultPoint(`rollback ${file}`);
    },
  });
}

/**
 * Moves the directories an apply emptied (a worker's deployment directory) back from its
 * checkpoint. What stands there now moves into the rollback's own checkpoint first, recorded
 * before it moves, so the rollback stays undoable and a killed one is put back by recovery.
 */
async function rollbackDirectories(target: Checkpoint, undo: Checkpoint, root: string | undefined): Promise<string[]> {
  const moved: string[] = [];
  for (const entry of [...(target.manifest.dirs ?? [])].reverse()) {
    const original = movedCopy(target, entry.dir);
    const hasOriginal = (await lstat(original).catch(() => undefined)) !== undefined;
    if (entry.existed && !hasOriginal) continue;
    // The folder's name is moved, never what a link there points to.
    const path = onDiskNoFollow(root, entry.dir);
    // Something always stands in the undo record, so undoing never deletes what was put back.
    if (!(await lstat(path).catch(() => undefined))) await mkdir(path, { recursive: true });
    const st = await lstat(path);
    // Undoing this rollback moves the folder put back into the target's checkpoint again, never deletes it.
    const from = entry.existed ? { movedFrom: target.manifest.id } : {};
    // Undoing a rollback (the target is one): what stands here is an apply's backup, which goes
    // back into that apply's checkpoint, so that rolling the apply back later still finds it.
    const home = entry.movedFrom && !(await lstat(inCheckpoint(undo, entry.movedFrom, entry.dir)).catch(() => undefined)) ? entry.movedFrom : undefined;
    const aside = home ? inCheckpoint(undo, home, entry.dir) : movedCopy(undo, entry.dir);
    (undo.manifest.dirs ??= []).push({ dir: entry.dir, existed: true, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, ...from, ...(home ? { asideIn: home } : {}) });
    await markCheckpoint(undo, undo.manifest.state);
    await faultPoint(`rollback recorded ${entry.dir}`);
    await mkdir(dirname(aside), { recursive: true });
    await rename(path, aside);
    await faultPoint(`rollback set aside ${entry.dir}`);
    if (entry.existed) {
      await rename(original, path);
      await faultPoint(`rollback put back ${entry.dir}`);
    }
    moved.push(entry.dir);
  }
  return moved;
}
