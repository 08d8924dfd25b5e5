// What Ansible's check of every node said, node by node: read from the collection's results
// callback (ANSIBLE_STDOUT_CALLBACK=apim.gateway.results), where the module returns each node's document.
import type { Role } from '../answers/schema.js';
import type { DerivedNode } from './derive.js';

/** The keys of the node document (plan --json) the cluster review reads. */
export interface NodeDocumentView {
  summary: string;
  files: { path: string; status: string; reasons: string[]; diff: string; localEdits?: string }[];
  resets?: { dir: string; reason: string }[];
  answers: string[];
  warnings: string[];
  pending: number;
  errors: string[];
  exitCode: number;
}

export type NodeState = 'in-sync' | 'pending' | 'unreachable' | 'failed';

export interface NodeOutcome {
  name: string;
  role: Role;
  address: string;
  state: NodeState;
  document?: NodeDocumentView;
  /** Why a node failed or could not be reached. */
  message?: string;
}

interface HostResult {
  unreachable?: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: unknown;
  stderr?: string;
  module_stderr?: string;
  module_stdout?: string;
  document?: NodeDocumentView;
}

/** Why a task failed, in Ansible's words: its message, else what the module or command printed. */
const why = (r: HostResult) => [r.msg, r.stderr, r.module_stderr, r.module_stdout].find((v) => typeof v === 'string' ? v.trim() !== '' : v !== undefined) ?? 'failed';

interface CallbackOutput {
  plays?: { tasks?: { task?: { name?: string }; hosts?: Record<string, HostResult> }[] }[];
  stats?: Record<string, { unreachable?: number; failures?: number }>;
}

/** The results callback's document; what a plugin printed before it (a deprecation line) is skipped. */
export function parseCallback(output: string): CallbackOutput {
  const start = output.indexOf('{');
  if (start < 0) throw new Error(`ansible-playbook printed no result${output.trim() ? `: ${output.trim().slice(0, 400)}` : ''}`);
  return JSON.parse(output.slice(start)) as CallbackOutput;
}

const oneLine = (v: unknown) => String(typeof v === 'string' ? v : JSON.stringify(v)).replace(/\s+/g, ' ').trim();

/** One outcome per node of the cluster, in the cluster's order; a node Ansible says nothing of is failed. */
export function outcomes(nodes: DerivedNode[], output: string): NodeOutcome[] {
  const parsed = parseCallback(output);
  const tasks = (parsed.plays ?? []).flatMap((p) => p.tasks ?? []);
  return nodes.map((n): NodeOutcome => {
    const base = { name: n.name, role: n.role, address: n.address };
    const results = tasks.map((t) => ({ task: t.task?.name ?? '', r: t.hosts?.[n.name] })).filter((x): x is { task: string; r: HostResult } => x.r !== undefined);
    const unreachable = results.find((x) => x.r.unreachable);
    if (unreachable || (parsed.stats?.[n.name]?.unreachable ?? 0) > 0) {
      return { ...base, state: 'unreachable', message: oneLine(unreachable?.r.msg ?? 'Ansible could not reach the node') };
    }
    const failed = results.find((x) => x.r.failed);
    const doc = results.find((x) => x.r.document !== undefined)?.r.document;
    if (failed) {
      const errors = failed.r.document?.errors ?? [];
      return { ...base, state: 'failed', ...(doc ? { document: doc } : {}), message: errors.length ? errors.join('; ') : `${failed.task}: ${oneLine(why(failed.r)).slice(0, 600)}` };
    }
    if (!doc) return { ...base, state: 'failed', message: 'no plan came back from the node' };
    return { ...base, state: doc.pending > 0 ? 'pending' : 'in-sync', document: doc };
  });
}

/** 0 every node in sync, 2 changes pending somewhere, 1 a node failed or was unreachable. */
export function clusterExitCode(all: NodeOutcome[]): number {
  if (all.some((o) => o.state === 'failed' || o.state === 'unreachable')) return 1;
  return all.some((o) => o.state === 'pending') ? 2 : 0;
}
