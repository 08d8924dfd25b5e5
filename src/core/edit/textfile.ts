// Reads and writes text files byte-faithfully: the encoding an XML file declares,
// a UTF-8 BOM and the line ending are remembered so that a written file differs
// from the original only where the text was edited.

export type Encoding = 'utf8' | 'latin1';

export interface TextFile {
  text: string;
  encoding: Encoding;
  bom: boolean;
  eol: '\n' | '\r\n';
}

export class TextFileError extends Error {}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The encoding declared in an XML declaration, normalised to what Node can encode. */
function declaredEncoding(head: string): Encoding | 'other' | undefined {
  const m = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(head);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase().replace(/_/g, '-');
  if (name === 'utf-8' || name === 'utf8' || name === 'us-ascii' || name === 'ascii') return 'utf8';
  if (name === 'iso-8859-1' || name === 'latin1' || name === 'iso8859-1') return 'latin1';
  return 'other';
}

export function decodeText(bytes: Buffer, file: string): TextFile {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new TextFileError(`${file}: UTF-16 files are not supported; convert it to UTF-8 or ISO-8859-1 first`);
  }
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  if (body.includes(0)) throw new TextFileError(`${file}: contains NUL bytes; this is not a text file`);
  const declared = declaredEncoding(body.subarray(0, 200).toString('latin1'));
  if (declared === 'other') {
    const m = /encoding\s*=\s*["']([^"']+)/.exec(body.subarray(0, 200).toString('latin1'));
    throw new TextFileError(`${file}: declares encoding "${m?.[1]}", which is not supported (UTF-8 or ISO-8859-1 only)`);
  }
  const encoding: Encoding = declared ?? 'utf8';
  const text = body.toString(encoding);
  if (encoding === 'utf8' && !Buffer.from(text, 'utf8').equals(body)) {
    throw new TextFileError(`${file}: is not valid UTF-8 and declares no other encoding`);
  }
  return { text, encoding, bom, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

export function encodeText(file: TextFile, path: string): Buffer {
  if (file.encoding === 'latin1') {
    const bad = /[^\u0000-\u00ff]/u.exec(file.text);
    if (bad) {
      throw new TextFileError(`${path}: the character "${bad[0]}" cannot be written in this file's ISO-8859-1 encoding`);
    }
  }
  const body = Buffer.from(file.text, file.encoding);
  return file.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/** A new text with the same encoding, BOM and line ending as `like`. */
export function withText(like: TextFile, text: string): TextFile {
  return { ...like, text };
}
