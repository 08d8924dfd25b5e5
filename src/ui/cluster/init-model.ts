// The cluster path's questions as rows for the Questions screen: the text shown, where it came
// from, its check. The shared answers keep only what was given, typed or offered by the docs:
// a default or a derived value (a member port that differs by role) is left to each node.
import type { AnswersLayer } from '../../core/answers/load.js';
import { checkFieldText, prefill, valueToText, type SourcedLayer } from '../../core/answers/prefill.js';
import type { ClusterQuestion } from '../../core/cluster/topology.js';
import { TYPED, fieldNote, type Edits, type QuestionRow } from '../questions-model.js';

export function clusterRows(questions: readonly ClusterQuestion[], layers: readonly SourcedLayer[], edits: Edits): QuestionRow[] {
  const current: AnswersLayer = {};
  const rows: QuestionRow[] = [];
  for (const { field, checkAs, eachNode } of questions) {
    if (field.when && !field.when(current)) continue;
    const edited = edits[field.key];
    // Not derived here: what a node derives depends on its role and address.
    const filled = edited === undefined ? prefill({ ...field, derive: undefined }, layers, current) : undefined;
    const text = edited ?? valueToText(filled?.value);
    // Whether a node can go without it is for that node's checks (composeFile runs them, naming the node).
    const check = eachNode && text.trim() === '' ? {} : checkFieldText(field, text, checkAs, { ...current, role: checkAs });
    if (check.value !== undefined) current[field.key] = check.value;
    const note = fieldNote(field, current);
    rows.push({ field, text, source: edited !== undefined ? TYPED : (filled?.source ?? ''), check, ...(note ? { note } : {}) });
  }
  return rows;
}

/** The values the rows hold; `keep` says which sources go into the file (defaults stay out of `shared`). */
export function rowValues(rows: readonly QuestionRow[], keep: (row: QuestionRow) => boolean = () => true): AnswersLayer {
  const layer: AnswersLayer = {};
  for (const row of rows) if (row.check.value !== undefined && keep(row)) layer[row.field.key] = row.check.value;
  return layer;
}

export const firstProblem = (rows: readonly QuestionRow[]) => rows.findIndex((r) => r.check.problem !== undefined);
