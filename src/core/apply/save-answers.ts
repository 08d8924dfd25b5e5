// The saved answers on disk. They are not written on their own: every plan whose answers differ
// from the saved ones carries them as one of its records (core/plan/plan.ts), so the apply
// writes them in its checkpoint with the files, all or nothing, and a rollback puts back the
// answers that match the files it puts back.
import type { Answers } from '../answers/schema.js';
import { savedAnswersPath } from '../answers/save.js';
import { onDisk } from '../node/layout.js';

/** Where the apply of `a` left the saved answers (under root): the file to carry to the next node. */
export function savedAnswersFile(a: Answers, root?: string): string {
  return onDisk(root, savedAnswersPath(a.productHome));
}
