// apply: lock → refuse a stale plan → back up → write each file atomically → check what
// is on disk → on any failure restore every file of this apply and say so.
import { lstat, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onDisk, stateDir } from './layout.js';
import { acquireLock } from './lock.js';
import { pending, type FileChange, type Plan } from './plan.js';
import { STEPS } from './steps/index.js';
import type { StepContext } from './steps/contribution.js';
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
  const conflicts = todo.filter((c) => c.status === 'conflict');
  if (conflicts.length) {
    throw new ApplyError(
      `${conflicts.map((c) => c.file).join(', ')} edited by hand since the wizard wrote it; nothing was written. ` +
        'Choose --on-conflict keep or --on-conflict replace.',
    );
  }
  const release = await acquireLock(state);
  try {
    for (const change of todo) {
      const now = await readIfExists(onDisk(opts.root, change.file));
      if (!sameBytes(now, change.before)) {
        throw new ApplyError(`${change.file} changed since the plan was made; nothing was written. Run plan again to see the new diff.`);
      }
    }

    const ctx: StepContext = { answers: plan.answers, root: opts.root, files: new Map(todo.map((c) => [c.file, c.after])) };
    for (const step of STEPS) {
      if (!step.verify) continue;
      try {
        await step.verify(ctx);
      } catch (e) {
        throw new ApplyError(`${(e as Error).message}\nnothing was written`);
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
        await writeFileSafely(path, change.after, change.before === undefined ? { mode: change.mode ?? 0o644 } : {});
        await verify(change, path);
        if (!change.internal) say(`${change.before === undefined ? 'created' : 'changed'} ${change.file}`);
      }
      for (const step of STEPS) await step.activate?.(ctx);
    } catch (e) {
      const restored = (await restore(written, records, backupDir, opts.root)).filter((f) => !todo.find((c) => c.file === f)?.internal);
      // A service reloaded half-way (nginx) must see the restored files again.
      const reactivated = await reactivate({ ...ctx, restored: true });
      throw new ApplyError(
        `apply failed: ${(e as Error).message}\nrestored ${restored.length} file(s) to what they were: ${restored.join(', ') || 'none'}${reactivated}`,
        restored,
      );
    }
    return { written: written.filter((c) => !c.internal).map((c) => c.file), backupDir };
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
