// Character data in and out of XML text and attribute values.

/** Characters XML 1.0 cannot hold at all, not even as a character reference. */
const FORBIDDEN =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Index of the first character XML cannot represent, or -1. */
export function forbiddenCharIndex(s: string): number {
  const m = FORBIDDEN.exec(s);
  return m ? m.index : -1;
}

export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Matches one reference; group 1 = decimal, 2 = hex, 3 = entity name. */
const REF = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([^\s&;<>"'#]+));/g;

/**
 * Decode references. Entities other than the five predefined ones (they would need a DTD,
 * which the WSO2 files never use) are left as written.
 */
function decodeRefs(s: string): string {
  return s.replace(REF, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED[name] ?? whole;
    return String.fromCodePoint(parseInt((dec ?? hex)!, dec !== undefined ? 10 : 16));
  });
}

/** XML line-end normalisation: a parser hands CRLF and lone CR to the application as LF. */
const normalizeEol = (s: string): string => s.replace(/\r\n?/g, '\n');

export function decodeText(raw: string): string {
  return decodeRefs(normalizeEol(raw));
}

export function decodeCdata(raw: string): string {
  return normalizeEol(raw);
}

/** Attribute-value normalisation (XML 1.0 §3.3.3): literal tab/CR/LF become spaces, references do not. */
export function decodeAttr(raw: string): string {
  return decodeRefs(normalizeEol(raw).replace(/[\t\n]/g, ' '));
}

/**
 * Escape text content. A lone CR is written as a reference (a literal one would be read back
 * as LF) and LF as the document's own line ending, so decodeText gives the value back.
 */
export function escapeText(value: string, eol: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, eol);
}

/** Escape an attribute value for the given quote; tab/CR/LF as references so they survive normalisation. */
export function escapeAttr(value: string, quote: '"' | "'"): string {
  let s = value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  s = quote === '"' ? s.replace(/"/g, '&quot;') : s.replace(/'/g, '&apos;');
  return s.replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
