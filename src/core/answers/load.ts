// Loads answers through the schema: an answers file (JSON) and flags are layers,
// later layers win, then defaults are applied and the whole is checked for the role.
import { isIPv4 } from 'node:net';
import type * as z from 'zod/mini';
import { FileKindError, readRegularFile } from '../node/regular-file.js';
import { shown } from '../messages/shown.js';
import { duplicateKeys } from './duplicate-keys.js';
import { MAX_ANSWERS_FILE_BYTES } from './limits.js';
import { FIELDS, partialAnswersSchema, type Answers, type FieldSpec, type Role } from './schema.js';
import { canonicalIp, parseMember, sameHost } from './validators.js';

export class AnswersError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export type AnswersLayer = Partial<Record<string, unknown>>;

/** Enough to fix a file by; a list of 10,000 bad entries is not 10,000 lines. */
const MAX_PROBLEMS = 20;

export function describeIssues(issues: readonly z.core.$ZodIssue[], source: string): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${source}: unknown key "${shown(key)}"`);
      continue;
    }
    const [key, ...rest] = issue.path;
    const where = rest.length ? `${String(key)}[${rest.join('.')}]` : String(key);
    out.push(`${source}: ${where} ${issue.message}`);
  }
  return out.length > MAX_PROBLEMS ? [...out.slice(0, MAX_PROBLEMS), `${source}: … and ${out.length - MAX_PROBLEMS} more problem(s)`] : out;
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

/** A path is shown whole up to this length (escaped all the same). */
const PATH_SHOWN = 400;

/** The bytes of a JSON file (`what`: "answers file", "cluster file") as text: UTF-8, a leading BOM dropped (editors on Windows write one). */
function jsonText(bytes: Buffer, file: string, what: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new AnswersError([`${shown(file, PATH_SHOWN)}: is UTF-16 text; save the ${what} as UTF-8`]);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AnswersError([`${shown(file, PATH_SHOWN)}: is not UTF-8 text; save the ${what} as UTF-8`]);
  }
}

/**
 * Reads a JSON file the admin wrote (`what`: "answers file", "cluster file"): a regular file of at
 * most 1 MiB, opened without blocking (a FIFO or /dev/zero is refused at once, never waited on),
 * UTF-8 with or without a BOM, without a key given twice (JSON.parse would keep the last one
 * silently). `named`: the path messages give (the file as the admin knows it, when `file` is where a link led).
 */
export async function readJsonFile(file: string, what: string, named = file): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, { maxBytes: MAX_ANSWERS_FILE_BYTES });
  } catch (e) {
    if (e instanceof FileKindError) {
      // Reached through a link: name the file as given, then where it led.
      const said = e.path === named ? e.message.replace(named, shown(named, PATH_SHOWN)) : `${shown(named, PATH_SHOWN)}: ${shown(e.message, 2 * PATH_SHOWN)}`;
      throw new AnswersError([`the ${what} ${said}`]);
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'a symlink loop' : code ?? (e as Error).message;
    throw new AnswersError([`${shown(named, PATH_SHOWN)}: cannot read the ${what} (${shown(why)})`]);
  }
  const text = jsonText(bytes, named, what);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // V8 quotes a piece of the file in its message: shown, like any value.
    throw new AnswersError([`${shown(named, PATH_SHOWN)}: is not valid JSON (${shown((e as Error).message, 160)})`]);
  }
  const twice = duplicateKeys(text);
  if (twice.length) {
    throw new AnswersError(twice.slice(0, MAX_PROBLEMS).map((d) => `${shown(named, PATH_SHOWN)}: the key "${shown(d.path)}" is given twice (lines ${d.lines[0]} and ${d.lines[1]}); JSON would keep only the last: give it once`));
  }
  return json;
}

/** Reads an answers file (or the saved answers) as readJsonFile does, and checks it as one layer of answers. */
export async function readAnswersFile(file: string, named = file): Promise<AnswersLayer> {
  return checkLayer(await readJsonFile(file, 'answers file', named), shown(named, PATH_SHOWN));
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
      problems.push(`--${field.flag}: "${shown(parts.at(-1))}" is not a number`);
      continue;
    }
    if (field.kind === 'boolean' && typeof converted !== 'boolean') {
      problems.push(`--${field.flag}: "${shown(parts.at(-1))}" is not yes or no`);
      continue;
    }
    layer[field.key] = converted;
  }
  if (problems.length) throw new AnswersError(problems);
  return checkLayer(layer, 'flags');
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** 127.0.0.0/8 or ::1 (any spelling). */
const isLoopback = (ip: string) => {
  const c = canonicalIp(ip);
  return c === '::1' || (isIPv4(c) && c.startsWith('127.'));
};

/**
 * Would nginx, listening on listenAddress (none: every IPv4 address), receive what it sends to
 * ip:port itself? A specific address is compared; a wildcard takes that family's loopback.
 */
function listensOn(listen: string | undefined, ip: string): boolean {
  const l = listen === undefined ? '0.0.0.0' : canonicalIp(listen);
  const c = canonicalIp(ip);
  if (l === '0.0.0.0') return isIPv4(c) && isLoopback(c);
  if (l === '::') return c === '::1';
  return l === c;
}

/** What the nginx site of a load balancer would get wrong: found at plan time, not by nginx at apply. */
function loadBalancerProblems(a: AnswersLayer): string[] {
  const problems: string[] = [];
  const workers = (a.workerIps as string[] | undefined) ?? [];
  if (a.workerIps !== undefined && workers.length === 0) {
    problems.push('workerIps is empty: the load balancer needs at least one Gateway Worker to send API traffic to');
  }
  const [workerHttp, workerHttps] = [num(a.workerHttpPort), num(a.workerHttpsPort)];
  if (a.httpApiTraffic === true && workerHttp !== undefined && workerHttp === workerHttps) {
    problems.push(`workerHttpPort and workerHttpsPort are both ${workerHttp}: plain HTTP and HTTPS API traffic would go to the same port of every worker`);
  }
  // An upstream that is one of nginx's own listening sockets: every request would loop back into nginx.
  const listening = new Map<number, string>();
  if (num(a.proxyHttpPort) !== undefined) listening.set(num(a.proxyHttpPort)!, 'proxyHttpPort');
  if (num(a.proxyHttpsPort) !== undefined) listening.set(num(a.proxyHttpsPort)!, 'proxyHttpsPort');
  const upstreams: [string, string, number | undefined, string][] = [
    ...(str(a.managerIp) ? [['managerIp', str(a.managerIp)!, num(a.managerPort), 'managerPort'] as [string, string, number | undefined, string]] : []),
    ...workers.map((w, i): [string, string, number | undefined, string] => [`workerIps[${i}]`, w, workerHttps, 'workerHttpsPort']),
    ...(a.httpApiTraffic === true ? workers.map((w, i): [string, string, number | undefined, string] => [`workerIps[${i}]`, w, workerHttp, 'workerHttpPort']) : []),
  ];
  for (const [ipKey, ip, port, portKey] of upstreams) {
    const own = port === undefined ? undefined : listening.get(port);
    if (own && listensOn(str(a.listenAddress), ip)) {
      const where = a.listenAddress === undefined ? 'every IPv4 address of this machine' : String(a.listenAddress);
      problems.push(`${ipKey} ${ip} with ${portKey} ${port} is where this load balancer itself listens (${own} ${port} on ${where}): nginx would pass every request back to itself`);
    }
  }
  return problems;
}

function crossCheck(a: AnswersLayer): string[] {
  const problems: string[] = [];
  // DNS and /etc/hosts ignore case: AM.wso2.com and am.wso2.com are one name.
  if (str(a.hostName) !== undefined && str(a.mgtHostName) !== undefined && sameHost(str(a.hostName)!, str(a.mgtHostName)!)) {
    problems.push('mgtHostName must differ from hostName (names are compared without regard to case): the load balancer routes them to different nodes');
  }
  const [http, https] = [num(a.proxyHttpPort), num(a.proxyHttpsPort)];
  if (http !== undefined && http === https) {
    problems.push(`proxyHttpPort and proxyHttpsPort are both ${http}: the load balancer cannot take HTTP and HTTPS on one port`);
  }
  const workers = (a.workerIps as string[] | undefined) ?? [];
  const manager = str(a.managerIp);
  const managerAmongWorkers = manager === undefined ? undefined : workers.find((w) => sameHost(w, manager));
  if (managerAmongWorkers !== undefined) {
    const spelled = managerAmongWorkers === manager ? '' : ` (as ${managerAmongWorkers})`;
    problems.push(`workerIps lists the manager's address ${manager}${spelled}; the manager and the workers are different nodes`);
  }
  // The manager's saved answers carried to a worker still name the manager as this member.
  const self = str(a.localMemberHost);
  if (a.role === 'worker' && a.hazelcast === true && self !== undefined && manager !== undefined && sameHost(self, manager)) {
    problems.push(`localMemberHost is the manager's address ${manager}; on a worker it is this worker's own address`);
  }
  const listed = ((a.hazelcastMembers as string[] | undefined) ?? []).map(parseMember).find((m) => m !== undefined && self !== undefined && sameHost(m.host, self));
  if (a.hazelcast === true && listed && a.localMemberPort !== undefined && listed.port !== a.localMemberPort) {
    problems.push(`hazelcastMembers lists this node as ${listed.host}:${listed.port}, but localMemberPort is ${String(a.localMemberPort)}; the other members would look for it on the wrong port`);
  }
  if (a.role === 'load-balancer') problems.push(...loadBalancerProblems(a));
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
