// Saved answers: stored in the node's root-only state folder after an apply, the starting
// point of a re-run and the file to carry to the next node.
import { join } from 'node:path';
import { FIELDS } from './schema.js';
import type { Answers } from './schema.js';
import { onDisk, stateDir } from '../layout.js';
import { openState } from '../state/location.js';
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

/** Returns the path written (under root). Mode 0600 on every save, whatever it was opened up to. */
export async function saveAnswers(a: Answers, root?: string): Promise<string> {
  await openState(a.productHome, root);
  const file = onDisk(root, savedAnswersPath(a.productHome));
  await writeFileSafely(file, Buffer.from(answersJson(a)), { mode: 0o600, dirMode: 0o700 });
  return file;
}
