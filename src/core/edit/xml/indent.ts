// Layout helpers: line endings, indentation of a line, the file's indent unit, and fragments
// re-indented into the file's own style.

import { childElements, type ElementNode } from './scan.js';

/** The document's line ending: CRLF when most line breaks are CRLF. */
export function detectEol(text: string): '\n' | '\r\n' {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/\n/g)?.length ?? 0;
  return crlf > 0 && crlf >= lf - crlf ? '\r\n' : '\n';
}

export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Leading spaces/tabs of the line containing `pos`. */
export function lineIndent(text: string, pos: number): string {
  const ls = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(ls, pos))![0];
}

/** Only spaces/tabs between the start of the line and `pos`. */
export function isLineLeading(text: string, pos: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, pos), pos));
}

/**
 * The file's indent unit: the most common step between a parent's indentation and its child's,
 * counted over elements that start their own lines. Four spaces when nothing can be learned.
 */
export function detectIndentUnit(text: string, root: ElementNode): string {
  const counts = new Map<string, number>();
  const visit = (el: ElementNode): void => {
    const leading = isLineLeading(text, el.start);
    const pi = lineIndent(text, el.start);
    for (const c of childElements(el)) {
      if (leading && isLineLeading(text, c.start)) {
        const ci = lineIndent(text, c.start);
        const step = ci.startsWith(pi) ? ci.slice(pi.length) : '';
        if (/^(?: +|\t)$/.test(step)) counts.set(step, (counts.get(step) ?? 0) + 1);
      }
      visit(c);
    }
  };
  visit(root);
  let best = '    ';
  let bestCount = 0;
  for (const [step, n] of counts) {
    if (n > bestCount) [best, bestCount] = [step, n];
  }
  return best;
}

/** Columns of leading whitespace, a tab counting as one 4-column unit. */
const leadingColumns = (line: string): number => {
  let cols = 0;
  for (const c of /^[ \t]*/.exec(line)![0]) cols += c === '\t' ? 4 : 1;
  return cols;
};

/**
 * Re-indent a fragment written with "\n" and 4-space relative indentation: surrounding blank
 * lines dropped, common indentation removed, each 4-space unit converted to `unit`, every line
 * after the first prefixed with `base`, lines joined with `eol`. The first line gets no prefix:
 * the caller puts it where the indentation already is.
 */
export function renderFragment(xml: string, base: string, unit: string, eol: string): string {
  const lines = xml.split(/\r?\n/);
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const common = Math.min(...lines.filter((l) => l.trim() !== '').map(leadingColumns));
  return lines
    .map((line, n) => {
      if (line.trim() === '') return '';
      const cols = leadingColumns(line) - common;
      const body = line.replace(/^[ \t]*/, '').replace(/[ \t]+$/, '');
      const indent = unit.repeat(Math.floor(cols / 4)) + ' '.repeat(cols % 4);
      return n === 0 ? body : base + indent + body;
    })
    .join(eol);
}
