// The cluster screens' state: check → review (a node's diffs) → apply → applied (→ check again).
// Every key goes through clusterReducer against the latest state (one store), so keys that arrive
// between two renders act in order on what the previous key did: none is lost or read stale.
import type { Key } from 'ink';
import type { ClusterApplied } from '../../core/cluster/run.js';
import { foldProgress, initialProgress, progressLine, type ClusterProgress, type ProgressEvent } from '../../core/cluster/progress.js';
import { clusterExitCode, type NodeOutcome } from '../../core/cluster/results.js';
import type { Role } from '../../core/answers/schema.js';
import { scrollTarget } from '../hooks/useScroll.js';

export type ClusterState =
  | { phase: 'checking'; run: number; quitting: boolean }
  | { phase: 'check-failed'; run: number; error: string }
  | { phase: 'review'; run: number; outcomes: NodeOutcome[]; selected: number; diff?: { offset: number }; note?: string }
  | { phase: 'applying'; run: number; progress: ClusterProgress; log: string[]; quitting: boolean }
  | { phase: 'applied'; run: number; applied: ClusterApplied; log: string[]; offset: number; quitting: boolean };

/** What the screen needs done after a key or an event: run the check or the apply, or quit with a code. */
export type ClusterEffect = { type: 'check' } | { type: 'apply' } | { type: 'quit'; code: number } | { type: 'abort-check' };

/** Sizes as the screen last drew them: how far a node's diff and the applied list can scroll. */
export interface ScrollRoom {
  diffRows: number;
  diffLength: (node: number) => number;
  appliedRows: number;
  appliedLength: number;
}

export type ClusterAction =
  | { type: 'key'; input: string; key: Key; room: ScrollRoom }
  | { type: 'interrupt' }
  | { type: 'checked'; outcomes: NodeOutcome[] }
  | { type: 'check-error'; error: string }
  | { type: 'events'; events: ProgressEvent[] }
  | { type: 'applied'; applied: ClusterApplied };

export interface Reduced {
  state: ClusterState;
  effects: ClusterEffect[];
}

export const initialClusterState: ClusterState = { phase: 'checking', run: 1, quitting: false };

/** Apply needs every node reachable and planned: a node that could not plan would stop the playbook at it. */
export function applyBlocker(outcomes: NodeOutcome[]): string | undefined {
  const bad = outcomes.filter((o) => o.state === 'failed' || o.state === 'unreachable');
  if (!bad.length) return undefined;
  return `apply needs every node planned: ${bad.map((o) => `${o.name} is ${o.state === 'failed' ? 'failed' : 'unreachable'}`).join(', ')}. Fix it, then r checks again.`;
}

const appliedCode = (a: ClusterApplied) => (a.ok ? 0 : 1);

function startApply(s: Extract<ClusterState, { phase: 'review' }>, nodes: { name: string; role: Role }[]): Reduced {
  const blocker = applyBlocker(s.outcomes);
  if (blocker) return { state: { ...s, note: blocker }, effects: [] };
  return { state: { phase: 'applying', run: s.run + 1, progress: initialProgress(nodes), log: [], quitting: false }, effects: [{ type: 'apply' }] };
}

const check = (run: number): Reduced => ({ state: { phase: 'checking', run: run + 1, quitting: false }, effects: [{ type: 'check' }] });

function onKey(s: ClusterState, input: string, key: Key, room: ScrollRoom, nodes: { name: string; role: Role }[]): Reduced {
  const same: Reduced = { state: s, effects: [] };
  switch (s.phase) {
    case 'checking':
      if (input === 'q') return { state: { ...s, quitting: true }, effects: [{ type: 'abort-check' }] };
      return same;
    case 'check-failed':
      if (input === 'q') return { state: s, effects: [{ type: 'quit', code: 1 }] };
      if (input === 'r') return check(s.run);
      return same;
    case 'review': {
      if (input === 'q') return { state: s, effects: [{ type: 'quit', code: clusterExitCode(s.outcomes) }] };
      if (input === 'a') return startApply(s, nodes);
      if (input === 'r') return check(s.run);
      const last = s.outcomes.length - 1;
      if (s.diff) {
        if (key.escape || key.leftArrow || key.return) return { state: { ...s, diff: undefined }, effects: [] };
        if (key.tab) return { state: { ...s, selected: s.selected === last ? 0 : s.selected + 1, diff: { offset: 0 } }, effects: [] };
        const next = scrollTarget(input, key, s.diff.offset, room.diffLength(s.selected), room.diffRows);
        return next === undefined ? same : { state: { ...s, diff: { offset: next } }, effects: [] };
      }
      if (key.upArrow || input === 'k') return { state: { ...s, selected: Math.max(0, s.selected - 1) }, effects: [] };
      if (key.downArrow || input === 'j' || key.tab) return { state: { ...s, selected: Math.min(last, s.selected + 1) }, effects: [] };
      if (key.return) return { state: { ...s, diff: { offset: 0 } }, effects: [] };
      return same;
    }
    case 'applying':
      if (input === 'q') return { state: { ...s, quitting: true }, effects: [] };
      return same;
    case 'applied': {
      if (input === 'q') return { state: s, effects: [{ type: 'quit', code: appliedCode(s.applied) }] };
      if (input === 'r') return check(s.run);
      const next = scrollTarget(input, key, s.offset, room.appliedLength, room.appliedRows);
      return next === undefined ? same : { state: { ...s, offset: next }, effects: [] };
    }
  }
}

/** The log of the apply: each event as the text output prints it. */
function logged(log: string[], events: ProgressEvent[], progress: ClusterProgress): { log: string[]; progress: ClusterProgress } {
  const lines = [...log];
  let p = progress;
  for (const e of events) {
    const line = progressLine(e, p.play);
    if (line) lines.push(line);
    p = foldProgress(p, e);
  }
  return { log: lines, progress: p };
}

export function clusterReducer(nodes: { name: string; role: Role }[]) {
  return (s: ClusterState, a: ClusterAction): Reduced => {
    switch (a.type) {
      case 'key':
        return onKey(s, a.input, a.key, a.room, nodes);
      case 'interrupt':
        // Before the apply: quit. During it: the apply goes on to its end (no node is left half-written), then the screen quits.
        if (s.phase === 'checking') return { state: { ...s, quitting: true }, effects: [{ type: 'abort-check' }] };
        if (s.phase === 'applying') return { state: { ...s, quitting: true }, effects: [] };
        if (s.phase === 'review') return { state: s, effects: [{ type: 'quit', code: clusterExitCode(s.outcomes) }] };
        return { state: s, effects: [{ type: 'quit', code: s.phase === 'applied' ? appliedCode(s.applied) : 1 }] };
      case 'checked':
        if (s.phase !== 'checking') return { state: s, effects: [] };
        if (s.quitting) return { state: s, effects: [{ type: 'quit', code: 1 }] };
        return { state: { phase: 'review', run: s.run, outcomes: a.outcomes, selected: 0 }, effects: [] };
      case 'check-error':
        if (s.phase !== 'checking') return { state: s, effects: [] };
        if (s.quitting) return { state: s, effects: [{ type: 'quit', code: 1 }] };
        return { state: { phase: 'check-failed', run: s.run, error: a.error }, effects: [] };
      case 'events':
        if (s.phase !== 'applying') return { state: s, effects: [] };
        return { state: { ...s, ...logged(s.log, a.events, s.progress) }, effects: [] };
      case 'applied': {
        if (s.phase !== 'applying') return { state: s, effects: [] };
        const state: ClusterState = { phase: 'applied', run: s.run, applied: a.applied, log: s.log, offset: 0, quitting: s.quitting };
        return { state, effects: s.quitting ? [{ type: 'quit', code: appliedCode(a.applied) }] : [] };
      }
    }
  };
}
