// Writing the saved answers into the node's state folder (the interactive wizard does it after
// an apply; headless applies write them through the plan's own record, in its checkpoint).
import type { Answers } from '../answers/schema.js';
import { answersJson, savedAnswersPath } from '../answers/save.js';
import { onDisk } from '../node/layout.js';
import { openState } from '../state/location.js';
import { writeFileSafely } from './write.js';

/** Returns the path written (under root). Mode 0600 on every save, whatever it was opened up to. */
export async function saveAnswers(a: Answers, root?: string): Promise<string> {
  await openState(a.productHome, root);
  const file = onDisk(root, savedAnswersPath(a.productHome));
  await writeFileSafely(file, Buffer.from(answersJson(a)), { mode: 0o600, dirMode: 0o700 });
  return file;
}
