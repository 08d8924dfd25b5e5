// Loads answers through the schema: an answers file (JSON) and flags are layers,
// later layers win, then defaults are applied and the whole is checked for the role.
import { readFile } from 'node:fs/promises';
import type * as z from 'zod/mini';
import { FIELDS, partialAnswersSchema, type Answers, type FieldSpec, type Role } from './schema.js';
import { parseMember } from './validators.js';

export class AnswersError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export type AnswersLayer = Partial<Record<string, unknown>>;

function describeIssues(issues: readonly z.core.$ZodIssue[], source: string): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${source}: unknown key "${key}"`);
      continue;
    }
    const [key, ...rest] = issue.path;
    const where = rest.length ? `${String(key)}[${rest.join('.')}]` : String(key);
    out.push(`${source}: ${where} ${issue.message}`);
  }
  return out;
}

/** Checks one layer of answers (types and values); unknown keys are errors. */
export function checkLayer(value: unknown, source: string): AnswersLayer {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AnswersError([`${source}: must be a JSON object of answers`]);
  }
  const result = partialAnswersSchema.safeParse(value);
  if (!result.success) throw new AnswersError(describeIssues(result.error.issues, source));
  return result.data as AnswersLayer;
}

export async function readAnswersFile(file: string): Promise<AnswersLayer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AnswersError([`${file}: cannot read the answers file (${code === 'ENOENT' ? 'no such file' : code})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AnswersError([`${file}: is not valid JSON (${(e as Error).message})`]);
  }
  return checkLayer(json, file);
}

/** Converts typed-in text (a flag or a prompt) to the field's type; the schema checks the value after. */
export function fromText(field: FieldSpec, text: string): unknown {
  switch (field.kind) {
    case 'port':
      return /^\s*\d+\s*$/.test(text) ? Number(text) : text;
    case 'ipList':
    case 'memberList':
    case 'syncTargetList':
      return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['y', 'yes', 'true', 'on', '1'].includes(t)) return true;
      if (['n', 'no', 'false', 'off', '0'].includes(t)) return false;
      return text;
    }
    default:
      return text.trim();
  }
}

/** Flag values (as node:util parseArgs returns them, keyed by flag name) → one layer of answers. */
export function layerFromFlags(values: Record<string, unknown>): AnswersLayer {
  const layer: AnswersLayer = {};
  const problems: string[] = [];
  for (const field of FIELDS as readonly FieldSpec[]) {
    const raw = values[field.flag];
    if (raw === undefined) continue;
    const parts = Array.isArray(raw) ? raw.map(String) : [String(raw)];
    const converted = field.kind === 'ipList' || field.kind === 'memberList' || field.kind === 'syncTargetList' ? parts.flatMap((p) => fromText(field, p) as string[]) : fromText(field, parts.at(-1)!);
    if (field.kind === 'port' && typeof converted !== 'number') {
      problems.push(`--${field.flag}: "${parts.at(-1)}" is not a number`);
      continue;
    }
    if (field.kind === 'boolean' && typeof converted !== 'boolean') {
      problems.push(`--${field.flag}: "${parts.at(-1)}" is not yes or no`);
      continue;
    }
    layer[field.key] = converted;
  }
  if (problems.length) throw new AnswersError(problems);
  return checkLayer(layer, 'flags');
}

function crossCheck(a: AnswersLayer): string[] {
  const problems: string[] = [];
  if (a.hostName !== undefined && a.hostName === a.mgtHostName) {
    problems.push('mgtHostName must differ from hostName: the load balancer routes them to different nodes');
  }
  const workers = (a.workerIps as string[] | undefined) ?? [];
  if (a.managerIp !== undefined && workers.includes(a.managerIp as string)) {
    problems.push(`workerIps lists the manager's address ${String(a.managerIp)}; the manager and the workers are different nodes`);
  }
  // The manager's saved answers carried to a worker still name the manager as this member.
  if (a.role === 'worker' && a.hazelcast === true && a.localMemberHost !== undefined && a.localMemberHost === a.managerIp) {
    problems.push(`localMemberHost is the manager's address ${String(a.managerIp)}; on a worker it is this worker's own address`);
  }
  const self = ((a.hazelcastMembers as string[] | undefined) ?? []).map(parseMember).find((m) => m?.host === a.localMemberHost);
  if (a.hazelcast === true && self && a.localMemberPort !== undefined && self.port !== a.localMemberPort) {
    problems.push(`hazelcastMembers lists this node as ${String(a.localMemberHost)}:${self.port}, but localMemberPort is ${String(a.localMemberPort)}; the other members would look for it on the wrong port`);
  }
  return problems;
}

/** Merges layers (later wins), applies defaults and checks everything the role needs. */
export function resolveAnswers(...layers: AnswersLayer[]): Answers {
  const merged: AnswersLayer = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) merged[k] = v;
  }
  checkLayer(merged, 'answers');
  const problems: string[] = [];
  const role = merged.role as Role | undefined;
  if (role === undefined) throw new AnswersError(['role is missing: give manager, worker or load-balancer (--role or "role" in the answers file)']);
  // A load balancer has no product home: one carried in from a manager's answers would put its
  // state (saved answers, copies of generated files) under a directory that means nothing here.
  if (role === 'load-balancer') delete merged.productHome;
  for (const field of FIELDS as readonly FieldSpec[]) {
    if (merged[field.key] !== undefined) continue;
    if (field.when && !field.when(merged)) continue;
    const value = field.default ?? field.derive?.(merged);
    if (value !== undefined) merged[field.key] = value;
    else if (field.requiredFor.includes(role)) problems.push(`${field.key} is required for role ${role} (${field.help})`);
  }
  problems.push(...crossCheck(merged));
  if (problems.length) throw new AnswersError(problems);
  return merged as Answers;
}
