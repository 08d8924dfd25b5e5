// Unified diffs (jsdiff) and the one-line summary of a plan.
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(file: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a${file}`,
    `b${file}`,
    before ?? '',
    after,
    undefined,
    undefined,
    { context: 3 },
  );
}

export interface Counted {
  status: 'change' | 'create' | 'unchanged' | 'conflict';
}

export function summaryLine(changes: readonly Counted[]): string {
  const n = (s: Counted['status']) => changes.filter((c) => c.status === s).length;
  const files = (k: number) => `${k} file${k === 1 ? '' : 's'}`;
  const [change, create, same, conflict] = [n('change'), n('create'), n('unchanged'), n('conflict')];
  const edited = conflict ? `, ${conflict} edited by hand (keep or replace?)` : '';
  if (change + create + conflict === 0) return `Nothing to change: ${files(same)} already as asked.`;
  return `${files(change)} to change, ${create} to create, ${same} unchanged${edited}`;
}
