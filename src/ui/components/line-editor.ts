// The line editor's keys, pure: the value and the cursor are one state, and every key is
// applied to the result of the key before it — never to what the last render showed — so keys
// that arrive faster than the screen redraws (a busy machine, a paste, a slow ssh link) are
// all kept, in order. Readline's keys, as an admin's shell has them.

export interface Line {
  value: string;
  /** In code points, 0 … length. */
  cursor: number;
}

export interface Applied {
  line: Line;
  /** Enter was pressed: the line up to it is the answer; keys after it in the same chunk are not this line's. */
  submit: boolean;
  /** With submit: what came after the Enter in the same event (typed ahead for the next question). */
  rest?: string;
}

const points = (s: string) => Array.from(s);

export function lineAt(value: string): Line {
  return { value, cursor: points(value).length };
}

/** An escape sequence (one input event): the keys that move or delete; anything else is not the editor's. */
function sequence(line: Line, seq: string, chars: string[]): Line {
  const body = seq.replace(/^\x1b+/, '');
  if (/^(\[D|OD)$/.test(body)) return { ...line, cursor: Math.max(0, line.cursor - 1) };
  if (/^(\[C|OC)$/.test(body)) return { ...line, cursor: Math.min(chars.length, line.cursor + 1) };
  if (/^(\[H|OH|\[1~|\[7~)$/.test(body)) return { ...line, cursor: 0 };
  if (/^(\[F|OF|\[4~|\[8~)$/.test(body)) return { ...line, cursor: chars.length };
  if (body === '[3~') return deleteForward(line, chars);
  // Alt-B / Alt-F: a word back or forward.
  if (body === 'b') return { ...line, cursor: wordStart(chars, line.cursor) };
  if (body === 'f') return { ...line, cursor: wordEnd(chars, line.cursor) };
  return line;
}

function deleteForward(line: Line, chars: string[]): Line {
  if (line.cursor >= chars.length) return line;
  return { value: [...chars.slice(0, line.cursor), ...chars.slice(line.cursor + 1)].join(''), cursor: line.cursor };
}

/** Readline's word ends: Ctrl-W stops at white space (unix-word-rubout), Alt-B/F at anything not a letter or digit. */
const SPACE = /\s/;
const NOT_WORD = /[^\p{L}\p{N}]/u;

/** Where the word before the cursor starts: skip separators, then the word. */
function wordStart(chars: string[], cursor: number, separator = NOT_WORD): number {
  let i = cursor;
  while (i > 0 && separator.test(chars[i - 1]!)) i--;
  while (i > 0 && !separator.test(chars[i - 1]!)) i--;
  return i;
}

function wordEnd(chars: string[], cursor: number): number {
  let i = cursor;
  while (i < chars.length && NOT_WORD.test(chars[i]!)) i++;
  while (i < chars.length && !NOT_WORD.test(chars[i]!)) i++;
  return i;
}

/**
 * One input event as the terminal sent it (Ink hands a run of plain keys as one event, an
 * escape sequence as its own), applied key by key. Printable characters are inserted at the
 * cursor; other control characters (a pasted tab) never reach the value.
 */
export function applyKeys(start: Line, data: string): Applied {
  let line = start;
  if (data.startsWith('\x1b')) return { line: sequence(line, data, points(line.value)), submit: false };
  for (const ch of data) {
    const chars = points(line.value);
    const c = line.cursor;
    switch (ch) {
      case '\r':
      case '\n': {
        // The first line break is this one (the loop stops at it); "\r\n" is one Enter.
        const at = data.search(/[\r\n]/);
        return { line, submit: true, rest: data.slice(data.startsWith('\r\n', at) ? at + 2 : at + 1) };
      }
      case '\x7f': // Backspace (most terminals)
      case '\b': // Backspace (Ctrl-H)
        if (c > 0) line = { value: [...chars.slice(0, c - 1), ...chars.slice(c)].join(''), cursor: c - 1 };
        break;
      case '\x04': // Ctrl-D: the character under the cursor
        line = deleteForward(line, chars);
        break;
      case '\x01': // Ctrl-A
        line = { ...line, cursor: 0 };
        break;
      case '\x05': // Ctrl-E
        line = { ...line, cursor: chars.length };
        break;
      case '\x02': // Ctrl-B
        line = { ...line, cursor: Math.max(0, c - 1) };
        break;
      case '\x06': // Ctrl-F
        line = { ...line, cursor: Math.min(chars.length, c + 1) };
        break;
      case '\x15': // Ctrl-U: everything before the cursor
        line = { value: chars.slice(c).join(''), cursor: 0 };
        break;
      case '\x0b': // Ctrl-K: everything from the cursor on
        line = { value: chars.slice(0, c).join(''), cursor: c };
        break;
      case '\x17': {
        // Ctrl-W: the word before the cursor
        const from = wordStart(chars, c, SPACE);
        line = { value: [...chars.slice(0, from), ...chars.slice(c)].join(''), cursor: from };
        break;
      }
      default:
        if (/[\u0000-\u001f\u007f-\u009f]/.test(ch)) break;
        line = { value: [...chars.slice(0, c), ch, ...chars.slice(c)].join(''), cursor: c + 1 };
    }
  }
  return { line, submit: false };
}

/**
 * Typed text keeps printable characters only (a pasted tab would end up in carbon.xml), and a
 * held-down Backspace (DEL or BS bytes) inside a chunk still deletes, as the admin meant.
 */
export function cleanTyped(text: string): string {
  return applyKeys(lineAt(''), text.split(/[\r\n]/)[0]!).line.value;
}
