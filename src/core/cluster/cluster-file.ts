// The cluster file: one description of the whole Gateway (shared answers, every node with its
// role, address, ssh and product home, per-node overrides). Its keys are declared once below:
// the list drives the checks and the README reference (npm run docs).
import * as z from 'zod/mini';
import { partialAnswersSchema, valueSchema, ROLES } from '../answers/schema.js';
import { checkHostName, checkIp } from '../answers/validators.js';
import { MAX_CHARS, MAX_ITEMS } from '../answers/limits.js';

export const CLUSTER_FORMAT = 1;

interface KeySpec {
  key: string;
  schema: z.ZodMiniType;
  /** The README's type column. */
  type: string;
  help: string;
  required?: boolean;
  default?: unknown;
}

const name = z.string({ error: 'must be a string' }).check(
  z.superRefine((v: string, ctx) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'must be 1–63 letters, digits, . _ - (starting with a letter or digit): it is the node\'s Ansible host name' });
    }
  }),
);
const sshHost = z.string({ error: 'must be a string' }).check(
  z.superRefine((v: string, ctx) => {
    if (v.length > MAX_CHARS.host || (checkIp(v) !== undefined && checkHostName(v) !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must be a host name or an address' });
    }
  }),
);

/** How Ansible reaches a node over ssh: the cluster's defaults, each node's own on top. */
export const SSH_KEYS: readonly KeySpec[] = [
  { key: 'host', schema: sshHost, type: 'host name or address', help: 'where ssh connects (ansible_host); default the node\'s address' },
  { key: 'port', schema: valueSchema('port'), type: 'port 1–65535', help: 'sshd\'s port (ansible_port)', default: 22 },
  { key: 'user', schema: valueSchema('userName'), type: 'user name', help: 'the ssh user (ansible_user); the wizard runs as root, so root or a user with sudo', default: 'root' },
  { key: 'privateKey', schema: valueSchema('path'), type: 'absolute path', help: 'the ssh private key on the machine running Ansible (ansible_ssh_private_key_file)' },
];

const ROLE_TYPE = ROLES.map((r) => `\`"${r}"\``).join(' \\| ');

export const NODE_KEYS: readonly KeySpec[] = [
  { key: 'name', schema: name, type: 'Ansible host name', help: 'the node\'s name: unique, the inventory host name', required: true },
  { key: 'role', schema: valueSchema('role'), type: ROLE_TYPE, help: 'what the node is', required: true },
  { key: 'address', schema: valueSchema('ip'), type: 'IPv4 or IPv6 address', help: 'the node\'s address in the cluster: managerIp, workerIps, the sync targets and the Hazelcast members are made from it', required: true },
  { key: 'productHome', schema: valueSchema('path'), type: 'absolute path', help: 'manager and worker: the API-M home on the node' },
  { key: 'serviceUser', schema: valueSchema('userName'), type: 'user name', help: 'the user that runs API-M on the node; a worker\'s is the user the manager\'s sync logs in as (default: the cluster\'s)' },
  { key: 'ssh', schema: z.optional(z.unknown()), type: 'object', help: 'this node\'s ssh settings over the cluster\'s (keys as in `ssh` below)' },
  { key: 'root', schema: valueSchema('path'), type: 'absolute path', help: 'plan and apply the node under this directory (`--root`): a jailed or test node' },
  { key: 'wizardDir', schema: valueSchema('path'), type: 'absolute path', help: 'where the wizard is put on the node (default /opt/apim-gateway-wizard)' },
  { key: 'answers', schema: z.optional(z.unknown()), type: 'answers object', help: 'this node\'s own answers, over everything derived (keys as in the answers file, except role and productHome)' },
];

export const CLUSTER_KEYS: readonly KeySpec[] = [
  { key: 'cluster', schema: z.literal(CLUSTER_FORMAT, { error: `must be ${CLUSTER_FORMAT} (the cluster file format this wizard writes and reads)` }), type: `\`${CLUSTER_FORMAT}\``, help: 'the format of the file', required: true },
  { key: 'shared', schema: z.optional(z.unknown()), type: 'answers object', help: 'answers every node takes (host names, ports, sync and Hazelcast choices); each role takes the keys it is asked for' },
  { key: 'sync', schema: valueSchema('boolean'), type: 'true / false', help: 'the manager pushes its deployment to every worker with rsync (its syncTargets are made from the workers)', default: true },
  { key: 'serviceUser', schema: valueSchema('userName'), type: 'user name', help: 'the user that runs API-M on every node, unless a node says otherwise', default: 'wso2carbon' },
  { key: 'ssh', schema: z.optional(z.unknown()), type: 'object', help: 'ssh settings of every node, unless a node says otherwise: ' + SSH_KEYS.map((k) => `\`${k.key}\``).join(', ') },
  { key: 'workerBatch', schema: z.number({ error: 'must be a number' }).check(z.int({ error: 'must be a whole number' }), z.minimum(1, { error: 'must be at least 1' }), z.maximum(MAX_ITEMS, { error: `must be at most ${MAX_ITEMS}` })), type: 'whole number ≥ 1', help: 'how many workers are configured (and started) at a time (Ansible serial)', default: 1 },
  { key: 'workerFailureBudget', schema: z.number({ error: 'must be a number' }).check(z.minimum(0, { error: 'must be 0 to 100' }), z.maximum(100, { error: 'must be 0 to 100' })), type: 'percent 0–100', help: 'the share of a batch of workers that may fail before the run stops (Ansible max_fail_percentage); 0: the first failure stops it', default: 0 },
  { key: 'nodes', schema: z.array(z.unknown(), { error: 'must be a list of nodes' }), type: `list of nodes, ≤ ${MAX_ITEMS}`, help: 'every node: exactly one manager, at least one worker, load balancers', required: true },
];

/** A strict object of the keys (unknown keys are errors), every key optional: required ones are checked by name after. */
export function objectSchema(keys: readonly KeySpec[]) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k.key, z.optional(k.schema)])));
}

export const answersLayerSchema = partialAnswersSchema;

export interface SshSettings {
  host?: string;
  port?: number;
  user?: string;
  privateKey?: string;
}

export interface ClusterNode {
  name: string;
  role: (typeof ROLES)[number];
  address: string;
  productHome?: string;
  serviceUser?: string;
  ssh?: SshSettings;
  root?: string;
  wizardDir?: string;
  answers?: Record<string, unknown>;
}

export interface ClusterFile {
  cluster: typeof CLUSTER_FORMAT;
  shared?: Record<string, unknown>;
  sync?: boolean;
  serviceUser?: string;
  ssh?: SshSettings;
  workerBatch?: number;
  workerFailureBudget?: number;
  nodes: ClusterNode[];
}

function table(keys: readonly KeySpec[], prefix = ''): string[] {
  return keys.map((k) => {
    const def = k.default !== undefined ? `\`${JSON.stringify(k.default)}\`` : k.required ? 'required' : '';
    return `| \`${prefix}${k.key}\` | ${k.type} | ${def} | ${k.help.replace(/\|/g, '\\|')} |`;
  });
}

/** The README's cluster-file reference (npm run docs). */
export function clusterReference(): string {
  return [
    '| key | type | default | meaning |',
    '|---|---|---|---|',
    ...table(CLUSTER_KEYS),
    ...table(SSH_KEYS, 'ssh.'),
    ...table(NODE_KEYS, 'nodes[].'),
  ].join('\n');
}
