// The command line: common flags plus one flag per answers field, all from the schema.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FIELDS, type FieldSpec } from '../core/answers/schema.js';

export const VERBS = ['plan', 'apply', 'check', 'rollback', 'sync', 'start', 'stop', 'status'] as const;
export type Verb = (typeof VERBS)[number];

interface CommonOption {
  type: 'string' | 'boolean';
  short?: string;
  arg?: string;
  help: string;
}

const COMMON: Record<string, CommonOption> = {
  answers: { type: 'string', arg: 'FILE', help: 'answers file (JSON); flags override its values' },
  root: { type: 'string', arg: 'DIR', help: 'resolve every absolute path (product home, /etc/hosts) under DIR' },
  demo: { type: 'boolean', help: 'use the built-in demo sandbox (a small product home and /etc/hosts under a temp root)' },
  yes: { type: 'boolean', help: 'apply: write without asking (after reading `plan`); sync: push even when the preview deletes files on a worker' },
  'dry-run': { type: 'boolean', help: 'sync: check every worker and preview the push (rsync --dry-run), push nothing' },
  'create-key': { type: 'boolean', help: 'sync: create the ssh key (syncKey) with ssh-keygen when it is missing' },
  list: { type: 'boolean', help: 'rollback: list the checkpoints, newest first' },
  timeout: { type: 'string', arg: 'TIME', help: 'start: how long to wait for "WSO2 Carbon started" (default 10m); stop: for the server to exit (default 2m); seconds, or 90s, 10m' },
  restart: { type: 'boolean', help: 'start: stop the server first when it is running' },
  'restart-after-first-start': { type: 'boolean', help: 'start, worker: after its first start is ready, restart it once as WSO2 asks' },
  'on-conflict': { type: 'string', arg: 'ACTION', help: 'a generated file edited by hand: keep, replace, or fail (default)' },
  'no-color': { type: 'boolean', help: 'plain output (also NO_COLOR, or when output is not a terminal)' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  version: { type: 'boolean', short: 'v', help: 'print the version' },
};

export function parseCommandLine(argv: string[]) {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, o] of Object.entries(COMMON)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  }
  for (const f of FIELDS as readonly FieldSpec[]) {
    options[f.flag] = { type: 'string', ...(f.kind === 'ipList' || f.kind === 'memberList' || f.kind === 'syncTargetList' ? { multiple: true } : {}) };
  }
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [verb, ...rest] = positionals;
  // Only rollback takes an argument (a checkpoint id).
  if (rest.length > (verb === 'rollback' ? 1 : 0)) throw new Error(`unexpected argument(s) after ${verb}: ${rest.join(' ')}`);
  if (verb !== undefined && !(VERBS as readonly string[]).includes(verb)) {
    throw new Error(`unknown verb "${verb}"; verbs: ${VERBS.join(', ')}`);
  }
  return { verb: verb as Verb | undefined, values: values as Record<string, unknown>, args: rest };
}

export function helpText(): string {
  const fieldLines = (FIELDS as readonly FieldSpec[]).map((f) => {
    const flag = `--${f.flag} ${f.kind === 'ipList' ? 'A,B' : f.kind === 'memberList' ? 'IP:PORT,..' : f.kind === 'syncTargetList' ? 'U@H:/HOME,..' : f.kind.toUpperCase()}`;
    return `  ${flag.padEnd(28)}${f.key}: ${f.help}`;
  });
  const commonLines = Object.entries(COMMON).map(([name, o]) => `  ${`--${name}${o.arg ? ` ${o.arg}` : ''}`.padEnd(28)}${o.help}`);
  return [
    'apim-gateway-wizard: set up a node of a WSO2 API Manager 2.1.0 distributed Gateway (rsync).',
    '',
    'Usage:',
    '  apim-gateway-wizard [--home DIR]                 the interactive wizard (needs a terminal)',
    '  apim-gateway-wizard plan --answers FILE          show what would change; exit 0 nothing, 2 changes, 1 error',
    '  apim-gateway-wizard apply --answers FILE --yes   write the changes; exit 0 done, 1 failed (files restored)',
    '  apim-gateway-wizard check [--answers FILE]       does the node still match its saved answers? exit 0 yes, 2 drift',
    '  apim-gateway-wizard rollback [ID] [--list]       put back the files of the latest (or the given) apply',
    '  apim-gateway-wizard sync [--dry-run] [--yes]     manager: check the workers, preview, push; exit 0 in sync, 2 deletions need --yes, 1 error',
    '  apim-gateway-wizard start [--restart]            preflight, start, follow the log; exit 0 ready, 1 failed, 130 stopped following',
    '  apim-gateway-wizard stop                         wso2server.sh stop, wait until it is gone; exit 0 stopped, 1 failed',
    '  apim-gateway-wizard status                       running? pid, listening ports, last start; exit 0 running, 3 not running',
    '',
    'Options:',
    ...commonLines,
    '',
    'Answers (each also a key of the answers file):',
    ...fieldLines,
    '',
  ].join('\n');
}
