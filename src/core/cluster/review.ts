// The whole cluster's check, as text: one line per node first, then each node's diffs
// (review), or a table of in sync / drifted / unreachable (drift). Exit codes in results.ts.
import { basename } from 'node:path';
import { ROLE_INFO } from '../answers/schema.js';
import type { Paint } from '../messages/paint.js';
import { safeMessage } from '../messages/shown.js';
import { diffLines } from '../plan/report.js';
import type { NodeOutcome } from './results.js';

const WORD: Record<NodeOutcome['state'], string> = { 'in-sync': 'in sync', pending: 'changes', unreachable: 'UNREACHABLE', failed: 'FAILED' };
const COLOUR = { 'in-sync': 'green', pending: 'yellow', unreachable: 'red', failed: 'red' } as const;

/** What would change on a node, in one line: its files by name, then the answers. */
export function nodeLine(o: NodeOutcome): string {
  if (o.state === 'unreachable' || o.state === 'failed') return safeMessage(o.message ?? '');
  const doc = o.document!;
  const files = doc.files.filter((f) => f.status !== 'unchanged');
  const parts: string[] = [];
  if (files.length) parts.push(`${files.length} file${files.length === 1 ? '' : 's'}: ${files.map((f) => `${basename(f.path)}${f.status === 'create' ? ' (new)' : f.status === 'conflict' ? ' (edited by hand)' : ''}`).join(', ')}`);
  if (doc.resets?.length) parts.push(`reset ${doc.resets.map((r) => basename(r.dir)).join(', ')}`);
  if (doc.answers.length) parts.push(`answers: ${doc.answers.join('; ')}`);
  return parts.length ? parts.join(' · ') : `nothing to change (${doc.files.length} files checked)`;
}

/** "4 in sync, 0 with changes, 0 unreachable, 0 failed". */
export function reviewCounts(all: NodeOutcome[]): string {
  const n = (s: NodeOutcome['state']) => all.filter((o) => o.state === s).length;
  return [`${n('in-sync')} in sync`, `${n('pending')} with changes`, `${n('unreachable')} unreachable`, `${n('failed')} failed`].join(', ');
}

function table(all: NodeOutcome[], paint: Paint, detail: (o: NodeOutcome) => string): string[] {
  const w = (get: (o: NodeOutcome) => string, min: number) => Math.max(min, ...all.map((o) => get(o).length));
  const [name, role, addr, state] = [w((o) => o.name, 4), w((o) => ROLE_INFO[o.role].title, 4), w((o) => o.address, 7), w((o) => WORD[o.state], 5)];
  return [
    paint('bold', `  ${'node'.padEnd(name)}  ${'role'.padEnd(role)}  ${'address'.padEnd(addr)}  ${'state'.padEnd(state)}  detail`),
    ...all.map((o) => `  ${o.name.padEnd(name)}  ${ROLE_INFO[o.role].title.padEnd(role)}  ${o.address.padEnd(addr)}  ${paint(COLOUR[o.state], WORD[o.state].padEnd(state))}  ${detail(o)}`),
  ];
}

/** A node's diffs, answers changes and warnings, under its name. */
function nodeDetails(o: NodeOutcome, paint: Paint): string[] {
  const doc = o.document;
  if (!doc) return [];
  const out = ['', paint('bold', `== ${o.name} (${ROLE_INFO[o.role].title}, ${o.address}): ${doc.summary}`)];
  for (const line of doc.answers) out.push(`  ${paint('yellow', 'answers:')} ${line}`);
  for (const r of doc.resets ?? []) out.push(`  ${paint('yellow', 'reset')} ${r.dir}: ${r.reason}`);
  for (const w of doc.warnings) out.push(paint('yellow', `warning: ${w}`));
  for (const f of doc.files) {
    if (f.localEdits) out.push('', paint('yellow', `Edited by hand since the wizard wrote ${f.path}:`), ...diffLines(f.localEdits, paint));
    if (f.diff) out.push('', ...diffLines(f.diff, paint));
  }
  return out.map((line) => safeMessage(line));
}

/** The review's first line: "Cluster review: 4 nodes (0 in sync, 4 with changes, 0 unreachable, 0 failed)". */
export const reviewTitle = (all: NodeOutcome[]) => `Cluster review: ${all.length} node${all.length === 1 ? '' : 's'} (${reviewCounts(all)})`;

/** `cluster check`: every node in one line, then the diffs of the nodes with changes. */
export function formatReview(all: NodeOutcome[], paint: Paint): string {
  const out = [paint('bold', reviewTitle(all)), ...table(all, paint, nodeLine)];
  for (const o of all) if (o.state === 'pending') out.push(...nodeDetails(o, paint));
  return out.join('\n') + '\n';
}

/** `cluster drift`: in sync, drifted (with the diff) or unreachable, per node. */
export function formatDrift(all: NodeOutcome[], paint: Paint): string {
  const drifted = (o: NodeOutcome) => (o.state === 'pending' ? `drifted: ${nodeLine(o)}` : nodeLine(o));
  const out = [paint('bold', `Drift across the cluster: ${all.length} node${all.length === 1 ? '' : 's'} (${reviewCounts(all).replace('with changes', 'drifted')})`), ...table(all, paint, drifted)];
  for (const o of all) if (o.state === 'pending') out.push(...nodeDetails(o, paint));
  return out.join('\n') + '\n';
}
