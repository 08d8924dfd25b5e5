// A unified diff as the lines the screen shows, each with the style core/plan/report.ts gives it
// in the headless output, so both outputs colour a diff (and mask its secrets) the same way.
import { maskSecrets } from '../../core/plan/diff.js';
import type { Paint } from '../../core/messages/paint.js';
import { colorDiffLine } from '../../core/plan/report.js';
import { wrapVerbatim } from './wrap.js';

export type DiffStyle = 'bold' | 'green' | 'red' | 'cyan' | undefined;

export interface DiffLine {
  text: string;
  style: DiffStyle;
}

/** Tabs as spaces: a terminal cell per character keeps every row one line tall (/etc/hosts uses tabs). */
export function expandTabs(line: string, width = 8): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(width - (out.length % width)) : ch;
  return out;
}

export function styleOf(line: string): DiffStyle {
  let style: DiffStyle;
  const record: Paint = (s, text) => {
    style = s as DiffStyle;
    return text;
  };
  colorDiffLine(line, record);
  return style;
}

/**
 * The diff's lines; with `width`, as the rows of the screen: a line wider than the frame goes on
 * in the next rows (each broken row ends with wrap.ts's CONTINUED), in its line's colour, so no
 * character of a changed line is hidden and the rows scroll as rows.
 */
export function diffLines(diff: string, width?: number): DiffLine[] {
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines
    .filter((l) => !/^=+$/.test(l)) // jsdiff's separator line, dropped as in the headless report
    .flatMap((l) => {
      const text = expandTabs(maskSecrets(l.replace(/\r$/, '')));
      const style = styleOf(text);
      return (width === undefined ? [text] : wrapVerbatim(text, width)).map((row) => ({ text: row, style }));
    });
}
