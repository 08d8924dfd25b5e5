import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText, encodeText, withText } from '../src/core/edit/textfile.js';

test('ISO-8859-1 declared files round-trip byte for byte, with the right decoding', () => {
  const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>'), Buffer.from([0xe9]), Buffer.from('</a>')]);
  const f = decodeText(bytes, 'f.xml');
  assert.equal(f.encoding, 'latin1');
  assert.equal(f.text.at(-5), 'é');
  assert.ok(encodeText(f, 'f.xml').equals(bytes));
  assert.throws(() => encodeText(withText(f, f.text + '€'), 'f.xml'), /f\.xml: the character "€" cannot be written in this file's ISO-8859-1 encoding/);
});

test('UTF-8 with BOM and CRLF is kept; invalid UTF-8, UTF-16 and NUL bytes are refused', () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>ü</a>\r\n')]);
  const f = decodeText(bytes, 'b.xml');
  assert.deepEqual([f.bom, f.eol, f.encoding], [true, '\r\n', 'utf8']);
  assert.ok(!f.text.startsWith('\ufeff'));
  assert.ok(encodeText(f, 'b.xml').equals(bytes));
  assert.throws(() => decodeText(Buffer.from([0x3c, 0x61, 0xff, 0x3e]), 'c.xml'), /c\.xml: is not valid UTF-8/);
  assert.throws(() => decodeText(Buffer.from([0xff, 0xfe, 0x3c, 0]), 'd.xml'), /UTF-16/);
  assert.throws(() => decodeText(Buffer.from('a\0b'), 'e'), /NUL/);
  assert.throws(() => decodeText(Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?><a/>'), 'g.xml'), /declares encoding "Shift_JIS"/);
});
