// Reading the wizard's screens as text, shared by the Ink tests and the tmux end-to-end tests.
import { FIELDS, type FieldSpec } from '../src/core/answers/schema.js';

/** Text without any blank or line break: for a path or command the screen wraps wherever its width falls. */
export const bare = (s: string) => s.replace(/\s+/g, '');

/** The open question of the questions screen: its field, its text, its number. */
export function openQuestion(frame: string): { key: string; text: string; number: number } | undefined {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => l.startsWith('❯ '));
  const number = /Questions (\d+)\/\d+/.exec(frame);
  // Ink trims trailing blanks: an empty input is the line "  >".
  // The prompt may wrap to several rows: the input is the first "  >" row after it.
  const input = lines.findIndex((l, i) => i > at && l.startsWith('  >'));
  if (at < 0 || !number || input < 0 || !lines.slice(at + 1, input).every((l) => l.startsWith('  '))) return undefined;
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const shown = squeeze(lines.slice(at, input).join(' ').slice(2).replace(/…$/, ''));
  const field = (FIELDS as readonly FieldSpec[]).find((f) => squeeze(f.prompt).startsWith(shown) || shown.startsWith(squeeze(f.prompt)));
  if (!field) return undefined;
  // A long text wraps at the edge, every character kept: its further rows start with "  ┆ ".
  let text = lines[input]!.slice(4);
  for (let i = input + 1; lines[i]?.startsWith('  ┆ '); i++) text += lines[i]!.slice(4);
  return { key: field.key, text: text.trim(), number: Number(number[1]) };
}
