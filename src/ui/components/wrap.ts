// Text as the rows a screen shows, never wider than it: the one home of wrapping for every
// screen. Prose breaks at spaces; a word too long for a row (a path, a command) breaks after
// a `/` or a `,`; only a token with no such place is split, and its piece ends with CONTINUED.
// Verbatim lines (a diff, a log) keep every character and are split at the edge, marked the same.
//
// Widths are counted as Ink counts them (string-width): ✖ ✔ ▶ count two cells there, though a
// terminal draws one. A row measured wider than its box is wrapped again by Ink, which left
// "and" alone at column 0, or cut with "…"; counting as Ink does keeps every row as we made it.

/** Ends a row whose text goes on in the next row: a split token or a split verbatim line. */
export const CONTINUED = '↵';

const segmenter = new Intl.Segmenter();
// What string-width skips: controls, zero-width marks, the combining blocks it lists, variation selectors.
const ZERO = /^[\p{Cc}\u200B-\u200F\uFEFF\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F\uFE00-\uFE0F\p{Default_Ignorable_Code_Point}]$/u;
const EMOJI = /\p{Emoji}/u;
// \p{Emoji} includes the digits, # and * and the regional indicators, which string-width counts as one cell.
const NARROW_EMOJI = /^[#*0-9\u{1F1E6}-\u{1F1FF}]/u;
// East Asian Wide and Fullwidth blocks (over-counting a rare character only makes a row shorter).
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x2329, 0x232a], [0x2630, 0x2637], [0x268a, 0x268f], [0x2e80, 0xa4cf], [0xa960, 0xa97f],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x16fe0, 0x1b2ff], [0x1d300, 0x1d37f], [0x1f000, 0x1fbff], [0x20000, 0x3fffd],
];

function graphemeWidth(g: string): number {
  const cp = g.codePointAt(0)!;
  if (ZERO.test(String.fromCodePoint(cp))) return 0;
  if (EMOJI.test(g) && !NARROW_EMOJI.test(g)) return 2;
  return WIDE.some(([a, b]) => cp >= a && cp <= b) ? 2 : 1;
}

/** Terminal cells of `text` as Ink measures them. */
export function cellWidth(text: string): number {
  let n = 0;
  for (const { segment } of segmenter.segment(text)) n += graphemeWidth(segment);
  return n;
}

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** The longest head of `text` that fits `width` cells (at least one grapheme, so a split always advances). */
function headFitting(text: string, width: number): [string, string] {
  const gs = graphemes(text);
  let used = 0;
  let i = 0;
  while (i < gs.length && used + graphemeWidth(gs[i]!) <= width) used += graphemeWidth(gs[i++]!);
  i = Math.max(1, i);
  return [gs.slice(0, i).join(''), gs.slice(i).join('')];
}

/** Split a token with no break of its own into pieces of `width` cells, each but the last marked. */
function splitMarked(token: string, width: number): string[] {
  const pieces: string[] = [];
  let rest = token;
  while (cellWidth(rest) > width) {
    const [head, tail] = headFitting(rest, Math.max(1, width - 1));
    pieces.push(head + CONTINUED);
    rest = tail;
  }
  pieces.push(rest);
  return pieces;
}

/** Where a long token of prose may break: after each `/` and `,` (a path's segments, a list's items). */
export const PROSE_BREAKS = '/,';
/** Where a long token of a log or command line may break: also after `.`, `(`, `:`, `;`, `$` (Java names, URLs). */
export const LOG_BREAKS = './(:,;$';

/** The pieces of a long token, each ending after a run of `breaks`. */
function segments(token: string, breaks: string): string[] {
  const b = breaks.replace(/[\]\\^-]/g, '\\$&');
  // A leading "/" stays with its first name: "/tmp/", never a lone "/" at a row's end.
  return token.match(new RegExp(`[${b}]*[^${b}]+(?:[${b}]+|$)|[${b}]+$`, 'g')) ?? [token];
}

/**
 * Prose as rows of at most `width` cells. Spaces between words are one space; a line break in
 * the text starts a new row. A word wider than a row starts a row and breaks after `/` or `,`;
 * a piece still too wide is split with CONTINUED.
 */
export function wrapWords(text: string, width: number, breaks = PROSE_BREAKS): string[] {
  const w = Math.max(2, width);
  const rows: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    const push = () => {
      rows.push(line);
      line = '';
    };
    const words = paragraph.split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      if (text.includes('\n')) rows.push('');
      continue;
    }
    for (const word of words) {
      const sep = line ? ' ' : '';
      if (cellWidth(line + sep + word) <= w) {
        line += sep + word;
        continue;
      }
      if (cellWidth(word) <= w) {
        push();
        line = word;
        continue;
      }
      // Too wide for any row: it starts a row of its own (a path begins at the margin), then
      // goes on after a "/" or ",", row by row.
      if (line) push();
      for (const seg of segments(word, breaks)) {
        if (cellWidth(line + seg) <= w) {
          line += seg;
          continue;
        }
        if (line) push();
        const pieces = splitMarked(seg, w);
        for (const p of pieces.slice(0, -1)) rows.push(p);
        line = pieces.at(-1)!;
      }
    }
    if (line) push();
  }
  // A whole text of blanks is still one (empty) row, so a caller's row count matches what it draws.
  return rows.length ? rows : [''];
}

/**
 * Prose with a hanging indent: the first row starts with `first` ("! ", "✖ ", "❯ "), the next
 * rows with as many spaces, so the text lines up under itself.
 */
export function wrapHanging(first: string, text: string, width: number, rest = ' '.repeat(cellWidth(first)), breaks = PROSE_BREAKS): string[] {
  const room = Math.max(2, width - Math.max(cellWidth(first), cellWidth(rest)));
  return wrapWords(text, room, breaks).map((l, i) => (i === 0 ? first : rest) + l);
}

/**
 * A log or command line as rows of at most `width` cells, nothing left out: its own indent (up
 * to 8 spaces) on the first row, the rows after it `hang` spaces in, so a continued line reads
 * as one. Breaks at spaces first; a token wider than a row fills the row it is on and goes on
 * after LOG_BREAKS (a path, a class name, a stack frame); only a run with none is split, marked.
 */
export function wrapLog(text: string, width: number, hang = 2): string[] {
  const w = Math.max(8, width);
  const lead = /^\s*/.exec(text)![0].slice(0, 8);
  const words = text.trim().split(/\s+/).filter(Boolean);
  const rows: string[] = [];
  const pad = ' '.repeat(Math.min(hang, w - 4));
  let line = lead;
  let started = lead.length > 0;
  const room = () => (rows.length ? w - pad.length : w);
  const push = () => {
    rows.push(rows.length ? pad + line : line);
    line = '';
    started = false;
  };
  for (const word of words) {
    const sep = started && line !== '' && !/\s$/.test(line) ? ' ' : '';
    if (cellWidth(line + sep + word) <= room()) {
      line += sep + word;
      started = true;
      continue;
    }
    if (cellWidth(word) <= w - pad.length) {
      // A row holding only the indent is not pushed (it would be a blank row).
      if (!line.trim()) line = '';
      else push();
      line = word;
      started = true;
      continue;
    }
    let glue = sep;
    for (const piece of segments(word, LOG_BREAKS)) {
      if (cellWidth(line + glue + piece) <= room()) {
        line += glue + piece;
      } else {
        if (line.trim()) push();
        else line = '';
        let rest = piece;
        while (cellWidth(rest) > room()) {
          const [head, tail] = headFitting(rest, room() - 1);
          line = head + CONTINUED;
          push();
          rest = tail;
        }
        line = rest;
      }
      glue = '';
      started = true;
    }
  }
  if (line.trim() || rows.length === 0) push();
  return rows;
}

/**
 * A verbatim line (a diff or log line) as rows of at most `width` cells, every character kept
 * (spaces too). Each row but the last ends with CONTINUED; the rows after the first start
 * with `indent` (a diff keeps its +/- column clear).
 */
export function wrapVerbatim(line: string, width: number, indent = ' '): string[] {
  const w = Math.max(2, width);
  if (cellWidth(line) <= w) return [line];
  const rows: string[] = [];
  let rest = line;
  let prefix = '';
  while (cellWidth(prefix + rest) > w) {
    const [head, tail] = headFitting(rest, Math.max(1, w - cellWidth(prefix) - 1));
    rows.push(prefix + head + CONTINUED);
    rest = tail;
    prefix = indent;
  }
  rows.push(prefix + rest);
  return rows;
}

/** Rows made by wrapVerbatim or a split token joined back into the text they show (for tests and copy). */
export function unwrap(rows: readonly string[], indent = ' '): string {
  let out = '';
  let continued = false;
  for (const row of rows) {
    const text: string = continued && row.startsWith(indent) ? row.slice(indent.length) : row;
    continued = text.endsWith(CONTINUED);
    out += continued ? text.slice(0, -CONTINUED.length) : `${text}\n`;
  }
  return out.replace(/\n$/, '');
}

/** `text` padded with spaces to `width` cells (as Ink counts them), for columns. */
export function padCells(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - cellWidth(text)));
}

/** Graphemes packed into rows of at most `width` cells, every one kept (typed text, wrapped as a terminal does). */
export function cellRows(items: readonly string[], width: number): string[][] {
  const rows: string[][] = [[]];
  let used = 0;
  for (const g of items) {
    const w = graphemeWidth(g);
    if (used + w > Math.max(1, width) && rows.at(-1)!.length) {
      rows.push([]);
      used = 0;
    }
    rows.at(-1)!.push(g);
    used += w;
  }
  return rows;
}

/** Rows typed text takes in a field `width` cells wide, its cursor cell at the end included. */
export function typedRows(text: string, width: number): number {
  return cellRows([...graphemes(text), ' '], width).length;
}
