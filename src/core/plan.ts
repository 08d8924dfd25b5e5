// plan = a pure function of (answers, the current bytes of the files involved).
// readSnapshot is the only I/O; buildPlan computes every new file and its diff.
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import type { Answers } from './answers/schema.js';
import { unifiedDiff, summaryLine } from './diff.js';
import { onDisk } from './layout.js';
import { ownedRecordPath, ownedStatus, type OnConflict } from './owned.js';
import { STEPS } from './steps/index.js';
import type { Contribution, FileFormat } from './steps/contribution.js';
import { decodeText, encodeText, withText, type TextFile } from './textfile.js';
import { validateXml } from './xml/index.js';

export class PlanError extends Error {}

/** conflict: a file the wizard owns was edited by hand; apply refuses until keep or replace is chosen. */
export type FileStatus = 'change' | 'create' | 'unchanged' | 'conflict';

export interface FileChange {
  /** Path as on the node. */
  file: string;
  format: FileFormat | 'record';
  status: FileStatus;
  /** The wizard's own bookkeeping (copy of a generated file): written and restored, never listed. */
  internal?: boolean;
  /** Mode for a file that is created. */
  mode?: number;
  /** For a file edited by hand: what was changed since the wizard wrote it. */
  localEdits?: string;
  reasons: string[];
  /** Exact bytes the plan was computed on (undefined: the file does not exist). */
  before?: Buffer;
  after: Buffer;
  diff: string;
}

export interface PlanOptions {
  /** What to do with a generated file that was edited by hand; undefined = ask (conflict). */
  onConflict?: OnConflict;
}

export interface Plan {
  answers: Answers;
  changes: FileChange[];
  warnings: string[];
  summary: string;
}

/** Current bytes of each file, keyed by its path on the node; null = missing. */
export type Snapshot = ReadonlyMap<string, Buffer | null>;

/**
 * Where a snapshot keeps what a step's prepare() made for a file (a fresh self-signed
 * certificate): made once while reading, so every plan built from the snapshot is the same.
 */
export function madeKey(file: string): string {
  return `made:${file}`;
}

export function contributions(answers: Answers): Contribution[] {
  return STEPS.flatMap((step) => step.contributions(answers));
}

/** Every file a plan reads: the files of each step, and the copies of generated files. */
export function filesOf(answers: Answers): string[] {
  const all = contributions(answers);
  const records = all.filter((c) => c.format === 'generated').map((c) => ownedRecordPath(c.file, answers.productHome));
  return [...new Set([...all.map((c) => c.file), ...records])];
}

/** Reads the files a plan needs. The product home must exist. */
export async function readSnapshot(answers: Answers, root?: string): Promise<Map<string, Buffer | null>> {
  if (answers.productHome !== undefined) {
    const home = onDisk(root, answers.productHome);
    const st = await stat(home).catch(() => undefined);
    if (!st?.isDirectory()) throw new PlanError(`productHome ${home} does not exist or is not a directory`);
  }
  const snapshot = new Map<string, Buffer | null>();
  const links = new Set(contributions(answers).filter((c) => c.format === 'symlink').map((c) => c.file));
  for (const file of filesOf(answers)) {
    try {
      snapshot.set(file, links.has(file) ? await readLink(onDisk(root, file), file) : await readFile(onDisk(root, file)));
    } catch (e) {
      if (e instanceof PlanError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new PlanError(`${onDisk(root, file)}: cannot read (${code ?? (e as Error).message})`);
      snapshot.set(file, null);
    }
  }
  for (const step of STEPS) {
    const made = await step.prepare?.(answers, (file) => snapshot.get(file), root).catch((e: Error) => {
      throw e instanceof PlanError ? e : new PlanError(e.message);
    });
    for (const [file, text] of made ?? []) snapshot.set(madeKey(file), Buffer.from(text));
  }
  return snapshot;
}

/** A symbolic link's "bytes" are its target; anything else at that path is refused. */
async function readLink(path: string, file: string): Promise<Buffer> {
  if (!(await lstat(path)).isSymbolicLink()) {
    throw new PlanError(`${file} exists and is not a symbolic link; move it away so that the wizard can link it`);
  }
  return Buffer.from(await readlink(path));
}

function checkFormat(format: FileFormat, text: string, file: string, when: string): void {
  if (format !== 'xml') return;
  const v = validateXml(text);
  if (!v.ok) throw new PlanError(`${file}: ${when} is not well-formed XML (line ${v.line}, column ${v.col}: ${v.message})`);
}

export function buildPlan(answers: Answers, snapshot: Snapshot, opts: PlanOptions = {}): Plan {
  const byFile = new Map<string, Contribution[]>();
  for (const c of contributions(answers)) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

  const changes: FileChange[] = [];
  const warnings: string[] = [];
  const read = (file: string) => {
    const bytes = snapshot.get(file);
    if (bytes === undefined) throw new PlanError(`${file}: was not read before planning`);
    return bytes;
  };
  for (const [file, parts] of byFile) {
    const bytes = read(file);
    if (bytes === null && !parts.every((p) => p.mayCreate)) {
      throw new PlanError(`${file}: not found; is productHome the API-M 2.1.0 home?`);
    }
    const format = parts[0]!.format;
    const original: TextFile = bytes ? decodeText(bytes, file) : { text: '', encoding: 'utf8', bom: false, eol: '\n' };
    if (bytes) checkFormat(format, original.text, file, 'the current file');
    let text = original.text;
    for (const part of parts) {
      warnings.push(...(part.warnings?.(text) ?? []));
      try {
        text = part.edit(text, snapshot.get(madeKey(file))?.toString());
      } catch (e) {
        throw new PlanError(`${file}: ${(e as Error).message}`);
      }
    }
    checkFormat(format, text, file, 'the result');
    const after = encodeText(withText(original, text), file);
    const change: FileChange = {
      file,
      format,
      status: bytes === null ? 'create' : after.equals(bytes) ? 'unchanged' : 'change',
      reasons: parts.map((p) => p.reason),
      before: bytes ?? undefined,
      after,
      mode: parts.find((p) => p.mode !== undefined)?.mode,
      diff: '',
    };
    if (format === 'generated') {
      const record = ownedRecordPath(file, answers.productHome);
      const owned = ownedStatus(bytes, after, read(record));
      if (owned === 'edited') {
        change.localEdits = unifiedDiff(file, decodeText(read(record) ?? Buffer.alloc(0), record).text, original.text);
        if (opts.onConflict === 'keep') {
          change.status = 'unchanged';
          warnings.push(`${file} was edited by hand; keeping those edits (on conflict: keep)`);
        } else if (opts.onConflict === 'replace') {
          warnings.push(`${file} was edited by hand; replacing it (on conflict: replace), the old file goes to the backup`);
        } else {
          change.status = 'conflict';
          warnings.push(`${file} was edited by hand since the wizard wrote it: choose keep or replace (--on-conflict keep|replace)`);
        }
      }
      if (change.status === 'change' || change.status === 'create') {
        changes.push({ file: record, format: 'record', status: read(record) ? 'change' : 'create', internal: true, reasons: [], before: read(record) ?? undefined, after, mode: 0o600, diff: '' });
      }
    }
    const shown = parts[0]!.shown ?? ((t: string) => t);
    if (change.status !== 'unchanged') change.diff = unifiedDiff(file, bytes ? shown(original.text) : undefined, shown(text));
    changes.push(change);
  }
  // Records go last so that the listed files keep the order of the steps.
  changes.sort((a, b) => Number(a.internal ?? false) - Number(b.internal ?? false));
  return { answers, changes, warnings, summary: summaryLine(changes.filter((c) => !c.internal)) };
}

export function pending(plan: Plan): FileChange[] {
  return plan.changes.filter((c) => c.status !== 'unchanged');
}

/** The files an admin reviews (the wizard's bookkeeping left out). */
export function listed(plan: Plan): FileChange[] {
  return plan.changes.filter((c) => !c.internal);
}

export async function makePlan(answers: Answers, root?: string, opts: PlanOptions = {}): Promise<Plan> {
  return buildPlan(answers, await readSnapshot(answers, root), opts);
}
