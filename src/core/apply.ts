// apply: lock → refuse a stale plan → back up → write each file atomically → check what
// is on disk → on any failure restore every file of this apply and say so.
import { lstat, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onDisk, stateDir } from './layout.js';
import { acquireLock } from './lock.js';
import { pending, type FileChange, type Plan } from './plan.js';
import { decodeText } from './textfile.js';
import { validateXml } from './xml/index.js';
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

export interface BackupRecord {
  file: string;
  existed: boolean;
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface ApplyResult {
  written: string[];
  backupDir?: string;
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

function backupId(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Bytes on disk equal the plan's new bytes, and still parse. */
async function verify(change: FileChange, path: string): Promise<void> {
  const bytes = await readFile(path);
  if (!bytes.equals(change.after)) throw new Error(`${change.file}: what is on disk differs from what was written`);
  if (change.format === 'xml') {
    const v = validateXml(decodeText(bytes, change.file).text);
    if (!v.ok) throw new Error(`${change.file}: not well-formed after writing (line ${v.line}: ${v.message})`);
  }
}

export async function applyPlan(plan: Plan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const todo = pending(plan);
  if (todo.length === 0) return { written: [] };
  const say = opts.onProgress ?? (() => {});
  const state = onDisk(opts.root, stateDir(plan.answers.productHome));
  const release = await acquireLock(state);
  try {
    for (const change of todo) {
      const now = await readIfExists(onDisk(opts.root, change.file));
      if (!sameBytes(now, change.before)) {
        throw new ApplyError(`${change.file} changed since the plan was made; nothing was written. Run plan again to see the new diff.`);
      }
    }

    const backupDir = join(state, 'backups', backupId());
    const records: BackupRecord[] = [];
    for (const change of todo) {
      const path = onDisk(opts.root, change.file);
      if (change.before === undefined) {
        records.push({ file: change.file, existed: false });
        continue;
      }
      const st = await stat(path);
      const copy = join(backupDir, 'files', change.file);
      await mkdir(join(copy, '..'), { recursive: true });
      await writeFile(copy, change.before, { mode: 0o600 });
      records.push({ file: change.file, existed: true, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
    }
    await writeFile(join(backupDir, 'manifest.json'), JSON.stringify({ createdAt: new Date().toISOString(), files: records }, null, 2) + '\n', { mode: 0o600 });
    say(`backup: ${backupDir}`);

    const written: FileChange[] = [];
    try {
      for (const [index, change] of todo.entries()) {
        await opts.beforeWrite?.(index, change.file);
        const path = onDisk(opts.root, change.file);
        written.push(change);
        await writeFileSafely(path, change.after, change.before === undefined ? { mode: 0o644 } : {});
        await verify(change, path);
        say(`${change.status === 'create' ? 'created' : 'changed'} ${change.file}`);
      }
    } catch (e) {
      const restored = await restore(written, records, backupDir, opts.root);
      throw new ApplyError(
        `apply failed: ${(e as Error).message}\nrestored ${restored.length} file(s) to what they were: ${restored.join(', ') || 'none'}`,
        restored,
      );
    }
    return { written: written.map((c) => c.file), backupDir };
  } finally {
    await release();
  }
}

async function restore(changes: FileChange[], records: BackupRecord[], backupDir: string, root?: string): Promise<string[]> {
  const restored: string[] = [];
  for (const change of changes.reverse()) {
    const record = records.find((r) => r.file === change.file)!;
    const path = onDisk(root, change.file);
    if (!record.existed) {
      if (await lstat(path).catch(() => undefined)) await rm(path, { force: true });
    } else {
      await writeFileSafely(path, await readFile(join(backupDir, 'files', change.file)), { mode: record.mode });
    }
    restored.push(change.file);
  }
  return restored;
}
