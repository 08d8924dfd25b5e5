// The cluster apply as it happens, node by node: the collection's progress callback
// (ANSIBLE_STDOUT_CALLBACK=apim.gateway.progress) prints one JSON event per line; they are folded
// here into where each node is and how it is doing, for the live screen and the text output alike.
import type { Role } from '../answers/schema.js';

export type ProgressEvent =
  | { event: 'play'; name: string }
  | { event: 'task'; name: string }
  | { event: 'result'; host: string; task: string; status: 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped'; msg?: string }
  | { event: 'stats'; hosts: Record<string, { ok?: number; changed?: number; unreachable?: number; failures?: number; skipped?: number }> };

const STATUSES = ['ok', 'changed', 'failed', 'unreachable', 'skipped'];

/** A line of the callback's output as an event; anything else (a warning Ansible prints itself) is not one. */
export function parseProgressLine(line: string): ProgressEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  const e = v as Record<string, unknown>;
  const str = (k: string) => typeof e[k] === 'string';
  if ((e.event === 'play' || e.event === 'task') && str('name')) return e as ProgressEvent;
  if (e.event === 'result' && str('host') && str('task') && STATUSES.includes(e.status as string) && (e.msg === undefined || str('msg'))) return e as ProgressEvent;
  if (e.event === 'stats' && typeof e.hosts === 'object' && e.hosts !== null) return e as ProgressEvent;
  return undefined;
}

/** waiting: nothing has run there yet; running: a play of it has begun; the rest are ends. */
export type NodeProgressState = 'waiting' | 'running' | 'done' | 'failed' | 'unreachable';

export interface NodeProgress {
  name: string;
  role: Role;
  state: NodeProgressState;
  /** The play and task of the node's last result ("Gateway Manager · Plan and apply the node's answers"). */
  step?: string;
  /** Tasks that changed something on the node. */
  changed: number;
  /** The last message the node's tasks gave (its summary line, its start, why it failed). */
  message?: string;
}

export interface ClusterProgress {
  play?: string;
  task?: string;
  nodes: NodeProgress[];
  /** The playbook's recap arrived: every node's state is final. */
  finished: boolean;
}

export function initialProgress(nodes: { name: string; role: Role }[]): ClusterProgress {
  return { nodes: nodes.map((n) => ({ name: n.name, role: n.role, state: 'waiting', changed: 0 })), finished: false };
}

/** The task's name without its role's prefix ("apim.gateway.node : The wizard" → "The wizard"). */
const taskName = (t: string) => t.replace(/^[\w.]+ : /, '');
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function onResult(n: NodeProgress, e: Extract<ProgressEvent, { event: 'result' }>, play: string | undefined): NodeProgress {
  if (n.state === 'failed' || n.state === 'unreachable') return n;
  const next: NodeProgress = { ...n, state: e.status === 'failed' ? 'failed' : e.status === 'unreachable' ? 'unreachable' : 'running', step: [play, taskName(e.task)].filter(Boolean).join(' · ') };
  if (e.status === 'changed') next.changed = n.changed + 1;
  if (e.msg !== undefined && e.status !== 'skipped' && oneLine(e.msg)) next.message = oneLine(e.msg);
  return next;
}

export function foldProgress(p: ClusterProgress, e: ProgressEvent): ClusterProgress {
  switch (e.event) {
    case 'play':
      return { ...p, play: e.name, task: undefined };
    case 'task':
      return { ...p, task: taskName(e.name) };
    case 'result':
      return { ...p, nodes: p.nodes.map((n) => (n.name === e.host ? onResult(n, e, p.play) : n)) };
    case 'stats':
      return {
        ...p,
        finished: true,
        nodes: p.nodes.map((n) => {
          const s = e.hosts[n.name];
          if (n.state === 'failed' || n.state === 'unreachable') return n;
          if (!s) return { ...n, state: 'waiting' };
          if ((s.unreachable ?? 0) > 0) return { ...n, state: 'unreachable' };
          return { ...n, state: (s.failures ?? 0) > 0 ? 'failed' : 'done' };
        }),
      };
  }
}

const WORD: Record<NodeProgressState, string> = { waiting: 'waiting', running: 'running', done: 'done', failed: 'FAILED', unreachable: 'UNREACHABLE' };
export const progressWord = (s: NodeProgressState) => WORD[s];

/** A result as one line of the text output: `[worker-1] Gateway Workers, in batches · The wizard: changed`. */
export function progressLine(e: ProgressEvent, play: string | undefined): string | undefined {
  if (e.event === 'play') return `PLAY ${e.name}`;
  if (e.event !== 'result' || e.status === 'skipped') return undefined;
  const word = e.status === 'failed' || e.status === 'unreachable' ? e.status.toUpperCase() : e.status;
  const msg = e.msg !== undefined && oneLine(e.msg) && (e.status !== 'ok' || /^Summary$|^Start$/.test(taskName(e.task))) ? `: ${oneLine(e.msg)}` : '';
  return `[${e.host}] ${[play, taskName(e.task)].filter(Boolean).join(' · ')}: ${word}${msg}`;
}

/** Nodes that never got a result (a play the playbook stopped before) stay waiting: not applied. */
export function progressCounts(p: ClusterProgress): Record<NodeProgressState, number> {
  const c: Record<NodeProgressState, number> = { waiting: 0, running: 0, done: 0, failed: 0, unreachable: 0 };
  for (const n of p.nodes) c[n.state]++;
  return c;
}
