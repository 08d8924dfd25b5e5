// Every node's answers, derived from the cluster file: what the nodes share, what follows from
// the topology (the manager's address, the workers' list, the sync targets, the Hazelcast
// members), the node's own values on top; each checked by the answers schema as the node will.
import { AnswersError, checkLayer, describeIssues, readJsonFile, resolveAnswers, type AnswersLayer } from '../answers/load.js';
import { FIELDS, type FieldSpec, type Role } from '../answers/schema.js';
import { formatTarget } from '../answers/sync-target.js';
import { formatMember, sameHost } from '../answers/validators.js';
import { shown } from '../messages/shown.js';
import { CLUSTER_KEYS, NODE_KEYS, SSH_KEYS, objectSchema, type ClusterFile, type ClusterNode, type SshSettings } from './cluster-file.js';
import { MAX_ITEMS } from '../answers/limits.js';

/** A node as Ansible reaches it and as the wizard on it is told to plan it. */
export interface DerivedNode {
  name: string;
  role: Role;
  address: string;
  ssh: { host: string; port: number; user: string; privateKey?: string };
  root?: string;
  wizardDir?: string;
  /** The node's answers file, as the wizard there takes it (defaults and detected values are added there). */
  answers: AnswersLayer;
}

/** Keys the topology decides: a value in `shared` would be the same for every node, which none of them can be. */
export const FROM_TOPOLOGY = ['role', 'productHome', 'managerIp', 'workerIps', 'clusterHostIp', 'syncTargets', 'localMemberHost', 'hazelcastMembers'];
/** Keys a node says with its own keys, not in its answers. */
const NODE_OWN: Record<string, string> = { role: 'role', productHome: 'productHome' };

const ORDER: Record<Role, number> = { manager: 0, worker: 1, 'load-balancer': 2 };
const GATEWAY = (r: Role) => r === 'manager' || r === 'worker';

function structure(value: unknown, keys: Parameters<typeof objectSchema>[0], source: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AnswersError([`${source}: must be a JSON object`]);
  const r = objectSchema(keys).safeParse(value);
  if (!r.success) throw new AnswersError(describeIssues(r.error.issues, source));
  const missing = keys.filter((k) => k.required && (value as Record<string, unknown>)[k.key] === undefined);
  if (missing.length) throw new AnswersError(missing.map((k) => `${source}: ${k.key} is missing (${k.help})`));
  return r.data as Record<string, unknown>;
}

/** The file's shape: every key known and of its type; problems name the file, the node and the key. */
export function parseCluster(json: unknown, source: string): ClusterFile {
  const top = structure(json, CLUSTER_KEYS, source);
  const problems: string[] = [];
  const collect = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof AnswersError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  const ssh = top.ssh === undefined ? undefined : collect(() => structure(top.ssh, SSH_KEYS, `${source}: ssh`) as SshSettings);
  const shared = top.shared === undefined ? undefined : collect(() => checkLayer(top.shared, `${source}: shared`));
  for (const key of Object.keys(shared ?? {}).filter((k) => FROM_TOPOLOGY.includes(k))) {
    problems.push(`${source}: shared: ${key} is made from the nodes (their roles and addresses); a node's own "answers" may override it`);
  }
  const list = top.nodes as unknown[];
  if (list.length > MAX_ITEMS) throw new AnswersError([`${source}: nodes lists ${list.length} nodes; at most ${MAX_ITEMS} are allowed`]);
  const nodes: ClusterNode[] = [];
  list.forEach((raw, i) => {
    const label = typeof (raw as { name?: unknown })?.name === 'string' ? `node "${shown((raw as { name: string }).name, 63)}"` : `nodes[${i}]`;
    const node = collect(() => structure(raw, NODE_KEYS, `${source}: ${label}`) as unknown as ClusterNode);
    if (!node) return;
    if (node.ssh !== undefined) collect(() => structure(node.ssh, SSH_KEYS, `${source}: ${label}: ssh`));
    if (node.answers !== undefined) {
      const own = collect(() => checkLayer(node.answers, `${source}: ${label}: answers`));
      for (const key of Object.keys(own ?? {}).filter((k) => k in NODE_OWN)) {
        problems.push(`${source}: ${label}: answers: ${key} is the node's own key "${NODE_OWN[key]}", not an answer`);
      }
    }
    nodes.push(node);
  });
  if (problems.length) throw new AnswersError(problems);
  return { ...(top as unknown as ClusterFile), ...(ssh ? { ssh } : {}), ...(shared ? { shared } : {}), nodes };
}

function topologyProblems(nodes: ClusterNode[], source: string): string[] {
  const problems: string[] = [];
  const managers = nodes.filter((n) => n.role === 'manager');
  if (managers.length !== 1) {
    problems.push(`${source}: nodes: ${managers.length === 0 ? 'no manager' : `${managers.length} managers (${managers.map((m) => m.name).join(', ')})`}; a Gateway has exactly one Gateway Manager`);
  }
  if (!nodes.some((n) => n.role === 'worker')) problems.push(`${source}: nodes: no worker; a Gateway has at least one Gateway Worker`);
  nodes.forEach((n, i) => {
    const first = nodes.findIndex((o) => o.name === n.name);
    if (first !== i) problems.push(`${source}: nodes[${i}]: the name "${n.name}" is also nodes[${first}]'s; every node needs its own`);
    const same = nodes.findIndex((o) => sameHost(o.address, n.address));
    if (same !== i) problems.push(`${source}: node "${n.name}": address ${n.address} is also node "${nodes[same]!.name}"'s; every node has its own address`);
    if (GATEWAY(n.role) && n.productHome === undefined) problems.push(`${source}: node "${n.name}": productHome is missing (a ${n.role} needs the API-M home on the node)`);
    if (!GATEWAY(n.role) && n.productHome !== undefined) problems.push(`${source}: node "${n.name}": productHome: a load balancer has no product home`);
  });
  return problems;
}

/** Only the keys the role is asked for: a load balancer does not carry the Hazelcast choice. */
function forRole(layer: AnswersLayer | undefined, role: Role): AnswersLayer {
  return Object.fromEntries(Object.entries(layer ?? {}).filter(([k]) => (FIELDS as readonly FieldSpec[]).find((f) => f.key === k)!.roles.includes(role)));
}

const memberPort = (n: ClusterNode) => (typeof n.answers?.localMemberPort === 'number' ? n.answers.localMemberPort : n.role === 'manager' ? 4500 : 4200);
const memberHost = (n: ClusterNode) => (typeof n.answers?.localMemberHost === 'string' ? n.answers.localMemberHost : n.address);

/** What the topology says for one node (before its own answers). */
function topology(cluster: ClusterFile, n: ClusterNode, source: string): AnswersLayer {
  const manager = cluster.nodes.find((o) => o.role === 'manager')!;
  const workers = cluster.nodes.filter((o) => o.role === 'worker');
  const lbs = cluster.nodes.filter((o) => o.role === 'load-balancer');
  const layer: AnswersLayer = { role: n.role, managerIp: manager.address };
  if (GATEWAY(n.role)) layer.productHome = n.productHome;
  if (n.role !== 'worker') layer.workerIps = workers.map((w) => w.address);
  if (n.role === 'manager') {
    // The cluster host name, seen from the manager, is the load balancer (WSO2's hosts mapping).
    if (lbs[0]) layer.clusterHostIp = lbs[0].address;
    if (cluster.sync !== false) {
      layer.syncTargets = workers.map((w) => formatTarget({ user: w.serviceUser ?? cluster.serviceUser ?? 'wso2carbon', host: w.address, home: w.productHome! }));
      layer.syncCronUser = n.serviceUser ?? cluster.serviceUser ?? 'wso2carbon';
      // rsync reaches every worker's sshd on one port: the port Ansible uses, when the workers agree.
      const ports = [...new Set(workers.map((w) => w.ssh?.port ?? cluster.ssh?.port ?? 22))];
      if (ports.length === 1) layer.syncSshPort = ports[0];
      else if (cluster.shared?.syncSshPort === undefined) {
        throw new AnswersError([`${source}: the workers' ssh ports differ (${ports.join(', ')}); the manager's sync uses one port for every worker: give shared.syncSshPort`]);
      }
    }
  }
  const hazelcast = (m: ClusterNode) => (m.answers?.hazelcast ?? cluster.shared?.hazelcast) === true;
  if (GATEWAY(n.role) && hazelcast(n)) {
    layer.localMemberHost = n.address;
    layer.hazelcastMembers = cluster.nodes.filter((m) => GATEWAY(m.role) && hazelcast(m)).sort((a, b) => ORDER[a.role] - ORDER[b.role]).map((m) => formatMember(memberHost(m), memberPort(m)));
  }
  return layer;
}

/** Values a node detects for itself (where nginx keeps its sites): stood in for while the file is checked here. */
const DETECTED_ON_NODE: Partial<Record<Role, AnswersLayer>> = { 'load-balancer': { nginxSite: '/etc/nginx/sites-available/apim-gateway' } };

/** Every node's answers (manager, workers, load balancers: WSO2's order), each checked as its node will check it. */
export function deriveCluster(cluster: ClusterFile, source: string): DerivedNode[] {
  const problems = topologyProblems(cluster.nodes, source);
  if (problems.length) throw new AnswersError(problems);
  const out: DerivedNode[] = [];
  for (const n of [...cluster.nodes].sort((a, b) => ORDER[a.role] - ORDER[b.role])) {
    const label = `${source}: node "${n.name}"`;
    try {
      // role and productHome first: the answers read in the order an admin would write them.
      const own = topology(cluster, n, source);
      const answers = { role: own.role, ...(own.productHome ? { productHome: own.productHome } : {}), ...forRole(cluster.shared, n.role), ...own, ...forRole(n.answers, n.role) };
      resolveAnswers(DETECTED_ON_NODE[n.role] ?? {}, answers);
      const ssh = { ...cluster.ssh, ...n.ssh };
      out.push({
        name: n.name,
        role: n.role,
        address: n.address,
        ssh: { host: ssh.host ?? n.address, port: ssh.port ?? 22, user: ssh.user ?? 'root', ...(ssh.privateKey ? { privateKey: ssh.privateKey } : {}) },
        ...(n.root ? { root: n.root } : {}),
        ...(n.wizardDir ? { wizardDir: n.wizardDir } : {}),
        answers,
      });
    } catch (e) {
      if (!(e instanceof AnswersError)) throw e;
      problems.push(...e.problems.map((p) => (p.startsWith(source) ? p : `${label}: ${p.replace(/^answers: /, '')}`)));
    }
  }
  if (problems.length) throw new AnswersError(problems);
  return out;
}

/** The cluster as the playbooks take it: every node, and how the workers go in batches. */
export interface Cluster {
  nodes: DerivedNode[];
  workerBatch: number;
  workerFailureBudget: number;
}

/** The manager pushes its deployment to the workers after its start (its answers name sync targets). */
export const managerPushes = (cluster: Cluster): boolean =>
  cluster.nodes.some((n) => n.role === 'manager' && Array.isArray(n.answers.syncTargets) && n.answers.syncTargets.length > 0);

export async function readCluster(file: string): Promise<Cluster> {
  const source = shown(file, 400);
  const cluster = parseCluster(await readJsonFile(file, 'cluster file'), source);
  return { nodes: deriveCluster(cluster, source), workerBatch: cluster.workerBatch ?? 1, workerFailureBudget: cluster.workerFailureBudget ?? 0 };
}
