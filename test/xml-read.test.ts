// Readers (what "detect" uses) and well-formedness validation.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exists, readAttribute, readCommented, readText, validateXml, XmlEditError } from '../src/core/edit/xml/index.js';

const DOC = [
  '<?xml version="1.0" encoding="ISO-8859-1"?>',
  '<Server>',
  '    <!--HostName>www.wso2.org</HostName-->',
  '    <!--MgtHostName>mgt.wso2.org</MgtHostName-->',
  '    <Name>a &amp; b &lt;c&gt; &#x41;&#66;</Name>',
  '    <Raw><![CDATA[<x> & y]]> tail</Raw>',
  '    <Empty/>',
  '    <Ports><Offset>0</Offset></Ports>',
  "    <Connector port='9763' server=\"a&quot;b\" multi=\"x",
  '  y\tz"/>',
  '    <Connector port="9443"/>',
  '    <!--Realm className="a.b.C"/-->',
  '    <!--DefaultLimits>',
  '        <50PerMin>50</50PerMin>',
  '    </DefaultLimits-->',
  '</Server>',
].join('\n');

describe('readText / readAttribute / exists', () => {
  test('decoded text, CDATA, empty, nested; undefined when absent', () => {
    assert.equal(readText(DOC, '/Server/Name'), 'a & b <c> AB');
    assert.equal(readText(DOC, '/Server/Raw'), '<x> & y tail');
    assert.equal(readText(DOC, '/Server/Empty'), '');
    assert.equal(readText(DOC, '/Server/Ports'), '0');
    assert.equal(readText(DOC, '/Server/HostName'), undefined);
    assert.equal(readText(DOC, '/Other'), undefined);
  });

  test('attribute values decoded and normalised; predicates compare decoded values', () => {
    assert.equal(readAttribute(DOC, "/Server/Connector[@port='9763']", 'server'), 'a"b');
    assert.equal(readAttribute(DOC, "/Server/Connector[@port='9763']", 'multi'), 'x   y z');
    assert.equal(readAttribute(DOC, '/Server/Connector[@server=\'a"b\']', 'port'), '9763');
    assert.equal(readAttribute(DOC, "/Server/Connector[@port='9443']", 'proxyPort'), undefined);
    assert.equal(readAttribute(DOC, "/Server/Connector[@port='1']", 'port'), undefined);
  });

  test('exists', () => {
    assert.equal(exists(DOC, '/Server/Ports/Offset'), true);
    assert.equal(exists(DOC, "/Server/Connector[@port='9443']"), true);
    assert.equal(exists(DOC, '/Server/HostName'), false);
  });

  test('ambiguous paths and broken files are refused, not guessed', () => {
    assert.throws(() => readAttribute(DOC, '/Server/Connector', 'port'), /ambiguous: 2 elements match 'Connector' \(lines 9, 11\)/);
    assert.throws(() => exists(DOC, '/Server/Connector'), XmlEditError);
    assert.throws(() => readText('<a><b></a>', '/a/b'), /not well-formed: line 1/);
  });
});

describe('readCommented', () => {
  test('inner text of the commented form', () => {
    assert.equal(readCommented(DOC, '/Server/HostName'), 'www.wso2.org');
    assert.equal(readCommented(DOC, '/Server/MgtHostName'), 'mgt.wso2.org');
    assert.equal(readCommented(DOC, '/Server/Realm[@className="a.b.C"]'), '');
    assert.equal(readCommented(DOC, '/Server/DefaultLimits'), '\n        <50PerMin>50</50PerMin>\n    ');
  });

  test('undefined when there is no commented form', () => {
    assert.equal(readCommented(DOC, '/Server/Name'), undefined);
    assert.equal(readCommented(DOC, '/Server/Realm[@className="other"]'), undefined);
    assert.equal(readCommented(DOC, '/Server/Nope/HostName'), undefined);
  });
});

describe('validateXml', () => {
  test('accepts well-formed documents', () => {
    assert.deepEqual(validateXml(DOC), { ok: true });
    assert.deepEqual(validateXml('\uFEFF<a/>\n'), { ok: true });
    assert.deepEqual(validateXml('<a>\r\n\t<b c="&lt;"/>\r\n</a>'), { ok: true });
  });

  const bad: Array<[string, string, number, number, RegExp]> = [
    ['mismatched tag', '<a>\n  <b>\n</a>', 3, 1, /end tag <\/a> does not match <b> opened on line 2/],
    ['unclosed element', '<a>\n  <b>', 2, 3, /<b> opened on line 2 is never closed/],
    ['-- in a comment', '<a>\n<!-- x -- y -->\n</a>', 2, 8, /'--'/],
    ['two document elements', '<a/>\n<b/>', 2, 1, /second document element/],
    ['text after the document element', '<a/>\nx', 2, 1, /text outside/],
    ['< in an attribute value', '<a b="<"/>', 1, 7, /'<' is not allowed/],
    ['bare &', '<a b="&"/>', 1, 7, /'&'/],
    ['undefined entity', '<a>&nbsp;</a>', 1, 4, /&nbsp; is not defined/],
    ['control character', '<a>\u0001</a>', 1, 4, /U\+0001/],
    ['late XML declaration', '<a/>\n<?xml version="1.0"?>', 2, 1, /XML declaration/],
    ['illegal element name', '<a>\n<50PerMin/>\n</a>', 2, 2, /'50PerMin' is not a valid element name/],
    ['attributes without a space between them', '<a b="1"c="2"/>', 1, 9, /space/],
    ['unquoted attribute', '<a b=1/>', 1, 6, /must be quoted/],
    ['repeated attribute', '<a b="1" b="2"/>', 1, 10, /repeated/],
    ['empty input', '', 1, 1, /./],
  ];
  for (const [what, text, line, col, message] of bad) {
    test(`refuses ${what}, with line and column`, () => {
      const r = validateXml(text);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.line, line, `line of: ${r.message}`);
      assert.equal(r.col, col, `column of: ${r.message}`);
      assert.match(r.message, message);
    });
  }
});
