// The command line: the verbs, their options and one flag per answers field, declared once.
// The table below drives parsing (an option a verb does not take is an error, not ignored),
// `--help` and `VERB --help`, and the README's verb reference (npm run docs).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FIELDS, type FieldKey, type FieldSpec, type Role } from '../core/answers/schema.js';
import { FROM_TOPOLOGY } from '../core/cluster/derive.js';
import { NODE_SPEC } from '../core/cluster/compose.js';
import { RELEASES } from '../core/node/release.js';

interface CommonOption {
  type: 'string' | 'boolean';
  short?: string;
  arg?: string;
  multiple?: boolean;
  help: string;
}

const COMMON = {
  answers: { type: 'string', arg: 'FILE', help: 'answers file (JSON); flags override its values' },
  root: { type: 'string', arg: 'DIR', help: 'resolve every absolute path (product home, /etc/hosts) under DIR' },
  demo: { type: 'boolean', help: 'use the built-in demo cluster (a sandbox per node: a small product home, /etc/hosts and /etc/nginx under a temp root); the manager\'s sandbox' },
  'demo-node': { type: 'string', arg: 'NODE', help: 'the demo cluster\'s sandbox of NODE: manager (the default of --demo), worker-1, worker-2 or load-balancer (implies --demo)' },
  yes: { type: 'boolean', help: 'apply: write without asking (after reading `plan`); sync: push even when the preview deletes files on a worker' },
  'dry-run': { type: 'boolean', help: 'check every worker and preview the push (rsync --dry-run), push nothing' },
  'create-key': { type: 'boolean', help: 'create the ssh key (syncKey) with ssh-keygen when it is missing' },
  list: { type: 'boolean', help: 'list the checkpoints, newest first' },
  timeout: { type: 'string', arg: 'TIME', help: 'start: how long to wait for "WSO2 Carbon started" (default 10m); stop: for the server to exit (default 2m); seconds, or 90s, 10m' },
  restart: { type: 'boolean', help: 'stop the server first when it is running' },
  'restart-after-first-start': { type: 'boolean', help: 'worker: after its first start is ready, restart it once as WSO2 asks' },
  'on-conflict': { type: 'string', arg: 'ACTION', help: 'a generated file edited by hand: keep, replace, or fail (default)' },
  'switch-role': { type: 'boolean', help: 'plan and apply a role other than the one the node\'s saved answers say (what the switch changes and leaves is shown first); without it such a plan is refused' },
  out: { type: 'string', arg: 'FILE', help: 'also save the plan to FILE (mode 600) for apply --plan' },
  plan: { type: 'string', arg: 'FILE', help: 'apply the plan saved by plan --out, exactly: refused if any file changed since' },
  cluster: { type: 'string', arg: 'FILE', help: 'the cluster file (JSON): every node, its role, address, ssh and product home, the shared answers' },
  node: { type: 'string', multiple: true, arg: NODE_SPEC, help: 'cluster init: a node of the cluster, its Ansible name, role and address (repeat for every node)' },
  limit: { type: 'string', arg: 'NODES', help: 'cluster check|drift: only these nodes (names, comma-separated; Ansible --limit)' },
  'no-start': { type: 'boolean', help: 'cluster apply|review: configure every node, start nothing' },
  'sync-delete': { type: 'boolean', help: 'cluster apply|review: the first sync may delete files on the workers that the manager does not have (read its preview first)' },
  json: { type: 'boolean', help: 'print one JSON document instead of the text (the node document: files, diffs, warnings, errors, the exit code; see README); nothing else on stdout' },
  'no-color': { type: 'boolean', help: 'plain output (also NO_COLOR, or when output is not a terminal)' },
  help: { type: 'boolean', short: 'h', help: 'this help; VERB --help: that verb\'s' },
  version: { type: 'boolean', short: 'v', help: 'print the version' },
} as const satisfies Record<string, CommonOption>;
type CommonName = keyof typeof COMMON;

/** Taken everywhere. */
const ALWAYS: readonly CommonName[] = ['no-color', 'help', 'version'];

interface VerbSpec {
  /** What follows the verb in the usage line. */
  usage: string;
  /** One line: the general help and the README table. */
  does: string;
  exits: string;
  options: readonly CommonName[];
  /** Answers flags it reads: every field, those a role is asked, or these. */
  fields: 'all' | { role: Role } | readonly FieldKey[];
}

const SERVER_FIELDS = ['productHome', 'role'] as const satisfies readonly FieldKey[];
/** cluster init: the product home of every gateway node and the answers they share (the rest is made from the nodes). */
const CLUSTER_FIELDS = FIELDS.map((f) => f.key as FieldKey).filter((k) => k === 'productHome' || !FROM_TOPOLOGY.includes(k));

export const VERB_SPECS = {
  plan: {
    usage: '--answers FILE [--out PLAN]', does: 'summary, files with reasons, warnings, unified diffs; writes nothing (but the `--out` file)',
    exits: '0 nothing to change, 2 changes pending, 1 error',
    options: ['answers', 'root', 'demo', 'demo-node', 'on-conflict', 'switch-role', 'out', 'json'], fields: 'all',
  },
  apply: {
    usage: '--answers FILE --yes | --plan PLAN --yes', does: 'writes what `plan` shows (with `--plan`: exactly the saved plan), atomically, with a checkpoint',
    exits: '0 done, 1 failed (every file restored) or refused',
    options: ['answers', 'root', 'demo', 'demo-node', 'yes', 'on-conflict', 'switch-role', 'plan', 'json'], fields: 'all',
  },
  check: {
    usage: '[--answers FILE]', does: 'does the node still match its saved answers? drift shown as diffs',
    exits: '0 matches, 2 drift, 1 error',
    options: ['answers', 'root', 'demo', 'demo-node', 'json'], fields: 'all',
  },
  rollback: {
    usage: '[ID] [--list]', does: 'puts back the files (and emptied directories) of the latest apply, or of checkpoint ID; itself undoable',
    exits: '0 done, 1 failed (nothing changed)',
    options: ['answers', 'root', 'demo', 'demo-node', 'list'], fields: ['productHome'],
  },
  sync: {
    usage: '[--dry-run] [--yes] [--create-key]', does: 'manager: checks every worker over ssh, previews the push (every file `--delete` would remove), then pushes with live progress',
    exits: '0 in sync, 2 deletions need `--yes`, 1 error',
    options: ['answers', 'root', 'demo', 'demo-node', 'dry-run', 'yes', 'create-key'], fields: { role: 'manager' },
  },
  start: {
    usage: '[--restart] [--restart-after-first-start] [--timeout 10m]', does: 'preflight (Java, ports with the offset, not running), `wso2server.sh start` with the flags of the node\'s release and role (see "Every 2.x release"), follows `wso2carbon.log` until ready or failed',
    exits: '0 ready, 1 failed, 130 stopped following (the server keeps starting)',
    options: ['answers', 'root', 'demo', 'demo-node', 'timeout', 'restart', 'restart-after-first-start'], fields: SERVER_FIELDS,
  },
  stop: {
    usage: '[--timeout 2m]', does: '`wso2server.sh stop`, waits until the process is gone',
    exits: '0 stopped, 1 failed',
    options: ['answers', 'root', 'demo', 'demo-node', 'timeout'], fields: SERVER_FIELDS,
  },
  status: {
    usage: '', does: 'running? pid, listening ports, port offset, last readiness line',
    exits: '0 running, 3 not running',
    options: ['answers', 'root', 'demo', 'demo-node'], fields: SERVER_FIELDS,
  },
  cluster: {
    usage: 'init|review|check|drift|apply|inventory --cluster FILE', does: 'the whole cluster over Ansible: `init` asks for the cluster in a terminal, or with `--node NAME=ROLE@ADDRESS ... --home DIR` writes the cluster file (answers flags: what every node shares), `review` is the screen: every node\'s changes, each node\'s diffs, then `a` applies and starts them live; `check` reviews every node (a line each, then the diffs), `drift` tables in sync / drifted / unreachable, `apply --yes` configures manager, workers in batches, load balancer, then starts them in WSO2\'s order; `inventory` prints the Ansible inventory',
    exits: '0 nothing to change (apply: done), 2 changes pending, 1 error or a node failed or unreachable',
    options: ['cluster', 'node', 'limit', 'yes', 'no-start', 'sync-delete'], fields: CLUSTER_FIELDS,
  },
} as const satisfies Record<string, VerbSpec>;

export type Verb = keyof typeof VERB_SPECS;
export const VERBS = Object.keys(VERB_SPECS) as Verb[];

/** The interactive wizard: no verb. Answers flags pre-fill its questions. */
const WIZARD: VerbSpec = {
  usage: '[--home DIR] [--answers FILE]', does: 'the interactive wizard (needs a terminal, `CI` unset)',
  exits: '0 done or quit, 1 apply failed (restored), 2 no terminal, 130 interrupted',
  options: ['answers', 'root', 'demo', 'demo-node'], fields: 'all',
};

const specOf = (verb: Verb | undefined): VerbSpec => (verb ? VERB_SPECS[verb] : WIZARD);
const isList = (f: FieldSpec) => f.kind === 'ipList' || f.kind === 'memberList' || f.kind === 'syncTargetList';
function fieldsOf({ fields }: VerbSpec): FieldSpec[] {
  return (FIELDS as readonly FieldSpec[]).filter((f) =>
    fields === 'all' || ('role' in fields ? f.key === 'role' || f.roles.includes(fields.role) : fields.includes(f.key as FieldKey)));
}

/** A flag column, and the text beside it or, for a long flag, under it. */
const COLUMN = 30;
const row = (flag: string, text: string) => `  ${flag}`.length < COLUMN ? `  ${flag}`.padEnd(COLUMN) + text : `  ${flag}\n${' '.repeat(COLUMN)}${text}`;

export function parseCommandLine(argv: string[]) {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, o] of Object.entries(COMMON) as [string, CommonOption][]) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  for (const f of FIELDS as readonly FieldSpec[]) options[f.flag] = { type: 'string', ...(isList(f) ? { multiple: true } : {}) };
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [verb, ...rest] = positionals;
  if (verb !== undefined && !(VERBS as readonly string[]).includes(verb)) {
    throw new Error(`unknown verb "${verb}"; verbs: ${VERBS.join(', ')}`);
  }
  // Only rollback (a checkpoint id) and cluster (what to do) take an argument.
  if (rest.length > (verb === 'rollback' || verb === 'cluster' ? 1 : 0)) throw new Error(`unexpected argument(s) after ${verb}: ${rest.join(' ')}`);
  const spec = specOf(verb as Verb | undefined);
  if (!values.help && !values.version) {
    // An option the verb would ignore is refused: `apply --dry-run` must not quietly write.
    const taken = new Set<string>([...ALWAYS, ...spec.options, ...fieldsOf(spec).map((f) => f.flag)]);
    const refused = Object.keys(values).filter((name) => !taken.has(name));
    if (refused.length) {
      const what = verb ?? 'the interactive wizard';
      throw new Error(`${refused.map((n) => `--${n}`).join(', ')}: not ${refused.length > 1 ? 'options' : 'an option'} of ${what} (apim-gateway-wizard ${verb ? `${verb} ` : ''}--help lists them)`);
    }
  }
  return { verb: verb as Verb | undefined, values: values as Record<string, unknown>, args: rest };
}

function optionLines(names: readonly CommonName[]): string[] {
  return names.map((name) => {
    const o: CommonOption = COMMON[name];
    return row(`--${name}${o.arg ? ` ${o.arg}` : ''}`, o.help);
  });
}

function fieldLines(fields: readonly FieldSpec[]): string[] {
  return fields.map((f) => {
    const flag = `--${f.flag} ${f.kind === 'ipList' ? 'A,B' : f.kind === 'memberList' ? 'IP:PORT,..' : f.kind === 'syncTargetList' ? 'U@H:/HOME,..' : f.kind.toUpperCase()}`;
    return row(flag, `${f.key}: ${f.help}`);
  });
}

const usageLine = (verb: Verb | undefined) => `apim-gateway-wizard${verb ? ` ${verb}` : ''}${specOf(verb).usage ? ` ${specOf(verb).usage}` : ''}`;
const plain = (s: string) => s.replace(/`/g, '');

/** `--help` (no verb): every verb in a line, every option and answers flag. */
export function helpText(): string {
  return [
    `apim-gateway-wizard: set up a node of a WSO2 API Manager 2.x distributed Gateway (rsync; releases ${RELEASES.join(', ')}).`,
    '',
    'Usage (VERB --help for one verb):',
    ...[undefined, ...VERBS].map((v) => `  ${usageLine(v)}\n      ${plain(specOf(v).does)}; exit ${plain(specOf(v).exits)}`),
    '',
    'Options:',
    ...optionLines(Object.keys(COMMON) as CommonName[]),
    '',
    'Answers (each also a key of the answers file):',
    ...fieldLines(FIELDS as readonly FieldSpec[]),
    '',
  ].join('\n');
}

/** `VERB --help`: what it does, its exit codes, and only the options and answers it takes. */
export function verbHelpText(verb: Verb): string {
  const spec = specOf(verb);
  const fields = fieldsOf(spec);
  return [
    `Usage: ${usageLine(verb)}`,
    '',
    `  ${plain(spec.does)}.`,
    `  Exit: ${plain(spec.exits)}.`,
    '',
    'Options:',
    ...optionLines([...spec.options, ...ALWAYS.filter((n) => n !== 'version')]),
    '',
    !Array.isArray(spec.fields) ? 'Answers (each also a key of the answers file; flags win):' : (spec.options as readonly CommonName[]).includes('answers') ? 'Answers it reads (flags, or the answers file):' : 'Answers it reads (flags):',
    ...fieldLines(fields),
    '',
  ].join('\n');
}

/** The README's verb table (npm run docs). */
export function verbsReference(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| verb | what it does | exit codes |',
    '|---|---|---|',
    ...[undefined, ...VERBS].map((v) => `| ${v ? `\`${v}${specOf(v).usage ? ` ${specOf(v).usage}` : ''}\`` : '*(none)*'} | ${cell(specOf(v).does)} | ${cell(specOf(v).exits)} |`),
  ].join('\n');
}
