// The interactive cluster path's questions, as the schema's own fields: the topology once (the
// manager's and the workers' addresses are the answers' managerIp and workerIps; the load
// balancers' a list of the same kind), then the answers the nodes share, then each node's own.
import type { AnswersLayer } from '../answers/load.js';
import { FIELDS, ROLES, fieldByKey, type FieldSpec, type Role } from '../answers/schema.js';
import { questionFields } from '../answers/prefill.js';
import { SSH_KEYS, type ClusterNode } from './cluster-file.js';
import { FROM_TOPOLOGY } from './derive.js';

/** A question and the role its text is checked as (whose requiredFor decides whether empty is allowed). */
export interface ClusterQuestion {
  field: FieldSpec;
  checkAs: Role;
  /** Left empty, each node takes its own (its default, or what it finds there: the nginx site from nginx -V). */
  eachNode?: true;
}

const LOAD_BALANCERS: FieldSpec = {
  key: 'loadBalancerIps', kind: 'ipList', flag: 'node',
  prompt: 'Load balancer addresses (comma-separated)',
  help: 'the nginx nodes in front of the cluster (empty: none in this cluster file)',
  roles: ['load-balancer'], requiredFor: [],
};

export const TOPOLOGY: readonly ClusterQuestion[] = [
  { field: fieldByKey('managerIp')!, checkAs: 'worker' },
  { field: fieldByKey('workerIps')!, checkAs: 'load-balancer' },
  { field: LOAD_BALANCERS, checkAs: 'load-balancer' },
  { field: fieldByKey('productHome')!, checkAs: 'manager' },
];

export interface Topology {
  managerIp: string;
  workerIps: string[];
  loadBalancerIps: string[];
  productHome: string;
}

/** The nodes, named as an admin would: manager, worker-1…N, load-balancer (or load-balancer-1…N). */
export function topologyNodes(t: Topology): ClusterNode[] {
  const lbs = t.loadBalancerIps;
  return [
    { name: 'manager', role: 'manager', address: t.managerIp, productHome: t.productHome },
    ...t.workerIps.map((address, i): ClusterNode => ({ name: `worker-${i + 1}`, role: 'worker', address, productHome: t.productHome })),
    ...lbs.map((address, i): ClusterNode => ({ name: lbs.length === 1 ? 'load-balancer' : `load-balancer-${i + 1}`, role: 'load-balancer', address })),
  ];
}

/**
 * The shared answers asked: every question of the roles the cluster has, but what the topology
 * makes (FROM_TOPOLOGY), in the schema's order; each checked as a role that asks it.
 */
export function sharedQuestions(roles: readonly Role[]): ClusterQuestion[] {
  const asked = new Map<string, Role>();
  for (const role of ROLES.filter((r) => roles.includes(r))) {
    for (const f of questionFields(role)) if (!FROM_TOPOLOGY.includes(f.key) && !asked.has(f.key)) asked.set(f.key, role);
  }
  return (FIELDS as readonly FieldSpec[]).filter((f) => asked.has(f.key)).map((field) => ({ field, checkAs: asked.get(field.key)!, eachNode: true }));
}

const SSH_USER = SSH_KEYS.find((k) => k.key === 'user')!;

/** A node's own values: its product home (manager and workers) and its ssh user; keys `<node>.productHome`, `<node>.sshUser`. */
export function nodeQuestions(nodes: readonly ClusterNode[]): ClusterQuestion[] {
  return nodes.flatMap((n): ClusterQuestion[] => {
    const home = fieldByKey('productHome')!;
    const own: ClusterQuestion[] = n.role === 'load-balancer' ? [] : [{ field: { ...home, key: `${n.name}.productHome`, prompt: `${n.name}: product home`, help: `the API-M home on ${n.name} (${n.address})` }, checkAs: 'manager' }];
    own.push({
      field: { key: `${n.name}.sshUser`, kind: 'userName', flag: 'node', prompt: `${n.name}: ssh user`, help: `who Ansible logs in as on ${n.name}: ${SSH_USER.help}`, roles: [n.role], requiredFor: [], default: SSH_USER.default },
      checkAs: n.role,
    });
    return own;
  });
}

/** The nodes with their own values: a product home or ssh user that differs from the cluster's is written on the node. */
export function withOwnValues(nodes: readonly ClusterNode[], own: AnswersLayer): ClusterNode[] {
  return nodes.map((n) => {
    const home = own[`${n.name}.productHome`];
    const user = own[`${n.name}.sshUser`];
    return {
      ...n,
      ...(typeof home === 'string' ? { productHome: home } : {}),
      ...(typeof user === 'string' && user !== SSH_USER.default ? { ssh: { user } } : {}),
    };
  });
}
