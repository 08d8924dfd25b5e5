// Untrusted values in messages. A value typed in an answers file or a flag, or read from a file
// on the node, is echoed back in error messages: raw, an ESC sequence in it would clear the
// screen or retitle the terminal, a bidi override would reorder what the admin reads, and a
// 100,000-character value would bury the message. Every message that echoes a value shows it
// through `shown`; `safeMessage` is the last guard where messages leave for a terminal.

/** C0 and C1 controls, DEL, bidi controls, line/paragraph separators, BOM, lone surrogates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_BUT_NEWLINE = new RegExp(UNSAFE.source.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f'), 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  if (NAMED[c]) return NAMED[c];
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** True when text holds a character `shown` would escape. */
export function hasUnsafeCharacter(text: string): boolean {
  return new RegExp(UNSAFE.source).test(text);
}

/** Values longer than this are cut in messages (the length is said instead). */
export const SHOWN_MAX = 80;

/**
 * A value as a message shows it: control and bidi characters escaped (\x1b, \u202e), cut to
 * `max` characters with its full length said. Anything not a string is shown as JSON.
 */
export function shown(value: unknown, max = SHOWN_MAX): string {
  const text = typeof value === 'string' ? value : value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  // Cut first (on code points, never inside an escape), then escape what is kept.
  const points = Array.from(text.length > max * 2 + 2 ? text.slice(0, max * 2 + 2) : text);
  const cut = points.length > max;
  const kept = (cut ? points.slice(0, max) : points).join('').replace(UNSAFE, escapeOne);
  return cut ? `${kept}… (${text.length} characters)` : kept;
}

/** Lines of a message longer than this are cut by `safeMessage`. */
export const MESSAGE_LINE_MAX = 2000;

/**
 * A whole message made safe for a terminal: every control character but the newline and the tab escaped,
 * each line cut to `maxLine` characters. The guard where messages are printed, for any value
 * a message builder forgot to pass through `shown`.
 */
export function safeMessage(text: string, maxLine = MESSAGE_LINE_MAX): string {
  return text
    .split('\n')
    .map((line) => (line.length > maxLine ? `${line.slice(0, maxLine)}… (line cut: ${line.length} characters)` : line).replace(UNSAFE_BUT_NEWLINE, escapeOne))
    .join('\n');
}
