// A node's changes as the rows of its diff screen: its answers changes, resets and warnings,
// then each file's diff (hand edits first), wrapped to the frame as the single-node review wraps them.
import { basename } from 'node:path';
import type { NodeOutcome } from '../../core/cluster/results.js';
import { diffLines, type DiffLine } from '../components/diff-lines.js';
import { wrapVerbatim } from '../components/wrap.js';

const text = (t: string, width: number, style?: DiffLine['style']): DiffLine[] => wrapVerbatim(t, width).map((row) => ({ text: row, style }));

export function nodeDiffLines(o: NodeOutcome, width: number): DiffLine[] {
  const doc = o.document;
  if (!doc) return text(o.message ?? 'no plan came back from the node', width, 'red');
  const rows: DiffLine[] = [];
  for (const a of doc.answers) rows.push(...text(`answers: ${a}`, width, 'cyan'));
  for (const r of doc.resets ?? []) rows.push(...text(`reset ${r.dir}: ${r.reason}`, width, 'cyan'));
  for (const w of doc.warnings) rows.push(...text(`warning: ${w}`, width, 'red'));
  for (const f of doc.files.filter((x) => x.status !== 'unchanged')) {
    if (rows.length) rows.push({ text: '', style: undefined });
    rows.push(...text(`${basename(f.path)} (${f.status === 'create' ? 'new' : f.status === 'conflict' ? 'edited by hand' : 'change'}): ${f.reasons.join('; ')}`, width, 'bold'));
    if (f.localEdits) rows.push(...text('edited by hand since the wizard wrote it:', width, 'bold'), ...diffLines(f.localEdits, width));
    rows.push(...diffLines(f.diff, width));
  }
  return rows.length ? rows : text(`nothing to change (${doc.files.length} files checked)`, width);
}
