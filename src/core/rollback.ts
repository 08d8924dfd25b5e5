// rollback: put the node back to what it was before an apply, byte for byte. The rollback
// is itself checkpointed first, so it is all-or-nothing and can be undone in turn.
import { readFile } from 'node:fs/promises';
import { createCheckpoint, listCheckpoints, markCheckpoint, noteTempFile, restoreCheckpoint, type Checkpoint, type FileToTouch } from './checkpoint.js';
import { recoverInterrupted } from './apply.js';
import { faultPoint } from './faults.js';
import { onDisk } from './layout.js';
import { acquireLock } from './lock.js';

export class RollbackError extends Error {}

export interface RollbackResult {
  target: Checkpoint;
  restored: string[];
  /** The checkpoint of the state just before the rollback (roll it back to undo this one). */
  undo: Checkpoint;
  recovered: string[];
}

async function current(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
}

/** Checkpoints newest first, as `rollback --list` shows them. */
export async function checkpointsNewestFirst(state: string): Promise<Checkpoint[]> {
  return (await listCheckpoints(state)).reverse();
}

/** What `rollback` without an id restores: the newest completed apply not rolled back yet, so repeated rollbacks walk back in time. */
function latest(all: Checkpoint[]): Checkpoint | undefined {
  return all.find((c) => c.manifest.kind === 'apply' && c.manifest.state === 'complete' && !c.manifest.rolledBackBy);
}

export async function rollback(state: string, root: string | undefined, id?: string): Promise<RollbackResult> {
  const release = await acquireLock(state);
  try {
    const recovered = await recoverInterrupted(state, root);
    const all = await checkpointsNewestFirst(state);
    const target = id ? all.find((c) => c.manifest.id === id) : latest(all);
    if (!target) {
      throw new RollbackError(id ? `no checkpoint "${id}" (see rollback --list)` : 'nothing to roll back: no completed apply that is not rolled back already');
    }
    if (target.manifest.state !== 'complete') {
      throw new RollbackError(`checkpoint ${target.manifest.id} is ${target.manifest.state}: its files were already put back`);
    }
    // What each file should become: its bytes before the target apply (missing = remove it).
    const files: FileToTouch[] = [];
    for (const entry of target.manifest.files) {
      const original = entry.existed ? await readFile(`${target.dir}/files${entry.file}`) : undefined;
      const now = await current(onDisk(root, entry.file));
      if (now === undefined && original === undefined) continue;
      files.push({ file: entry.file, before: now, after: original ?? Buffer.alloc(0) });
    }
    const undo = await createCheckpoint(state, files, { kind: 'rollback', reason: `rollback of ${target.manifest.id}` }, root);
    await faultPoint('rollback checkpoint written');
    const touched = new Set<string>();
    try {
      // restoreCheckpoint writes atomically; note its temp files in the undo checkpoint.
      const restored = await restoreCheckpointNoting(target, undo, root, touched);
      await markCheckpoint(undo, 'complete');
      target.manifest.rolledBackBy = undo.manifest.id;
      await markCheckpoint(target, 'complete');
      return { target, restored, undo, recovered };
    } catch (e) {
      await restoreCheckpoint(undo, root, touched);
      await markCheckpoint(undo, 'restored');
      throw new RollbackError(`rollback failed: ${(e as Error).message}; the files it had touched were put back as they were before the rollback`);
    }
  } finally {
    await release();
  }
}

async function restoreCheckpointNoting(target: Checkpoint, undo: Checkpoint, root: string | undefined, touched: Set<string>): Promise<string[]> {
  return restoreCheckpoint(target, root, undefined, {
    onTempFile: async (tmp) => {
      noteTempFile(undo, tmp);
      await faultPoint(`rollback temp file ${tmp}`);
    },
    before: async (file) => {
      touched.add(file);
      await faultPoint(`rollback ${file}`);
    },
  });
}
