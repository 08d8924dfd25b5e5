// Reading the wizard's screens as text, shared by the Ink tests and the tmux end-to-end tests.
import { FIELDS, type FieldSpec } from '../src/core/answers/schema.js';

/** The open question of the questions screen: its field, its text, its number. */
export function openQuestion(frame: string): { key: string; text: string; number: number } | undefined {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => l.startsWith('❯ '));
  const number = /Questions (\d+)\/\d+/.exec(frame);
  // Ink trims trailing blanks: an empty input is the line "  >".
  if (at < 0 || !number || !lines[at + 1]?.startsWith('  >')) return undefined;
  const shown = lines[at]!.slice(2).replace(/…$/, '');
  const field = (FIELDS as readonly FieldSpec[]).find((f) => f.prompt.startsWith(shown) || shown.startsWith(f.prompt));
  if (!field) return undefined;
  return { key: field.key, text: lines[at + 1]!.slice(3).trim(), number: Number(number[1]) };
}
