// `cluster init`: a cluster file from the topology given once (every node NAME=ROLE@ADDRESS) and
// the answers every node shares; checked as each node will check its part before it is written.
import { AnswersError, type AnswersLayer } from '../answers/load.js';
import { ROLES, fieldByKey, type Role } from '../answers/schema.js';
import { shown } from '../messages/shown.js';
import { CLUSTER_FORMAT, type ClusterFile, type ClusterNode } from './cluster-file.js';
import { deriveCluster, parseCluster, type DerivedNode } from './derive.js';

export const NODE_SPEC = 'NAME=ROLE@ADDRESS';

function nodeOf(text: string): ClusterNode {
  const m = /^([^=@]*)=([^@]*)@(.*)$/.exec(text);
  if (!m) throw new AnswersError([`--node "${shown(text, 200)}": write it as ${NODE_SPEC} (e.g. worker-1=worker@192.0.2.21)`]);
  const [, name, role, address] = m as unknown as [string, string, string, string];
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AnswersError([`--node "${shown(text, 200)}": the role "${shown(role, 40)}" is not one of ${ROLES.join(', ')}`]);
  }
  return { name, role: role as Role, address };
}

export interface Composed {
  file: ClusterFile;
  /** Every node's answers, as derived when the file is read: the file is only written when this succeeds. */
  nodes: DerivedNode[];
}

/**
 * The cluster file for these nodes: every manager and worker gets `productHome` (the same home on
 * each; a node's own is edited in the file afterwards), `shared` the other answers given.
 */
export function composeCluster(specs: readonly string[], layer: AnswersLayer, source: string): Composed {
  if (!specs.length) throw new AnswersError([`--node: give every node of the cluster, one --node ${NODE_SPEC} each (one manager, the workers, the load balancers)`]);
  const problems: string[] = [];
  const nodes: ClusterNode[] = [];
  for (const spec of specs) {
    try {
      nodes.push(nodeOf(spec));
    } catch (e) {
      if (!(e instanceof AnswersError)) throw e;
      problems.push(...e.problems);
    }
  }
  const { productHome, ...shared } = layer;
  if (productHome === undefined) problems.push(`--${fieldByKey('productHome')!.flag}: the API-M home on the manager and the workers is required`);
  if (problems.length) throw new AnswersError(problems);
  return composeFile(nodes.map((n) => (n.role === 'load-balancer' ? n : { ...n, productHome: productHome as string })), shared, source);
}

/** The cluster file of these nodes and shared answers, read back exactly as `cluster check` will read it: the same checks, the same messages. */
export function composeFile(nodes: ClusterNode[], shared: AnswersLayer, source: string): Composed {
  const file: ClusterFile = { cluster: CLUSTER_FORMAT, ...(Object.keys(shared).length ? { shared } : {}), nodes };
  return { file, nodes: deriveCluster(parseCluster(JSON.parse(JSON.stringify(file)), source), source) };
}
