// Saved answers: where they are in the node's root-only state folder and their JSON shape (keys
// in schema order); written after an apply (apply/save-answers.ts), the starting point of a
// re-run and the file to carry to the next node.
import { join } from 'node:path';
import { FIELDS } from './schema.js';
import type { Answers } from './schema.js';
import { stateDir } from '../node/layout.js';

export function savedAnswersPath(home: string | undefined): string {
  return join(stateDir(home), 'answers.json');
}

/** Keys in schema order, so saved files diff cleanly between runs and nodes. */
export function answersJson(a: Answers): string {
  const ordered: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = (a as Record<string, unknown>)[f.key];
    if (v !== undefined) ordered[f.key] = v;
  }
  return JSON.stringify(ordered, null, 2) + '\n';
}
