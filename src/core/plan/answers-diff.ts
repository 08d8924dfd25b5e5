// The saved answers are part of the plan: what a plan would change in them, one line per key
// ("workerIps + 192.0.2.23"), so that a change to the answers alone is seen, counted and saved.
import { AnswersError, checkLayer, type AnswersLayer } from '../answers/load.js';
import { FIELDS, type Answers, type FieldSpec } from '../answers/schema.js';
import { shown } from '../messages/shown.js';
import { MASK, maskSecrets } from './diff.js';

/** What the saved answers file says (undefined: there is none), or why it cannot be read. */
export type SavedLayer = { layer: AnswersLayer } | { problem: string } | undefined;

/** The saved answers' bytes as a layer, checked like any answers file (the plan names the file itself). */
export function savedLayer(bytes: Buffer | null | undefined, file: string): SavedLayer {
  if (!bytes) return undefined;
  try {
    return { layer: checkLayer(JSON.parse(bytes.toString('utf8')), file) };
  } catch (e) {
    return { problem: e instanceof AnswersError ? e.problems.join('; ') : `not valid JSON (${shown((e as Error).message)})` };
  }
}

/** No answer field is a secret today; a key named like one (a password) is masked all the same, as the diffs mask them. */
const SECRET_KEY = /pass(?:word|phrase)?$|secret/i;

function valueText(key: string, v: unknown): string {
  if (SECRET_KEY.test(key)) return MASK;
  const text = Array.isArray(v) ? v.map((x) => shown(x)).join(', ') : typeof v === 'string' ? shown(v) : shown(JSON.stringify(v));
  return maskSecrets(text);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function listChange(key: string, before: unknown[], after: unknown[]): string {
  const has = (list: unknown[], x: unknown) => list.some((y) => same(x, y));
  const added = after.filter((x) => !has(before, x));
  const removed = before.filter((x) => !has(after, x));
  const parts = [...(added.length ? [`+ ${valueText(key, added)}`] : []), ...(removed.length ? [`- ${valueText(key, removed)}`] : [])];
  // The same entries in another order (the first worker is the default cluster host address).
  return parts.length ? `${key} ${parts.join(' ')}` : `${key} reordered: ${valueText(key, after)}`;
}

function keyChange(key: string, before: unknown, after: unknown): string {
  if (Array.isArray(before) || Array.isArray(after)) return listChange(key, Array.isArray(before) ? before : before === undefined ? [] : [before], Array.isArray(after) ? after : after === undefined ? [] : [after]);
  if (before === undefined) return `${key} + ${valueText(key, after)}`;
  if (after === undefined) return `${key} - ${valueText(key, before)}`;
  return `${key} ${valueText(key, before)} → ${valueText(key, after)}`;
}

/**
 * What saving `next` changes in the saved answers, one line per key in schema order (each line
 * shown after "answers: "); [] when the saved file already holds them. A first save, or a
 * saved file that cannot be read, is one line saying so.
 */
export function answersChanges(saved: SavedLayer, next: Answers): string[] {
  if (saved === undefined) return ['saved for the first time'];
  if ('problem' in saved) return [`the saved file is written anew (it could not be used: ${saved.problem})`];
  const now = next as Record<string, unknown>;
  const lines: string[] = [];
  for (const f of FIELDS as readonly FieldSpec[]) {
    const [a, b] = [saved.layer[f.key], now[f.key]];
    if (!same(a, b)) lines.push(keyChange(f.key, a, b));
  }
  return lines;
}
