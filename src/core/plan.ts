// plan = a pure function of (answers, the current bytes of the files involved).
// readSnapshot is the only I/O; buildPlan computes every new file and its diff.
import { readFile, stat } from 'node:fs/promises';
import type { Answers } from './answers/schema.js';
import { unifiedDiff, summaryLine } from './diff.js';
import { onDisk } from './layout.js';
import { gatewayContributions } from './steps/gateway.js';
import type { Contribution, FileFormat } from './steps/contribution.js';
import { decodeText, encodeText, withText, type TextFile } from './textfile.js';
import { validateXml } from './xml/index.js';

export class PlanError extends Error {}

export type FileStatus = 'change' | 'create' | 'unchanged';

export interface FileChange {
  /** Path as on the node. */
  file: string;
  format: FileFormat;
  status: FileStatus;
  reasons: string[];
  /** Exact bytes the plan was computed on (undefined: the file does not exist). */
  before?: Buffer;
  after: Buffer;
  diff: string;
}

export interface Plan {
  answers: Answers;
  changes: FileChange[];
  warnings: string[];
  summary: string;
}

/** Current bytes of each file, keyed by its path on the node; null = missing. */
export type Snapshot = ReadonlyMap<string, Buffer | null>;

export function contributions(answers: Answers): Contribution[] {
  return [...gatewayContributions(answers)];
}

export function filesOf(answers: Answers): string[] {
  return [...new Set(contributions(answers).map((c) => c.file))];
}

/** Reads the files a plan needs. The product home must exist. */
export async function readSnapshot(answers: Answers, root?: string): Promise<Map<string, Buffer | null>> {
  if (answers.productHome !== undefined) {
    const home = onDisk(root, answers.productHome);
    const st = await stat(home).catch(() => undefined);
    if (!st?.isDirectory()) throw new PlanError(`productHome ${home} does not exist or is not a directory`);
  }
  const snapshot = new Map<string, Buffer | null>();
  for (const file of filesOf(answers)) {
    try {
      snapshot.set(file, await readFile(onDisk(root, file)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new PlanError(`${onDisk(root, file)}: cannot read (${code ?? (e as Error).message})`);
      snapshot.set(file, null);
    }
  }
  return snapshot;
}

function checkFormat(format: FileFormat, text: string, file: string, when: string): void {
  if (format !== 'xml') return;
  const v = validateXml(text);
  if (!v.ok) throw new PlanError(`${file}: ${when} is not well-formed XML (line ${v.line}, column ${v.col}: ${v.message})`);
}

export function buildPlan(answers: Answers, snapshot: Snapshot): Plan {
  const byFile = new Map<string, Contribution[]>();
  for (const c of contributions(answers)) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

  const changes: FileChange[] = [];
  const warnings: string[] = [];
  for (const [file, parts] of byFile) {
    const bytes = snapshot.get(file);
    if (bytes === undefined) throw new PlanError(`${file}: was not read before planning`);
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
        text = part.edit(text);
      } catch (e) {
        throw new PlanError(`${file}: ${(e as Error).message}`);
      }
    }
    checkFormat(format, text, file, 'the result');
    const after = encodeText(withText(original, text), file);
    const status: FileStatus = bytes === null ? 'create' : after.equals(bytes) ? 'unchanged' : 'change';
    changes.push({
      file,
      format,
      status,
      reasons: parts.map((p) => p.reason),
      before: bytes ?? undefined,
      after,
      diff: status === 'unchanged' ? '' : unifiedDiff(file, bytes ? original.text : undefined, text),
    });
  }
  return { answers, changes, warnings, summary: summaryLine(changes) };
}

export async function makePlan(answers: Answers, root?: string): Promise<Plan> {
  return buildPlan(answers, await readSnapshot(answers, root));
}

export function pending(plan: Plan): FileChange[] {
  return plan.changes.filter((c) => c.status !== 'unchanged');
}
