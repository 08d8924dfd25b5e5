// plan = a pure function of (answers, the current bytes of the files involved).
// readSnapshot is the only I/O; buildPlan computes every new file and its diff.
import { ForeignLinkError, resolveOnHost } from '../node/links.js';
import { lstat, readlink, stat } from 'node:fs/promises';
import type { Answers } from '../answers/schema.js';
import { answersJson, savedAnswersPath } from '../answers/save.js';
import { answersChanges, savedLayer } from './answers-diff.js';
import { describeSwitch, oldAnswers, switchedFrom, type RoleSwitch } from './role-switch.js';
import { unifiedDiff, summaryLine } from './diff.js';
import { onDisk, onDiskNoFollow } from '../node/layout.js';
import { ownedRecordPath, ownedStatus, type OnConflict } from '../edit/owned.js';
import { STEPS } from '../steps/index.js';
import type { Contribution, DirectoryReset, FileFormat, StepContext } from '../steps/contribution.js';
import { decodeText, encodeText, withText, type TextFile } from '../edit/textfile.js';
import { validateXml } from '../edit/xml/index.js';
import { describeFsError } from '../messages/fserror.js';
import { FileKindError, readRegularFile } from '../node/regular-file.js';
import { ReleaseError, releaseFiles, releaseInputs, resolveRelease, type Release, type ReleaseFinding } from '../node/release.js';

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
  /** Directories apply moves into its backup and replaces by new ones (each has an internal marker change). */
  resets: DirectoryReset[];
  /** The API-M release planned for (Gateway nodes; a load balancer has none). */
  release?: ReleaseFinding;
  /** What saving these answers changes in the saved ones, one line per key ([]: nothing); counted like a file. */
  answersChanges: string[];
  /** The saved answers say this node is another role: what switching changes and leaves (asked before it is planned for good). */
  roleSwitch?: RoleSwitch;
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

export function contributions(answers: Answers, release: Release | undefined): Contribution[] {
  return STEPS.flatMap((step) => step.contributions(answers, release));
}

export function directoryResets(answers: Answers, release: Release | undefined): DirectoryReset[] {
  return STEPS.flatMap((step) => step.resets?.(answers, release) ?? []);
}

/** A Gateway node's release is read from its files; the other roles have none. */
function gatewayHome(answers: Answers): string | undefined {
  return (answers.role === 'manager' || answers.role === 'worker') && answers.productHome !== undefined ? answers.productHome : undefined;
}

/** The files the release is read from (read before the others: which files a plan reads may depend on it). */
function releaseInputFiles(answers: Answers): string[] {
  const home = gatewayHome(answers);
  return home === undefined ? [] : Object.values(releaseFiles(home));
}

/** The release files no step edits: only hints (a file there that cannot be read safely says nothing). */
function releaseHints(answers: Answers): Set<string> {
  const home = gatewayHome(answers);
  if (home === undefined) return new Set();
  const f = releaseFiles(home);
  return new Set([f.versionTxt, f.profileSetup]);
}

/** The release of the plan's node, from the snapshot alone (pure). */
/** The release of the role a switch leaves, to describe it: never a reason to stop (its answers may no longer fit the files). */
function oldReleaseOf(old: Answers, snapshot: Snapshot): Release | undefined {
  try {
    return releaseOf(old, snapshot)?.release;
  } catch {
    return undefined;
  }
}

export function releaseOf(answers: Answers, snapshot: Snapshot): ReleaseFinding | undefined {
  const home = gatewayHome(answers);
  if (home === undefined) return undefined;
  try {
    return resolveRelease(releaseInputs(home, (f) => snapshot.get(f), answers.release as Release['id'] | undefined));
  } catch (e) {
    throw e instanceof ReleaseError ? new PlanError(e.message) : e;
  }
}

/** Every file a plan reads: the files of each step, the copies of generated files, the markers of directory resets. */
export function filesOf(answers: Answers, release: Release | undefined): string[] {
  const all = contributions(answers, release);
  const records = all.filter((c) => c.format === 'generated').map((c) => ownedRecordPath(c.file, answers.productHome));
  const markers = directoryResets(answers, release).map((r) => r.marker);
  return [...new Set([...all.map((c) => c.file), ...records, ...markers, savedAnswersPath(answers.productHome)])];
}

/**
 * Reads each file not read yet into the snapshot (null: missing); `links`: read as links, not
 * followed; `hints`: files only read for what they say (bin/version.txt), left unread rather
 * than failing the plan when they cannot be read safely, as readRelease does.
 */
async function readFiles(snapshot: Map<string, Buffer | null>, files: readonly string[], links: ReadonlySet<string>, root: string | undefined, hints: ReadonlySet<string> = new Set()): Promise<void> {
  for (const file of files) {
    if (snapshot.has(file)) continue;
    // A link the wizard manages is read as itself, anything else as what it points to (inside --root).
    const path = links.has(file) ? onDiskNoFollow(root, file) : onDisk(root, file);
    try {
      // Without --root: a link another user can change is refused before anything is shown.
      if (!root) resolveOnHost(file, !links.has(file));
      if (links.has(file)) {
        snapshot.set(file, await readLink(path, file));
        continue;
      }
      snapshot.set(file, await readRegularFile(path));
    } catch (e) {
      if (e instanceof PlanError) throw e;
      if (hints.has(file) && (e as NodeJS.ErrnoException).code !== 'ENOENT') continue;
      if (e instanceof ForeignLinkError) throw new PlanError(e.message);
      // Reached through a link: name the file the admin knows too, not only where it led.
      const named = onDiskNoFollow(root, file);
      if (e instanceof FileKindError) throw new PlanError(path === named ? e.message : `${named}: ${e.message}`);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PlanError(describeFsError(path, 'read it', e));
      snapshot.set(file, null);
    }
  }
}

/**
 * Reads the files a plan needs. The product home must exist. `made`: what the steps' prepare()
 * made for a saved plan (its trial certificate), used instead of making anew.
 */
export async function readSnapshot(answers: Answers, root?: string, made?: ReadonlyMap<string, string>): Promise<Map<string, Buffer | null>> {
  if (answers.productHome !== undefined) {
    const home = onDisk(root, answers.productHome);
    const st = await stat(home).catch(() => undefined);
    if (!st?.isDirectory()) throw new PlanError(`productHome ${home} does not exist or is not a directory`);
  }
  const snapshot = new Map<string, Buffer | null>();
  await readFiles(snapshot, releaseInputFiles(answers), new Set(), root, releaseHints(answers));
  const release = releaseOf(answers, snapshot)?.release;
  const links = new Set(contributions(answers, release).filter((c) => c.format === 'symlink').map((c) => c.file));
  await readFiles(snapshot, filesOf(answers, release), links, root);
  // A role switch is described from the old role's files too: read, but never a reason to stop.
  const old = previousRole(answers, snapshot);
  if (old) {
    const oldFiles = contributions(old, oldReleaseOf(old, snapshot)).map((c) => c.file);
    await readFiles(snapshot, oldFiles, new Set(), root, new Set(oldFiles.filter((f) => !snapshot.has(f))));
  }
  if (made) {
    for (const [file, text] of made) snapshot.set(madeKey(file), Buffer.from(text));
  } else {
    for (const step of STEPS) {
      const prepared = await step.prepare?.(answers, (file) => snapshot.get(file), root).catch((e: Error) => {
        throw e instanceof PlanError ? e : new PlanError(e.message);
      });
      for (const [file, text] of prepared ?? []) snapshot.set(madeKey(file), Buffer.from(text));
    }
  }
  snapshot.set(CHECKS_KEY, Buffer.from(JSON.stringify(await stepChecks(answers, snapshot, root))));
  return snapshot;
}

/** The saved answers of this node's state folder, when they say another role than `answers` (resolved as that role's). */
function previousRole(answers: Answers, snapshot: Snapshot): Answers | undefined {
  const file = savedAnswersPath(answers.productHome);
  const saved = savedLayer(snapshot.get(file), file);
  if (!saved || !('layer' in saved) || !switchedFrom(saved.layer, answers.role)) return undefined;
  return oldAnswers(saved.layer);
}

/** Where a snapshot keeps what the steps' checks() said about the new files. */
const CHECKS_KEY = 'checks:';

/**
 * The steps' checks() on the plan's new files (nginx -t's warnings), made while reading so
 * that buildPlan stays pure. A plan that cannot be built says nothing here: buildPlan says why.
 */
async function stepChecks(answers: Answers, snapshot: Snapshot, root: string | undefined): Promise<string[]> {
  if (!STEPS.some((s) => s.checks)) return [];
  let plan: Plan;
  try {
    plan = buildPlan(answers, snapshot);
  } catch {
    return [];
  }
  const ctx: StepContext = { answers, root, files: new Map(pending(plan).map((c) => [c.file, c.after])) };
  const said: string[] = [];
  for (const step of STEPS) said.push(...((await step.checks?.(ctx)) ?? []));
  return said;
}

/** What the steps' prepare() made for the plan's files (kept by a saved plan). */
export function madeOf(plan: Plan, snapshot: Snapshot): Map<string, string> {
  const made = new Map<string, string>();
  for (const c of plan.changes) {
    const bytes = snapshot.get(madeKey(c.file));
    if (bytes) made.set(c.file, bytes.toString());
  }
  return made;
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
  const found = releaseOf(answers, snapshot);
  const release = found?.release;
  const byFile = new Map<string, Contribution[]>();
  for (const c of contributions(answers, release)) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

  const changes: FileChange[] = [];
  const warnings: string[] = [...(found?.warnings ?? []), ...STEPS.flatMap((s) => s.notes?.(answers, release) ?? [])];
  const read = (file: string) => {
    const bytes = snapshot.get(file);
    if (bytes === undefined) throw new PlanError(`${file}: was not read before planning`);
    return bytes;
  };
  for (const [file, parts] of byFile) {
    const bytes = read(file);
    if (bytes === null && parts.every((p) => p.onlyIfPresent)) continue;
    if (bytes === null && !parts.every((p) => p.mayCreate)) {
      throw new PlanError(`${file}: not found; is productHome the home of an API-M 2.x release?`);
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
  // A directory reset not done yet (no marker) is planned with its marker, an internal file
  // change: pending(), the stale-plan check and the checkpoint cover it like any file.
  const resets = directoryResets(answers, release).filter((r) => read(r.marker) === null);
  for (const r of resets) {
    changes.push({ file: r.marker, format: 'record', status: 'create', internal: true, reasons: [r.reason], after: Buffer.from(`${r.dir}\n`), mode: 0o600, diff: '' });
  }
  // The saved answers are part of the plan: a change to them alone is a change, listed per key,
  // and written in the same checkpoint as the files, so a rollback puts back the answers that
  // match the files it puts back.
  const answersFile = savedAnswersPath(answers.productHome);
  const savedNow = read(answersFile);
  const savedAfter = Buffer.from(answersJson(answers));
  const saved = savedLayer(savedNow, answersFile);
  let answerLines: string[] = [];
  if (!savedNow?.equals(savedAfter)) {
    changes.push({ file: answersFile, format: 'record', status: savedNow ? 'change' : 'create', internal: true, reasons: ['the saved answers'], before: savedNow ?? undefined, after: savedAfter, mode: 0o600, diff: '' });
    answerLines = answersChanges(saved, answers);
    if (answerLines.length === 0) answerLines = ['the saved file is rewritten in the wizard\'s layout (the same answers)'];
  }
  const from = saved && 'layer' in saved ? switchedFrom(saved.layer, answers.role) : undefined;
  let roleSwitch: RoleSwitch | undefined;
  if (from && saved && 'layer' in saved) {
    const old = oldAnswers(saved.layer);
    const afterOf = new Map(changes.filter((c) => c.status !== 'unchanged').map((c) => [c.file, c.after]));
    roleSwitch = describeSwitch({
      from,
      to: answers.role,
      savedFile: answersFile,
      saved: saved.layer,
      next: answers,
      old: old ? contributions(old, oldReleaseOf(old, snapshot)) : [],
      planned: byFile,
      now: (f) => snapshot.get(f),
      after: (f) => afterOf.get(f),
    });
  }
  const checked = snapshot.get(CHECKS_KEY);
  if (checked) warnings.push(...(JSON.parse(checked.toString()) as string[]));
  // Records go last so that the listed files keep the order of the steps.
  changes.sort((a, b) => Number(a.internal ?? false) - Number(b.internal ?? false));
  const files = changes.filter((c) => !c.internal);
  const summary = withAnswers(withResets(summaryLine(files), files, resets), files, resets, savedNow !== null, answerLines);
  return { answers, changes, warnings, summary, resets, answersChanges: answerLines, ...(roleSwitch ? { roleSwitch } : {}), ...(found ? { release: found } : {}) };
}

/** The summary says a change of the saved answers: alone ("Only the saved answers change"), or the keys beside the files. */
function withAnswers(summary: string, files: readonly FileChange[], resets: readonly DirectoryReset[], hadSaved: boolean, lines: readonly string[]): string {
  if (lines.length === 0) return summary;
  const keys = lines.length === 1 ? '1 answer' : `${lines.length} answers`;
  if (files.some((c) => c.status !== 'unchanged') || resets.length) return hadSaved ? `${summary}; saved answers: ${keys} changed` : summary;
  const what = hadSaved ? `Only the saved answers change (${keys})` : 'Only the saved answers change (saved for the first time)';
  return `${what}; ${files.length} file${files.length === 1 ? '' : 's'} already as asked.`;
}

function withResets(summary: string, files: readonly FileChange[], resets: readonly DirectoryReset[]): string {
  if (resets.length === 0) return summary;
  const dirs = `${resets.length} director${resets.length === 1 ? 'y' : 'ies'} to move to the backup and reset`;
  return files.some((c) => c.status !== 'unchanged') ? `${summary}, ${dirs}` : `${dirs}; ${files.length} file${files.length === 1 ? '' : 's'} unchanged`;
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
