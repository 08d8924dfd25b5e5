// Property tests: whatever the value, an edit gives well-formed XML, reads back unchanged, is
// idempotent, and touches no byte outside the edited element.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyXmlEdits, readAttribute, readText, validateXml, type XmlEdit } from '../src/core/edit/xml/index.js';

/** Valid XML characters, biased towards the ones that need escaping or normalising. */
const xmlChar = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', '\r\n', '\t', ']]>', '-', ' ', '&amp;', '\u00e9', '\u{1F600}'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/.test(c)),
);
const xmlString = fc.string({ unit: xmlChar, maxLength: 40 });

/** Documents around the element under test: tabs, trailing spaces, comments, LF or CRLF, no final newline. */
const docs = (eol: string): string =>
  [
    '<?xml version="1.0" encoding="ISO-8859-1"?>',
    '<!-- <HostName>decoy</HostName> -->',
    '<Server>',
    '\t<!--HostName>www.wso2.org</HostName-->   ',
    "\t<HostName>old</HostName>\t",
    "\t<Connector protocol='HTTP/1.1'",
    "\t           port='9763'",
    "\t           URIEncoding='UTF-8'/>",
    '</Server>',
  ].join(eol);
const eols = fc.constantFrom('\n', '\r\n');

/** Length of the common prefix and of the common suffix (not overlapping). */
function unchangedEnds(a: string, b: string): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

function applyTwice(text: string, edits: XmlEdit[]): string {
  const once = applyXmlEdits(text, edits);
  assert.equal(applyXmlEdits(once, edits), once);
  return once;
}

test('setText with host-like values: exactly the old value is replaced', () => {
  const host = fc.oneof(fc.domain(), fc.ipV4());
  fc.assert(
    fc.property(eols, host, (eol, value) => {
      const doc = docs(eol);
      const out = applyTwice(doc, [{ op: 'setText', path: '/Server/HostName', value }]);
      assert.equal(out, doc.replace('\t<HostName>old</HostName>', `\t<HostName>${value}</HostName>`));
      assert.equal(readText(out, '/Server/HostName'), value);
    }),
    { numRuns: 200 },
  );
});

test('setText with arbitrary text: well-formed, reads back, nothing outside the element changes', () => {
  fc.assert(
    fc.property(eols, xmlString, (eol, value) => {
      const doc = docs(eol);
      const out = applyTwice(doc, [{ op: 'setText', path: '/Server/HostName', value }]);
      assert.deepEqual(validateXml(out), { ok: true });
      assert.equal(readText(out, '/Server/HostName'), value);
      const { prefix, suffix } = unchangedEnds(doc, out);
      assert.ok(prefix >= doc.indexOf('<HostName>old') + '<HostName>'.length);
      assert.ok(suffix >= doc.length - doc.indexOf('</HostName>\t'));
    }),
    { numRuns: 300 },
  );
});

test('setAttribute (existing and new) with arbitrary values: reads back, one contiguous change inside the tag', () => {
  const path = "/Server/Connector[@port='9763']";
  fc.assert(
    fc.property(eols, fc.constantFrom('protocol', 'proxyPort'), fc.option(fc.constantFrom('protocol', 'port', 'URIEncoding')), xmlString, (eol, name, after, value) => {
      const doc = docs(eol);
      const edit: XmlEdit = { op: 'setAttribute', path, name, value, ...(after ? { after } : {}) };
      const out = applyTwice(doc, [edit]);
      assert.deepEqual(validateXml(out), { ok: true });
      assert.equal(readAttribute(out, path, name), value);
      for (const [other, v] of [['port', '9763'], ['URIEncoding', 'UTF-8']] as const) assert.equal(readAttribute(out, path, other), v);
      const { prefix, suffix } = unchangedEnds(doc, out);
      assert.ok(prefix >= doc.indexOf('<Connector'));
      assert.ok(suffix >= doc.length - doc.indexOf('/>', doc.indexOf('<Connector')));
      if (name === 'proxyPort') {
        // A pure insertion: removing it gives the original back.
        const added = out.length - doc.length;
        assert.equal(out.slice(0, prefix) + out.slice(prefix + added), doc);
      }
    }),
    { numRuns: 300 },
  );
});

test('new attribute in a random layout: a single insertion, every other attribute intact', () => {
  const layout = fc.record({
    count: fc.integer({ min: 1, max: 5 }),
    perLine: fc.boolean(),
    quote: fc.constantFrom('"', "'"),
    indent: fc.constantFrom('  ', '\t', '        '),
    eol: eols,
  });
  fc.assert(
    fc.property(layout, fc.nat(), xmlString, ({ count, perLine, quote, indent, eol }, afterPick, value) => {
      const attrs = Array.from({ length: count }, (_, i) => `a${i}=${quote}v${i}${quote}`);
      const sep = perLine ? `${eol}${indent}   ` : ' ';
      const doc = `<r>${eol}${indent}<e ${attrs.join(sep)}/>${eol}</r>`;
      const after = `a${afterPick % count}`;
      const out = applyTwice(doc, [{ op: 'setAttribute', path: '/r/e', name: 'z', value, after }]);
      assert.equal(readAttribute(out, '/r/e', 'z'), value);
      for (let i = 0; i < count; i++) assert.equal(readAttribute(out, '/r/e', `a${i}`), `v${i}`);
      const escaped = value
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;')
        .replace(/\t/g, '&#9;')
        .replace(/\n/g, '&#10;')
        .replace(/\r/g, '&#13;');
      const k = afterPick % count;
      const expected = [...attrs.slice(0, k + 1), `z=${quote}${escaped}${quote}`, ...attrs.slice(k + 1)];
      // One attribute on its own is not a per-line layout: the new one goes inline.
      assert.equal(out, `<r>${eol}${indent}<e ${expected.join(perLine && count > 1 ? sep : ' ')}/>${eol}</r>`);
    }),
    { numRuns: 300 },
  );
});

test('commentOut then uncomment restores the original bytes', () => {
  fc.assert(
    fc.property(eols, xmlString.filter((s) => !s.includes('-')), (eol, value) => {
      // Without the commented-out HostName of the fixture: two commented forms would be ambiguous.
      const base = docs(eol).replace(/\t<!--HostName>.*?-->   \r?\n/, '');
      const doc = applyXmlEdits(base, [{ op: 'setText', path: '/Server/HostName', value }]);
      const commented = applyTwice(doc, [{ op: 'commentOut', path: '/Server/HostName' }]);
      assert.equal(applyXmlEdits(commented, [{ op: 'uncomment', path: '/Server/HostName' }]), doc);
    }),
    { numRuns: 200 },
  );
});
