// The answers schema, declared once. Every field carries what the prompts, the
// command-line flags, the answers file, the README reference and validation need.
// zod/mini: the same checks as the classic API at a fraction of the size the wizard has to
// compile at start-up (every message here is our own, so no locale is needed).
import * as z from 'zod/mini';
import { checkSyncTarget, checkSyncTargets, checkUserName } from './sync-target.js';
import { checkCronSchedule } from './cron-schedule.js';
import { shown } from '../messages/shown.js';
import { canonicalHost, checkAbsolutePath, checkHostName, checkIp, checkListenAddress, checkMember, checkPort, checkText, formatMember, memberKey } from './validators.js';
import { MAX_CHARS, MAX_ITEMS, tooLong } from './limits.js';
import { RELEASES } from '../node/release.js';

export const ROLES = ['manager', 'worker', 'load-balancer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_INFO: Record<Role, { title: string; summary: string }> = {
  'load-balancer': {
    title: 'Load balancer',
    summary: 'nginx in front of the manager (management host) and the workers (cluster host)',
  },
  manager: {
    title: 'Gateway Manager',
    summary: 'the one node that publishes APIs; pushes its deployment directory to the workers',
  },
  worker: {
    title: 'Gateway Worker',
    summary: 'serves API traffic; receives deployed artifacts from the manager over rsync',
  },
};

/** A value that names a role (a flag, an answers file, saved answers), as that role; else undefined. */
export function asRole(v: unknown): Role | undefined {
  return typeof v === 'string' && v in ROLE_INFO ? (v as Role) : undefined;
}

/** How a value is typed in a flag or a prompt, and how it is checked. */
export type FieldKind = 'role' | 'release' | 'path' | 'host' | 'ip' | 'listenIp' | 'ipList' | 'port' | 'boolean' | 'text' | 'memberList'
  | 'syncTargetList' | 'userName' | 'cronSchedule';

function refine<T>(base: z.ZodMiniType<T>, check: (v: T) => string | undefined): z.ZodMiniType<T> {
  return base.check(
    z.superRefine((v: T, ctx) => {
      const problem = check(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ) as unknown as z.ZodMiniType<T>;
}

/** A string of at most `max` characters (checked first: a longer one is never looked into, nor echoed). */
const text = (max: number, check: (v: string) => string | undefined) =>
  refine(z.string({ error: 'must be a string' }), (v) => (v.length > max ? tooLong(v.length, max) : check(v)));

/** A list of at most MAX_ITEMS entries (checked before any entry), without the same entry twice (compared by `key`). */
function list(item: z.ZodMiniType<string>, error: string, key: (v: string) => string, whole?: (v: string[]) => string | undefined): z.ZodMiniType<string[]> {
  const bounded = refine(z.array(z.unknown(), { error }), (v) => (v.length > MAX_ITEMS ? `lists ${v.length} entries; at most ${MAX_ITEMS} are allowed` : undefined));
  const entries = refine(z.array(item), (v) => {
    const keys = v.map(key);
    const i = keys.findIndex((k, j) => keys.indexOf(k) !== j);
    if (i >= 0) {
      const first = v[keys.indexOf(keys[i]!)]!;
      return first === v[i] ? `lists ${shown(first)} twice` : `lists the same entry twice: ${shown(first)} and ${shown(v[i])}`;
    }
    return whole?.(v);
  });
  return z.pipe(bounded, entries as unknown as z.ZodMiniType<string[], unknown[]>) as unknown as z.ZodMiniType<string[]>;
}

const VALUE_SCHEMAS = {
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  release: z.enum(RELEASES, { error: `must be one of ${RELEASES.join(', ')} (the API-M 2.x releases this wizard knows)` }),
  path: text(MAX_CHARS.path, checkAbsolutePath),
  host: text(MAX_CHARS.host, checkHostName),
  ip: text(MAX_CHARS.ip, checkIp),
  listenIp: text(MAX_CHARS.ip, checkListenAddress),
  // The same address in two spellings (2001:db8::1, 2001:0db8:0::1) is the same worker.
  ipList: list(text(MAX_CHARS.ip, checkIp), 'must be a list of addresses', canonicalHost),
  port: refine(z.number({ error: 'must be a number' }), checkPort),
  boolean: z.boolean({ error: 'must be true or false' }),
  // Free text still may not carry control characters: values end up in config files and scripts.
  text: text(MAX_CHARS.text, checkText),
  // Hazelcast well-known members: "IP:port", IPv6 as "[addr]:port".
  memberList: list(text(MAX_CHARS.member, checkMember), 'must be a list of IP:port members', memberKey),
  // rsync deployment sync: each worker as "user@host:/product/home".
  syncTargetList: list(text(MAX_CHARS.syncTarget, checkSyncTarget), 'must be a list of user@host:/product/home', (v) => v, checkSyncTargets),
  userName: text(MAX_CHARS.userName, checkUserName),
  cronSchedule: text(MAX_CHARS.cronSchedule, checkCronSchedule),
} satisfies Record<FieldKind, z.ZodMiniType>;

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  /** Long flag name, without the dashes. */
  flag: string;
  prompt: string;
  /** One line shown under the prompt and in the README reference. */
  help: string;
  /** Roles that ask for this field. */
  roles: readonly Role[];
  /** Roles that cannot be planned without it. */
  requiredFor: readonly Role[];
  /** Applied when nothing else gives a value (headless too). */
  default?: unknown;
  /** Asked and required only when this holds for the answers so far (e.g. only with Hazelcast on). */
  when?: (a: Partial<Record<string, unknown>>) => boolean;
  /** Computed from the other answers when nothing gives a value. */
  derive?: (a: Partial<Record<string, unknown>>) => unknown;
  /** The docs' sample value: offered in the prompts, never applied silently. */
  docsExample?: unknown;
  /** false: a flag and answers-file key only, never a question (the welcome screen shows what was read). */
  asked?: false;
}

/** Step 4 fields are asked only with Hazelcast on. */
const hazelcastOn = (a: Partial<Record<string, unknown>>) => a.hazelcast === true;

/** Docs: localMemberPort 4500 on the manager, 4200 on the workers (not shifted by the port offset). */
const memberPort = (role: unknown) => (role === 'manager' ? 4500 : 4200);

/** Default well-known members: the manager and the workers it knows; a worker lists the manager and itself. */
function deriveMembers(a: Partial<Record<string, unknown>>): string[] | undefined {
  const ip = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const port = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  const manager = a.role === 'manager' ? ip(a.localMemberHost) ?? ip(a.managerIp) : ip(a.managerIp);
  if (!manager) return undefined;
  const list = [formatMember(manager, a.role === 'manager' ? port(a.localMemberPort, 4500) : 4500)];
  if (a.role === 'manager' && Array.isArray(a.workerIps)) list.push(...a.workerIps.map((w: string) => formatMember(w, 4200)));
  const self = ip(a.localMemberHost);
  if (a.role === 'worker' && self) list.push(formatMember(self, port(a.localMemberPort, 4200)));
  // One entry per member, whatever the spelling (a worker given as ::ffff:10.0.0.5 is 10.0.0.5).
  return list.filter((m, i) => list.findIndex((o) => memberKey(o) === memberKey(m)) === i);
}

/** The rsync step is on when the manager lists at least one worker to push to. */
const syncOn = (a: Partial<Record<string, unknown>>) => Array.isArray(a.syncTargets) && a.syncTargets.length > 0;

export const FIELDS = [
  {
    key: 'role', kind: 'role', flag: 'role',
    prompt: 'What is this node?',
    help: 'manager, worker or load-balancer',
    roles: ROLES, requiredFor: ROLES,
  },
  {
    key: 'productHome', kind: 'path', flag: 'home',
    prompt: 'Product home (where wso2am-2.x.0 is unpacked)',
    help: 'absolute path of the API-M home on this node (<API-M_HOME>)',
    roles: ['manager', 'worker'], requiredFor: ['manager', 'worker'],
  },
  {
    key: 'release', kind: 'release', flag: 'release',
    prompt: 'API-M release',
    help: 'only to override what the product says (carbon.xml <Version>, bin/version.txt): decides the throttling step, the start flags and what the manager pushes',
    roles: ['manager', 'worker'], requiredFor: [], asked: false,
  },
  {
    key: 'hostName', kind: 'host', flag: 'host-name',
    prompt: 'Cluster host name (the name API clients and workers use)',
    help: 'carbon.xml <HostName> on every Gateway node; the load balancer routes it to the workers',
    roles: ROLES, requiredFor: ROLES, docsExample: 'am.wso2.com',
  },
  {
    key: 'mgtHostName', kind: 'host', flag: 'mgt-host-name',
    prompt: 'Management host name (the Gateway Manager)',
    help: 'carbon.xml <MgtHostName> on the manager; workers map it to the manager in /etc/hosts',
    roles: ROLES, requiredFor: ROLES, docsExample: 'mgt.am.wso2.com',
  },
  {
    key: 'managerIp', kind: 'ip', flag: 'manager-ip',
    prompt: 'Gateway Manager address',
    help: 'IPv4 or IPv6 address of the Gateway Manager',
    roles: ROLES, requiredFor: ['worker', 'load-balancer'],
  },
  {
    key: 'workerIps', kind: 'ipList', flag: 'worker-ips',
    prompt: 'Gateway Worker addresses (comma-separated)',
    help: 'addresses of every Gateway Worker; flag: comma-separated',
    roles: ['manager', 'load-balancer'], requiredFor: ['load-balancer'],
  },
  {
    key: 'clusterHostIp', kind: 'ip', flag: 'cluster-host-ip',
    prompt: 'Address for the cluster host name in this manager\'s /etc/hosts',
    help: 'manager only: where the manager resolves the cluster host name; the load balancer\'s address, or one worker\'s (default: the first worker)',
    roles: ['manager'], requiredFor: ['manager'],
    derive: (a) => (Array.isArray(a.workerIps) ? a.workerIps[0] : undefined),
  },
  {
    key: 'proxyHttpPort', kind: 'port', flag: 'proxy-http-port',
    prompt: 'HTTP port clients use on the load balancer',
    help: 'catalina-server.xml proxyPort of the 9763 connector; the port the load balancer listens on for HTTP',
    roles: ROLES, requiredFor: [], default: 80,
  },
  {
    key: 'proxyHttpsPort', kind: 'port', flag: 'proxy-https-port',
    prompt: 'HTTPS port clients use on the load balancer',
    help: 'catalina-server.xml proxyPort of the 9443 connector; the port the load balancer listens on for HTTPS',
    roles: ROLES, requiredFor: [], default: 443,
  },
  {
    key: 'managerPort', kind: 'port', flag: 'manager-port',
    prompt: 'Gateway Manager HTTPS port (management console, admin services)',
    help: 'load balancer: where the management host name goes on the manager (WSO2 default 9443)',
    roles: ['load-balancer'], requiredFor: [], default: 9443,
  },
  {
    key: 'workerHttpsPort', kind: 'port', flag: 'worker-https-port',
    prompt: 'Gateway Worker HTTPS API port',
    help: 'load balancer: where HTTPS API traffic for the cluster host name goes on every worker (WSO2 default 8243)',
    roles: ['load-balancer'], requiredFor: [], default: 8243,
  },
  {
    key: 'httpApiTraffic', kind: 'boolean', flag: 'http-api-traffic',
    prompt: 'Also pass plain HTTP API traffic to the workers?',
    help: 'load balancer: the cluster host name on the HTTP port goes to the workers\' HTTP API port instead of redirecting to HTTPS',
    roles: ['load-balancer'], requiredFor: [], default: false,
  },
  {
    key: 'workerHttpPort', kind: 'port', flag: 'worker-http-port',
    prompt: 'Gateway Worker HTTP API port',
    help: 'load balancer, with httpApiTraffic: where HTTP API traffic goes on every worker (WSO2 default 8280)',
    roles: ['load-balancer'], requiredFor: [], default: 8280,
    when: (a) => a.httpApiTraffic === true,
  },
  {
    key: 'listenAddress', kind: 'listenIp', flag: 'listen-address',
    prompt: 'Address nginx listens on (empty: every address of this machine)',
    help: 'load balancer: one local address for the listen directives; default every address',
    roles: ['load-balancer'], requiredFor: [],
  },
  {
    key: 'selfSignedCertificate', kind: 'boolean', flag: 'self-signed-certificate',
    prompt: 'Create a self-signed certificate for a trial?',
    help: 'load balancer: openssl makes a certificate for both host names (key mode 600) at tlsCertificate and tlsCertificateKey; clients will not trust it',
    roles: ['load-balancer'], requiredFor: [], default: false,
  },
  {
    key: 'tlsCertificate', kind: 'path', flag: 'tls-certificate',
    prompt: 'TLS certificate file (PEM) for both host names',
    help: 'load balancer: must exist, unless selfSignedCertificate (then created there; default /etc/nginx/ssl/<hostName>.crt)',
    roles: ['load-balancer'], requiredFor: ['load-balancer'],
    derive: (a) => (a.selfSignedCertificate === true && typeof a.hostName === 'string' ? `/etc/nginx/ssl/${a.hostName}.crt` : undefined),
  },
  {
    key: 'tlsCertificateKey', kind: 'path', flag: 'tls-certificate-key',
    prompt: 'TLS private key file (PEM) of that certificate',
    help: 'load balancer: must exist, unless selfSignedCertificate (then created there, mode 600; default /etc/nginx/ssl/<hostName>.key)',
    roles: ['load-balancer'], requiredFor: ['load-balancer'],
    derive: (a) => (a.selfSignedCertificate === true && typeof a.hostName === 'string' ? `/etc/nginx/ssl/${a.hostName}.key` : undefined),
  },
  {
    key: 'nginxSite', kind: 'path', flag: 'nginx-site',
    prompt: 'Where the nginx site goes',
    help: 'load balancer: default from nginx -V and the directories present: sites-available/apim-gateway (linked from sites-enabled) on Debian, else conf.d/apim-gateway.conf',
    roles: ['load-balancer'], requiredFor: ['load-balancer'],
  },
  {
    key: 'syncTargets', kind: 'syncTargetList', flag: 'sync-targets',
    prompt: 'Workers to push deployed artifacts to (user@host:/product/home, comma-separated; empty: no rsync)',
    help: 'manager, step 3: every Gateway Worker as the ssh user that runs it, its address and its product home; the manager pushes repository/deployment/server/ there from cron. Empty: no deployment sync',
    roles: ['manager'], requiredFor: [],
  },
  {
    key: 'syncCronUser', kind: 'userName', flag: 'sync-cron-user',
    prompt: 'Local user that runs the sync from cron (it owns the ssh key)',
    help: 'with syncTargets: the user in the /etc/cron.d entry; usually the user that runs API-M on this manager',
    roles: ['manager'], requiredFor: ['manager'], docsExample: 'wso2carbon',
    when: syncOn,
  },
  {
    key: 'syncKey', kind: 'path', flag: 'sync-key',
    prompt: 'ssh private key the sync logs in with (created by `sync --create-key` when missing)',
    help: 'with syncTargets: private key of syncCronUser, without a passphrase; its .pub goes into each worker user\'s authorized_keys (default <productHome>/depsync/id_ed25519)',
    roles: ['manager'], requiredFor: ['manager'],
    when: syncOn,
    derive: (a) => (typeof a.productHome === 'string' ? `${a.productHome.replace(/\/+$/, '')}/depsync/id_ed25519` : undefined),
  },
  {
    key: 'syncSshPort', kind: 'port', flag: 'sync-ssh-port',
    prompt: 'ssh port of the workers',
    help: 'with syncTargets: the port sshd listens on on every worker',
    roles: ['manager'], requiredFor: [], default: 22,
    when: syncOn,
  },
  {
    key: 'syncSchedule', kind: 'cronSchedule', flag: 'sync-schedule',
    prompt: 'When cron runs the sync (5 cron fields)',
    help: 'with syncTargets: the cron schedule; default every minute, as WSO2 recommends',
    roles: ['manager'], requiredFor: [], default: '* * * * *',
    when: syncOn,
  },
  {
    key: 'syncTenants', kind: 'boolean', flag: 'sync-tenants',
    prompt: 'Also sync tenants (repository/tenants/, only when tenants are used)?',
    help: 'with syncTargets: also push repository/tenants/ to each worker\'s repository/tenants/, as its own pair',
    roles: ['manager'], requiredFor: [], default: false,
    when: syncOn,
  },
  {
    key: 'hazelcast', kind: 'boolean', flag: 'hazelcast',
    prompt: 'Cluster the Gateway nodes with Hazelcast? (optional, step 4)',
    help: 'axis2.xml clustering: true turns it on (immediate token revocation and shared throttling counters across gateways), false turns it off; not given: axis2.xml is left as it is',
    roles: ['manager', 'worker'], requiredFor: [],
  },
  {
    key: 'hazelcastDomain', kind: 'text', flag: 'hazelcast-domain',
    prompt: 'Cluster domain (the same on every node)',
    help: 'with hazelcast: axis2.xml clustering parameter domain, the same on every Gateway node',
    roles: ['manager', 'worker'], requiredFor: ['manager', 'worker'], default: 'wso2.am.domain',
    when: hazelcastOn,
  },
  {
    key: 'localMemberHost', kind: 'ip', flag: 'local-member-host',
    prompt: 'This node\'s address for cluster messages',
    help: 'with hazelcast: axis2.xml localMemberHost, the address other nodes reach this one on (default on the manager: managerIp)',
    roles: ['manager', 'worker'], requiredFor: ['manager', 'worker'],
    when: hazelcastOn,
    derive: (a) => (a.role === 'manager' ? a.managerIp : undefined),
  },
  {
    key: 'localMemberPort', kind: 'port', flag: 'local-member-port',
    prompt: 'This node\'s cluster port',
    help: 'with hazelcast: axis2.xml localMemberPort (docs: 4500 manager, 4200 worker; not shifted by the port offset)',
    roles: ['manager', 'worker'], requiredFor: ['manager', 'worker'],
    when: hazelcastOn,
    derive: (a) => memberPort(a.role),
  },
  {
    key: 'hazelcastMembers', kind: 'memberList', flag: 'hazelcast-members',
    prompt: 'Well-known members (IP:port, comma-separated)',
    help: 'with hazelcast: axis2.xml <members>, every node as IP:port; default the manager (:4500) and the workers (:4200) this node knows',
    roles: ['manager', 'worker'], requiredFor: ['manager', 'worker'],
    when: hazelcastOn,
    derive: deriveMembers,
  },
  {
    key: 'resetDeployment', kind: 'boolean', flag: 'reset-deployment',
    prompt: 'First setup of this worker: move repository/deployment/server aside and start with a new one?',
    help: 'worker, step 5 (2.0.0 to 2.2.0): moves repository/deployment/server into the backup area and makes a new one, holding only a copy of synapse-configs/, for the manager\'s rsync to fill; done once (the wizard remembers), only when true',
    roles: ['worker'], requiredFor: [], default: false,
  },
] as const satisfies readonly FieldSpec[];

export type FieldKey = (typeof FIELDS)[number]['key'];

type ValueOf<K extends FieldKind> = z.infer<(typeof VALUE_SCHEMAS)[K]>;
export type Answers = { role: Role } & {
  -readonly [F in (typeof FIELDS)[number] as F['key']]?: ValueOf<F['kind']>;
};

export function fieldByKey(key: string): FieldSpec | undefined {
  return (FIELDS as readonly FieldSpec[]).find((f) => f.key === key);
}

export function valueSchema(kind: FieldKind): z.ZodMiniType {
  return VALUE_SCHEMAS[kind];
}

/** Every key optional and strict (unknown keys are errors): the shape of one layer of answers. */
export const partialAnswersSchema = z.strictObject(
  Object.fromEntries(FIELDS.map((f) => [f.key, z.optional(VALUE_SCHEMAS[f.kind])])) as Record<FieldKey, z.ZodMiniOptional<z.ZodMiniType>>,
);
