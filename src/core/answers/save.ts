// Saved answers: stored under the product home after an apply, the starting point of a
// re-run and the file to carry to the next node.
import { join } from 'node:path';
import { FIELDS } from './schema.js';
import type { Answers } from './schema.js';
import { onDisk, stateDir } from '../layout.js';
import { writeFileSafely } from '../write.js';

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

/** Returns the path written (under root). */
export async function saveAnswers(a: Answers, root?: string): Promise<string> {
  const file = onDisk(root, savedAnswersPath(a.productHome));
  await writeFileSafely(file, Buffer.from(answersJson(a)), { mode: 0o600 });
  return file;
}
