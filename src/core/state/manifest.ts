// A checkpoint is data, never instructions: its manifest is checked before anything acts on it.
// Every path must be absolute and normalised and one the wizard could have written for the
// node the state folder belongs to; temp files must have the writer's names beside one of its
// files; backups must be regular files inside the checkpoint. Anything else refuses the whole
// checkpoint, by name, with the reason, before a single file is touched.
import { lstat, readFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import * as z from 'zod/mini';
import { HOSTS_FILE, onDisk, PRODUCT_FILES, productFile, STATE_BASE } from '../node/layout.js';
import { CRON_FILE, syncPaths } from '../run/sync/paths.js';
import type { Manifest } from '../apply/checkpoint.js';

/** What a checkpoint may name: the node its state folder belongs to. */
export interface NodeRules {
  /** The product home (normalised); undefined on a load balancer. */
  home?: string;
  /** The state folder as on the node (its owned/ records, answers.json, markers). */
  stateNode: string;
  root?: string;
}

/** The form newId() (checkpoint.ts) gives: 2026-01-02T03-04-05-678Z-<pid>. */
export const CHECKPOINT_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-\d{1,10}$/;

/** Where a worker's deployment directory is (steps/prepare.ts DEPLOYMENT_DIR), the only directory an apply resets. */
const RESET_DIR = 'repository/deployment/server';

const id32 = z.number().check(z.int(), z.minimum(0), z.maximum(0xfffffffe));
/** What an entry keeps of what was there before: whether it existed, its mode and owner. */
const before = {
  existed: z.boolean(),
  mode: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(0o7777))),
  uid: z.optional(id32),
  gid: z.optional(id32),
};
const fileEntry = z.strictObject({
  file: z.string(),
  ...before,
  written: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  symlink: z.optional(z.boolean()),
});
const dirEntry = z.strictObject({
  dir: z.string(),
  ...before,
  /** A rollback's record: what it moved into place came from this checkpoint (and goes back there if the rollback is undone). */
  movedFrom: z.optional(z.string().check(z.regex(CHECKPOINT_ID))),
  /** A rollback's record: what it set aside is in this checkpoint (the apply whose backup it was). */
  asideIn: z.optional(z.string().check(z.regex(CHECKPOINT_ID))),
});
const manifestSchema = z.strictObject({
  id: z.string(),
  createdAt: z.string(),
  kind: z.enum(['apply', 'rollback']),
  reason: z.string(),
  role: z.optional(z.string()),
  state: z.enum(['writing', 'complete', 'restored']),
  rolledBackBy: z.optional(z.string().check(z.regex(CHECKPOINT_ID))),
  files: z.array(fileEntry),
  dirs: z.optional(z.array(dirEntry)),
  createdDirs: z.optional(z.array(z.string())),
});

/** How a path is shown in a message: quoted, control characters escaped. */
export const shown = (p: string) => JSON.stringify(p);

/** Why p is not an absolute, normalised path (undefined: it is one). */
export function pathShapeProblem(p: string): string | undefined {
  if (p.includes('\0')) return `${shown(p)} contains a NUL byte`;
  if (!p.startsWith('/')) return `${shown(p)} is not an absolute path`;
  if (p.split('/').includes('..')) return `${shown(p)} contains ..`;
  if (p.length > 1 && p.endsWith('/')) return `${shown(p)} ends with /`;
  if (posix.normalize(p) !== p) return `${shown(p)} is not a normalised path`;
  return undefined;
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);

/** The files the wizard writes on that node, other than its own records. */
function nodeFileProblem(rules: NodeRules, file: string): string | undefined {
  if (rules.home === undefined) {
    // A load balancer's files come from its answers (nginx site, certificate, key): anywhere but the wizard's state.
    return within(file, STATE_BASE) ? `${shown(file)} is inside the wizard's state folder` : undefined;
  }
  const sync = syncPaths(rules.home);
  const known = [...Object.keys(PRODUCT_FILES).map((k) => productFile(rules.home!, k as keyof typeof PRODUCT_FILES)), sync.script, sync.workers, HOSTS_FILE, CRON_FILE];
  return known.includes(file) ? undefined : `${shown(file)} is not a file the wizard writes for the node ${rules.home}`;
}

/** A file of the manifest: the node's files, or the wizard's records of them in the state folder. */
export function allowedFileProblem(rules: NodeRules, file: string): string | undefined {
  const shape = pathShapeProblem(file);
  if (shape) return shape;
  const s = rules.stateNode;
  if (file === join(s, 'answers.json') || file === join(s, 'deployment-reset')) return undefined;
  if (within(file, join(s, 'owned')) && file !== join(s, 'owned')) {
    const recorded = file.slice(join(s, 'owned').length);
    return nodeFileProblem(rules, recorded) ? `${shown(file)} is not a record of a file the wizard writes` : undefined;
  }
  return nodeFileProblem(rules, file);
}

function dirProblem(rules: NodeRules, dir: string): string | undefined {
  const shape = pathShapeProblem(dir);
  if (shape) return shape;
  if (rules.home === undefined || dir !== join(rules.home, RESET_DIR)) return `${shown(dir)} is not a directory the wizard resets`;
  return undefined;
}

/** A folder the apply created for a new file: above one of its created files, never the home, the state or their parents. */
function createdDirProblem(rules: NodeRules, m: Manifest, dir: string): string | undefined {
  const shape = pathShapeProblem(dir);
  if (shape) return shape;
  const protectedDirs = [rules.home, rules.stateNode].filter((d): d is string => d !== undefined);
  if (dir === '/' || protectedDirs.some((p) => within(p, dir))) return `${shown(dir)} is a folder the wizard never removes`;
  if (!m.files.some((f) => !f.existed && f.file.startsWith(`${dir}/`))) return `${shown(dir)} is above none of the files the apply created`;
  return undefined;
}

/** The writer's temp names beside `file`: `<name>.<digits>` (write.ts) and `.<name>.<12 hex>.tmp` (symlink.ts). */
function isTempOf(tmp: string, file: string): boolean {
  if (dirname(tmp) !== dirname(file)) return false;
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^(?:${name}\\.\\d{1,24}|\\.${name}\\.[0-9a-f]{12}\\.tmp)$`).test(basename(tmp));
}

/** Temp names are recorded as paths on the node (without --root), so a copied root keeps its checkpoints valid. */
async function tempProblem(rules: NodeRules, m: Manifest, tmp: string): Promise<string | undefined> {
  const shape = pathShapeProblem(tmp);
  if (shape) return `temp file ${shape}`;
  const root = rules.root ? posix.normalize(rules.root).replace(/\/+$/, '') : '';
  for (const f of m.files) {
    if (isTempOf(tmp, f.file)) return undefined;
    // The writer follows a link to its target (inside the root) and writes beside that.
    let real: string | undefined;
    try {
      real = onDisk(rules.root, f.file);
    } catch {
      real = undefined;
    }
    if (real && (root === '' || real.startsWith(`${root}/`)) && isTempOf(tmp, real.slice(root.length))) return undefined;
  }
  return `temp file ${shown(tmp)} is not a temp name of the writer beside a file of this checkpoint`;
}

/** Every folder from the checkpoint's down to `path` a real directory, and path itself of `kind`. */
async function insideProblem(cpDir: string, path: string, kind: 'file' | 'dir', what: string): Promise<string | undefined> {
  let d = cpDir;
  for (const part of path.slice(cpDir.length + 1).split('/')) {
    d = join(d, part);
    const st = await lstat(d).catch(() => undefined);
    if (!st) return `${what} ${d} is missing`;
    if (st.isSymbolicLink()) return `${what} ${d} is a symbolic link`;
    if (d === path) {
      if (kind === 'file' ? !st.isFile() : !st.isDirectory()) return `${what} ${d} is not a regular ${kind === 'file' ? 'file' : 'directory'}`;
    } else if (!st.isDirectory()) return `${what} ${d} is not a directory`;
  }
  return undefined;
}

/**
 * The manifest read from checkpoint folder `cpDir` (named `id`), checked; throws with the
 * reason when anything in it is not what the wizard writes. Unknown top-level keys are refused.
 */
export async function checkManifest(raw: unknown, id: string, cpDir: string, rules: NodeRules): Promise<Manifest> {
  if (!CHECKPOINT_ID.test(id)) throw new Error(`its folder name ${shown(id)} is not a checkpoint id`);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`manifest.json is not a checkpoint manifest (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  const m = raw as Manifest;
  if (m.id !== id) throw new Error(`its manifest says id ${shown(m.id)}, not its folder's name`);
  const problems: string[] = [];
  for (const f of m.files) {
    const p = allowedFileProblem(rules, f.file);
    if (p) problems.push(p);
    else if (f.existed) {
      const b = await insideProblem(cpDir, join(cpDir, 'files', f.file), 'file', 'the backup');
      if (b) problems.push(b);
    }
  }
  for (const d of m.dirs ?? []) {
    const p = dirProblem(rules, d.dir);
    if (p) problems.push(p);
    else if (await lstat(join(cpDir, 'dirs', d.dir)).catch(() => undefined)) {
      const b = await insideProblem(cpDir, join(cpDir, 'dirs', d.dir), 'dir', 'the moved directory');
      if (b) problems.push(b);
    }
  }
  for (const d of m.createdDirs ?? []) {
    const p = createdDirProblem(rules, m, d);
    if (p) problems.push(p);
  }
  const temps = await readFile(join(cpDir, 'tempfiles'), 'utf8').catch(() => '');
  for (const t of temps.split('\n').filter(Boolean)) {
    const p = await tempProblem(rules, m, t);
    if (p) problems.push(p);
  }
  if (problems.length) throw new Error(problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : ''));
  return m;
}
