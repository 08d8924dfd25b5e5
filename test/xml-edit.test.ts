// Unit tests of the surgical XML edits on small inline documents. Every expectation is the full
// output string, so a single stray byte fails.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyXmlEdits, readAttribute, readText, XmlEditError, type XmlEdit } from '../src/core/edit/xml/index.js';

const apply = (text: string, ...edits: XmlEdit[]): string => applyXmlEdits(text, edits);

/** Apply, then check that applying again changes nothing (a second plan is empty). */
function applyIdem(text: string, ...edits: XmlEdit[]): string {
  const once = applyXmlEdits(text, edits);
  assert.equal(applyXmlEdits(once, edits), once, 'applying the same edits again must not change anything');
  return once;
}

function refuses(text: string, edits: XmlEdit[], message: RegExp): void {
  assert.throws(() => applyXmlEdits(text, edits), (e: unknown) => {
    assert.ok(e instanceof XmlEditError, `expected XmlEditError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

// Tabs, trailing spaces, a comment mentioning the element, no final newline.
const CARBON = [
  '<?xml version="1.0" encoding="ISO-8859-1"?>',
  '<!-- <HostName>not this one</HostName> -->',
  '<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">',
  '\t<Name>WSO2 API Manager</Name>   ',
  '\t<HostName>old.example.com</HostName>\t',
  '\t<!--MgtHostName>mgt.wso2.org</MgtHostName-->',
  '\t<Version>2.1.0</Version>',
  '</Server>',
].join('\n');

describe('setText', () => {
  test('replaces only the text; tabs, trailing spaces, comments, missing final newline kept', () => {
    const out = applyIdem(CARBON, { op: 'setText', path: '/Server/HostName', value: 'am.wso2.com' });
    assert.equal(out, CARBON.replace('old.example.com', 'am.wso2.com'));
  });

  test('escapes & < > in text and reads the value back', () => {
    const out = applyIdem(CARBON, { op: 'setText', path: '/Server/HostName', value: `a&b<c>d"e'f` });
    assert.equal(out, CARBON.replace('old.example.com', `a&amp;b&lt;c&gt;d"e'f`));
    assert.equal(readText(out, '/Server/HostName'), `a&b<c>d"e'f`);
  });

  test('same value again returns the identical string, even when written with references', () => {
    const doc = '<a><b>x&apos;y &#65;</b></a>';
    assert.equal(apply(doc, { op: 'setText', path: '/a/b', value: "x'y A" }), doc);
  });

  test('empty and self-closing elements get the value', () => {
    assert.equal(apply('<a>\n  <b></b>\n</a>', { op: 'setText', path: '/a/b', value: 'v' }), '<a>\n  <b>v</b>\n</a>');
    assert.equal(apply('<a>\n  <b/>\n</a>', { op: 'setText', path: '/a/b', value: 'v' }), '<a>\n  <b>v</b>\n</a>');
    assert.equal(
      apply('<a>\n  <b x="1" />\n</a>', { op: 'setText', path: '/a/b', value: 'v' }),
      '<a>\n  <b x="1">v</b>\n</a>',
    );
    // Setting '' on an empty element is already in effect.
    assert.equal(apply('<a><b/></a>', { op: 'setText', path: '/a/b', value: '' }), '<a><b/></a>');
  });

  test('replaces CDATA content', () => {
    assert.equal(apply('<a><b><![CDATA[<old>]]></b></a>', { op: 'setText', path: '/a/b', value: '<new>' }), '<a><b>&lt;new&gt;</b></a>');
  });

  test('CRLF document: a line break in the value is written as CRLF', () => {
    const doc = '<a>\r\n  <b>x</b>\r\n</a>\r\n';
    const out = applyIdem(doc, { op: 'setText', path: '/a/b', value: 'one\ntwo' });
    assert.equal(out, '<a>\r\n  <b>one\r\ntwo</b>\r\n</a>\r\n');
    assert.equal(readText(out, '/a/b'), 'one\ntwo');
  });

  test('refuses an element that holds child elements or comments', () => {
    refuses('<a>\n<b><c/></b>\n</a>', [{ op: 'setText', path: '/a/b', value: 'v' }], /\/a\/b \(line 2\).*child element <c>/);
    refuses('<a><b>x<!-- c --></b></a>', [{ op: 'setText', path: '/a/b', value: 'v' }], /contains a comment/);
  });

  test('refuses a missing element without create, naming the parent and its line', () => {
    refuses(CARBON, [{ op: 'setText', path: '/Server/MgtHostName', value: 'x' }], /\/Server\/MgtHostName not found: \/Server \(line 3\) has no child element MgtHostName/);
    refuses(CARBON, [{ op: 'setText', path: '/Other/HostName', value: 'x' }], /document element is <Server>/);
  });

  test('create: inserted after the named sibling with its indentation (tabs)', () => {
    const out = applyIdem(CARBON, { op: 'setText', path: '/Server/Package', value: 'org.wso2', create: { after: 'Name' } });
    assert.equal(out, CARBON.replace('</Name>   \n', '</Name>   \n\t<Package>org.wso2</Package>\n'));
  });

  test('create: as last child when no sibling is named or the sibling is absent', () => {
    const expected = CARBON.replace('\t<Version>2.1.0</Version>\n', '\t<Version>2.1.0</Version>\n\t<Package>p</Package>\n');
    assert.equal(apply(CARBON, { op: 'setText', path: '/Server/Package', value: 'p', create: {} }), expected);
    assert.equal(apply(CARBON, { op: 'setText', path: '/Server/Package', value: 'p', create: { after: 'Nope' } }), expected);
  });

  test('create: predicates become attributes; the value is escaped', () => {
    const doc = '<c>\n    <parameter name="a">1</parameter>\n</c>\n';
    const out = applyIdem(doc, { op: 'setText', path: "/c/parameter[@name='b&c']", value: '<2>', create: {} });
    assert.equal(out, '<c>\n    <parameter name="a">1</parameter>\n    <parameter name="b&amp;c">&lt;2&gt;</parameter>\n</c>\n');
  });

  test('create: refuses when the parent itself is missing', () => {
    refuses(CARBON, [{ op: 'setText', path: '/Server/Ports/Offset', value: '1', create: {} }], /\/Server \(line 3\) has no child element Ports/);
  });

  test('refuses characters XML cannot hold', () => {
    refuses(CARBON, [{ op: 'setText', path: '/Server/HostName', value: 'a\u0001b' }], /U\+0001/);
    refuses(CARBON, [{ op: 'setText', path: '/Server/HostName', value: 'a\uD800b' }], /U\+D800/);
  });
});

// One attribute per line, as catalina-server.xml writes its Connectors.
const CATALINA = [
  '<Server port="8005" shutdown="SHUTDOWN">',
  '    <Service name="Catalina">',
  '        <!--',
  '        proxyPort="80"',
  '        -->',
  '        <Connector protocol="org.apache.coyote.http11.Http11NioProtocol"',
  '                   port="9763"',
  '                   redirectPort="9443"',
  '                   URIEncoding="UTF-8"/>',
  '        <Connector protocol="org.apache.coyote.http11.Http11NioProtocol"',
  '                   port="9443"',
  '                   compressableMimeType="text/html,application/xml"',
  '                   URIEncoding="UTF-8"/>',
  '    </Service>',
  '</Server>',
  '',
].join('\n');

describe('setAttribute', () => {
  test('attribute per line: new attribute on its own line after `after`, same indentation', () => {
    const out = applyIdem(
      CATALINA,
      { op: 'setAttribute', path: "/Server/Service/Connector[@port='9763']", name: 'proxyPort', value: '80', after: 'port' },
      { op: 'setAttribute', path: '/Server/Service/Connector[@port="9443"]', name: 'proxyPort', value: '443', after: 'port' },
    );
    assert.equal(
      out,
      CATALINA.replace('port="9763"\n', 'port="9763"\n                   proxyPort="80"\n').replace(
        'port="9443"\n',
        'port="9443"\n                   proxyPort="443"\n',
      ),
    );
  });

  test('attribute per line: without `after` (or when it is absent) the attribute goes after the last one', () => {
    const expected = CATALINA.replace(
      'redirectPort="9443"\n                   URIEncoding="UTF-8"/>',
      'redirectPort="9443"\n                   URIEncoding="UTF-8"\n                   proxyPort="80"/>',
    );
    const path = "/Server/Service/Connector[@port='9763']";
    assert.equal(apply(CATALINA, { op: 'setAttribute', path, name: 'proxyPort', value: '80' }), expected);
    assert.equal(apply(CATALINA, { op: 'setAttribute', path, name: 'proxyPort', value: '80', after: 'nope' }), expected);
  });

  test('attribute per line in a CRLF file with tabs', () => {
    const doc = '<a>\r\n\t<b x="1"\r\n\t   y="2">t</b>\r\n</a>';
    assert.equal(
      applyIdem(doc, { op: 'setAttribute', path: '/a/b', name: 'z', value: '3', after: 'x' }),
      '<a>\r\n\t<b x="1"\r\n\t   z="3"\r\n\t   y="2">t</b>\r\n</a>',
    );
  });

  test('attributes on one line: inserted inline after `after`, else after the last', () => {
    const doc = '<a>\n  <b x="1" y="2"/>\n</a>';
    assert.equal(apply(doc, { op: 'setAttribute', path: '/a/b', name: 'z', value: '3' }), '<a>\n  <b x="1" y="2" z="3"/>\n</a>');
    assert.equal(
      apply(doc, { op: 'setAttribute', path: '/a/b', name: 'z', value: '3', after: 'x' }),
      '<a>\n  <b x="1" z="3" y="2"/>\n</a>',
    );
  });

  test('mixed layout (several on the first line) counts as inline', () => {
    const doc = '<a>\n  <Host name="h" app="x"\n        base="y">\n  </Host>\n</a>';
    assert.equal(
      apply(doc, { op: 'setAttribute', path: '/a/Host', name: 'z', value: '1' }),
      '<a>\n  <Host name="h" app="x"\n        base="y" z="1">\n  </Host>\n</a>',
    );
  });

  test('element without attributes', () => {
    assert.equal(apply('<a><b/><c>t</c></a>', { op: 'setAttribute', path: '/a/b', name: 'n', value: 'v' }), '<a><b n="v"/><c>t</c></a>');
    assert.equal(apply('<a><c>t</c></a>', { op: 'setAttribute', path: '/a', name: 'n', value: 'v' }), '<a n="v"><c>t</c></a>');
  });

  test('existing attribute: only the value changes, its quote char is kept', () => {
    const doc = "<c>\n    <clustering class='x'\n                enable='false'>\n    </clustering>\n</c>";
    assert.equal(
      applyIdem(doc, { op: 'setAttribute', path: '/c/clustering', name: 'enable', value: "it's true" }),
      "<c>\n    <clustering class='x'\n                enable='it&apos;s true'>\n    </clustering>\n</c>",
    );
  });

  test("a new attribute uses the quote char of the element's other attributes", () => {
    assert.equal(apply("<a><b x='1'/></a>", { op: 'setAttribute', path: '/a/b', name: 'y', value: `"q"` }), `<a><b x='1' y='"q"'/></a>`);
  });

  test('escapes & < and the quote char (not >); value reads back', () => {
    const out = applyIdem('<a><b x="1"/></a>', { op: 'setAttribute', path: '/a/b', name: 'y', value: `a&b<c"d>e'f` });
    assert.equal(out, `<a><b x="1" y="a&amp;b&lt;c&quot;d>e'f"/></a>`);
    assert.equal(readAttribute(out, '/a/b', 'y'), `a&b<c"d>e'f`);
  });

  test('tab and line breaks in a value are written as references so they survive normalisation', () => {
    const out = applyIdem('<a b="1"/>', { op: 'setAttribute', path: '/a', name: 'b', value: 'x\ty\nz\r' });
    assert.equal(out, '<a b="x&#9;y&#10;z&#13;"/>');
    assert.equal(readAttribute(out, '/a', 'b'), 'x\ty\nz\r');
  });

  test('same value again (written with references) leaves the file as it was', () => {
    const doc = '<a b="x&amp;y &#34;"/>';
    assert.equal(apply(doc, { op: 'setAttribute', path: '/a', name: 'b', value: 'x&y "' }), doc);
  });

  test('refuses an invalid attribute name and a missing element', () => {
    refuses('<a/>', [{ op: 'setAttribute', path: '/a', name: '1x', value: 'v' }], /not a valid attribute name/);
    refuses('<a/>', [{ op: 'setAttribute', path: '/a', name: 'x y', value: 'v' }], /not a valid attribute name/);
    refuses(CATALINA, [{ op: 'setAttribute', path: "/Server/Service/Connector[@port='1']", name: 'p', value: 'v' }], /not found/);
  });

  test('refuses an ambiguous selection, naming the count and the lines', () => {
    refuses(CATALINA, [{ op: 'setAttribute', path: '/Server/Service/Connector', name: 'proxyPort', value: '80' }], /\/Server\/Service\/Connector is ambiguous: 2 elements match 'Connector' \(lines 6, 10\)/);
  });
});

describe('uncomment', () => {
  const cases: Array<[string, string, string]> = [
    ['<!--HostName>www.wso2.org</HostName-->', '<HostName>www.wso2.org</HostName>', 'HostName'],
    ['<!--<HostName>www.wso2.org</HostName>-->', '<HostName>www.wso2.org</HostName>', 'HostName'],
    ['<!-- HostName>www.wso2.org</HostName-->', '<HostName>www.wso2.org</HostName>', 'HostName'],
    ['<!-- <HostName>www.wso2.org</HostName> -->', '<HostName>www.wso2.org</HostName>', 'HostName'],
    ['<!--HostName>a &amp; b</HostName>-->', '<HostName>a &amp; b</HostName>', 'HostName'],
    [
      '<!--DefaultLimits>\n        <Gold>5000</Gold>\n        <Silver>2000</Silver>\n    </DefaultLimits-->',
      '<DefaultLimits>\n        <Gold>5000</Gold>\n        <Silver>2000</Silver>\n    </DefaultLimits>',
      'DefaultLimits',
    ],
    [
      '<!--Realm className="org.apache.catalina.realm.MemoryRealm" pathname="${carbon.home}/conf/users.xml"/-->',
      '<Realm className="org.apache.catalina.realm.MemoryRealm" pathname="${carbon.home}/conf/users.xml"/>',
      'Realm',
    ],
    [
      '<!--\n        <parameter name="mcastBindAddress">127.0.0.1</parameter>\n    -->',
      '<parameter name="mcastBindAddress">127.0.0.1</parameter>',
      "parameter[@name='mcastBindAddress']",
    ],
  ];
  for (const [commented, element, last] of cases) {
    test(`form ${JSON.stringify(commented.split('\n')[0])}`, () => {
      const doc = `<S>\n    <!-- prose about ${last.split('[')[0]} -->\n    ${commented}  \n    <Other/>\n</S>`;
      const out = applyIdem(doc, { op: 'uncomment', path: `/S/${last}` });
      assert.equal(out, `<S>\n    <!-- prose about ${last.split('[')[0]} -->\n    ${element}  \n    <Other/>\n</S>`);
    });
  }

  test('then setText: exactly one line changes (the carbon.xml HostName step)', () => {
    const out = applyIdem(
      CARBON,
      { op: 'uncomment', path: '/Server/MgtHostName' },
      { op: 'setText', path: '/Server/MgtHostName', value: 'mgt.am.wso2.com' },
    );
    assert.equal(out, CARBON.replace('<!--MgtHostName>mgt.wso2.org</MgtHostName-->', '<MgtHostName>mgt.am.wso2.com</MgtHostName>'));
  });

  test('no-op when the element already exists uncommented', () => {
    const doc = '<S>\n  <!--HostName>a</HostName-->\n  <HostName>b</HostName>\n</S>';
    assert.equal(apply(doc, { op: 'uncomment', path: '/S/HostName' }), doc);
  });

  test('a predicate picks the right comment among siblings', () => {
    const doc = '<c>\n  <!--<parameter name="licenseKey">xxx</parameter>-->\n  <!--<parameter name="mgtCenterURL">http://h:8081/</parameter>-->\n</c>';
    assert.equal(
      apply(doc, { op: 'uncomment', path: '/c/parameter[@name="mgtCenterURL"]' }),
      '<c>\n  <!--<parameter name="licenseKey">xxx</parameter>-->\n  <parameter name="mgtCenterURL">http://h:8081/</parameter>\n</c>',
    );
  });

  test('refuses two matching commented candidates', () => {
    const doc = '<S>\n  <!--HostName>a</HostName-->\n  <!--HostName>b</HostName-->\n</S>';
    refuses(doc, [{ op: 'uncomment', path: '/S/HostName' }], /2 commented-out forms of <HostName> under \/S \(lines 2, 3\)/);
  });

  test('refuses when the uncommented result would not be well-formed (<50PerMin>)', () => {
    const doc = '<T>\n    <!--DefaultLimits>\n        <ApplicationTierLimits>\n            <50PerMin>50</50PerMin>\n        </ApplicationTierLimits>\n    </DefaultLimits-->\n</T>';
    refuses(doc, [{ op: 'uncomment', path: '/T/DefaultLimits' }], /commented-out <DefaultLimits> at line 2 is not well-formed once uncommented \(line 4: .*50PerMin/);
  });

  test('refuses a comment that holds more than the element', () => {
    const doc = '<B>\n    <!--InitDelay>300000</InitDelay>\n    <Period>3600000</Period-->\n</B>';
    refuses(doc, [{ op: 'uncomment', path: '/B/InitDelay' }], /holds more than that element/);
  });

  test('refuses when there is neither the element nor a commented form', () => {
    refuses(CARBON, [{ op: 'uncomment', path: '/Server/Nothing' }], /\/Server \(line 3\) has neither a <Nothing> element nor a commented-out form/);
    refuses(CARBON, [{ op: 'uncomment', path: '/Server' }], /document element/);
  });
});

describe('commentOut', () => {
  const API = [
    '<APIManager>',
    '    <ThrottlingConfigurations>',
    '        <JMSConnectionDetails>',
    '            <Enabled>true</Enabled>',
    '        </JMSConnectionDetails>',
    '        <JMSEventPublisherParameters>',
    '                <java.naming.factory.initial>org.wso2.andes.jndi.PropertiesFileInitialContextFactory</java.naming.factory.initial>',
    '                <transport.jms.DestinationType>topic</transport.jms.DestinationType>',
    '        </JMSEventPublisherParameters>',
    '\t<EnableUnlimitedTier>true</EnableUnlimitedTier>   ',
    '    </ThrottlingConfigurations>',
    '</APIManager>',
  ].join('\n');
  const path = '/APIManager/ThrottlingConfigurations/JMSEventPublisherParameters';

  test('only the first and last lines of the block change', () => {
    const out = applyIdem(API, { op: 'commentOut', path });
    assert.equal(
      out,
      API.replace('<JMSEventPublisherParameters>', '<!--JMSEventPublisherParameters>').replace(
        '</JMSEventPublisherParameters>',
        '</JMSEventPublisherParameters-->',
      ),
    );
  });

  test('commentOut then uncomment gives the original bytes back', () => {
    const out = apply(API, { op: 'commentOut', path });
    assert.equal(apply(out, { op: 'uncomment', path }), API);
    const crlf = '<a>\r\n  <b x="1">\r\n    <c/>\r\n  </b >\r\n</a>';
    assert.equal(apply(apply(crlf, { op: 'commentOut', path: '/a/b' }), { op: 'uncomment', path: '/a/b' }), crlf);
  });

  test('self-closing element', () => {
    const doc = '<E>\n  <Realm className="a.b.MemoryRealm"/>\n</E>';
    const out = applyIdem(doc, { op: 'commentOut', path: '/E/Realm' });
    assert.equal(out, '<E>\n  <!--Realm className="a.b.MemoryRealm"/-->\n</E>');
    assert.equal(apply(out, { op: 'uncomment', path: '/E/Realm' }), doc);
  });

  test('no-op when the element is absent and a commented form is present', () => {
    const doc = '<E>\n  <!--<Realm className="x"/>-->\n</E>';
    assert.equal(apply(doc, { op: 'commentOut', path: '/E/Realm' }), doc);
  });

  test("refuses a block that contains a comment or '--'", () => {
    refuses('<a>\n  <b>\n    <!-- note -->\n  </b>\n</a>', [{ op: 'commentOut', path: '/a/b' }], /\/a\/b \(lines 2-4\): '--' at line 3 .*comments cannot nest/);
    refuses('<a><b x="--"/></a>', [{ op: 'commentOut', path: '/a/b' }], /'--' at line 1/);
  });

  test('refuses an absent element with no commented form, and an ambiguous one', () => {
    refuses(API, [{ op: 'commentOut', path: '/APIManager/ThrottlingConfigurations/Nope' }], /has no <Nope> element/);
    refuses('<a><b/><b/></a>', [{ op: 'commentOut', path: '/a/b' }], /ambiguous: 2 elements/);
  });
});

describe('insertChild', () => {
  const AXIS = [
    '<axisconfig name="AxisJava2.0">',
    '    <clustering class="x"',
    '                enable="false">',
    '        <parameter name="properties">',
    '            <property name="backendServerURL" value="https://${hostName}:${httpsPort}/services/"/>',
    '            <property name="subDomain" value="worker"/>  ',
    '        </parameter>',
    '        <members>',
    '        </members>',
    '    </clustering>',
    '</axisconfig>',
  ].join('\n');
  const props = "/axisconfig/clustering/parameter[@name='properties']";

  test('after a sibling, with the siblings\' indentation; trailing spaces of that line kept', () => {
    const out = applyIdem(AXIS, { op: 'insertChild', parent: props, xml: '<property name="port.mapping.80" value="9763"/>', after: "property[@name='backendServerURL']" });
    assert.equal(
      out,
      AXIS.replace('/services/"/>\n', '/services/"/>\n            <property name="port.mapping.80" value="9763"/>\n'),
    );
  });

  test('as last child', () => {
    const out = apply(AXIS, { op: 'insertChild', parent: props, xml: '<property name="p" value="1"/>' });
    assert.equal(out, AXIS.replace('value="worker"/>  \n', 'value="worker"/>  \n            <property name="p" value="1"/>\n'));
  });

  test('multi-line fragment into a parent without element children: parent indentation + unit', () => {
    const out = applyIdem(AXIS, {
      op: 'insertChild',
      parent: '/axisconfig/clustering/members',
      xml: '<member>\n    <hostName>10.0.0.1</hostName>\n    <port>4000</port>\n</member>',
    });
    assert.equal(
      out,
      AXIS.replace(
        '        <members>\n',
        '        <members>\n            <member>\n                <hostName>10.0.0.1</hostName>\n                <port>4000</port>\n            </member>\n',
      ),
    );
  });

  test('tab-indented file: 4-space units of the fragment become tabs', () => {
    const doc = '<a>\n\t<b>\n\t\t<c/>\n\t</b>\n</a>';
    const out = applyIdem(doc, { op: 'insertChild', parent: '/a/b', xml: '<d>\n    <e>\n        <f/>\n    </e>\n</d>' });
    assert.equal(out, '<a>\n\t<b>\n\t\t<c/>\n\t\t<d>\n\t\t\t<e>\n\t\t\t\t<f/>\n\t\t\t</e>\n\t\t</d>\n\t</b>\n</a>');
  });

  test('two-space file, empty parent on one line', () => {
    const doc = '<a>\n  <x>\n    <y/>\n  </x>\n  <b></b>\n</a>\n';
    const out = applyIdem(doc, { op: 'insertChild', parent: '/a/b', xml: '<d>\n    <e/>\n</d>' });
    assert.equal(out, '<a>\n  <x>\n    <y/>\n  </x>\n  <b>\n    <d>\n      <e/>\n    </d>\n  </b>\n</a>\n');
  });

  test('self-closing parent', () => {
    const doc = '<a>\n    <b x="1" />\n</a>';
    assert.equal(apply(doc, { op: 'insertChild', parent: '/a/b', xml: '<c/>' }), '<a>\n    <b x="1">\n        <c/>\n    </b>\n</a>');
  });

  test('CRLF document: the fragment is written with CRLF', () => {
    const doc = '<a>\r\n    <b/>\r\n</a>\r\n';
    const out = applyIdem(doc, { op: 'insertChild', parent: '/a', xml: '<c>\n    <d/>\n</c>' });
    assert.equal(out, '<a>\r\n    <b/>\r\n    <c>\r\n        <d/>\r\n    </c>\r\n</a>\r\n');
    // A fragment written with CRLF itself gives the same result.
    assert.equal(apply(doc, { op: 'insertChild', parent: '/a', xml: '<c>\r\n    <d/>\r\n</c>' }), out);
  });

  test('a one-line comment after the sibling stays with it', () => {
    const doc = '<a>\n  <b/> <!-- about b -->\n  <c/>\n</a>';
    assert.equal(apply(doc, { op: 'insertChild', parent: '/a', xml: '<n/>', after: 'b' }), '<a>\n  <b/> <!-- about b -->\n  <n/>\n  <c/>\n</a>');
  });

  test('siblings on one line: the line is broken around the new child', () => {
    assert.equal(apply('<a><b/><c/></a>', { op: 'insertChild', parent: '/a', xml: '<n/>', after: 'b' }), '<a><b/>\n    <n/>\n    <c/></a>');
  });

  test('a fragment of several elements is inserted once; applying it again changes nothing', () => {
    const doc = '<a>\n  <b/>\n</a>';
    const out = applyIdem(doc, { op: 'insertChild', parent: '/a', xml: '<c/>\n<!-- d -->\n<d/>' });
    assert.equal(out, '<a>\n  <b/>\n  <c/>\n  <!-- d -->\n  <d/>\n</a>');
  });

  test('refusals: fragment not well-formed, ambiguous `after`, parent with text, missing parent', () => {
    refuses(AXIS, [{ op: 'insertChild', parent: props, xml: '<property name="x">' }], /fragment is not well-formed/);
    refuses(AXIS, [{ op: 'insertChild', parent: props, xml: 'text' }], /fragment is not well-formed/);
    refuses(AXIS, [{ op: 'insertChild', parent: props, xml: '<p/>', after: 'property' }], /ambiguous: 2 elements match 'property' \(lines 5, 6\)/);
    refuses('<a><b>text</b></a>', [{ op: 'insertChild', parent: '/a/b', xml: '<c/>' }], /holds text/);
    refuses(AXIS, [{ op: 'insertChild', parent: '/axisconfig/nope', xml: '<c/>' }], /not found/);
  });
});

describe('replaceElement', () => {
  test('keeps the first line\'s indentation and re-indents the rest (spaces)', () => {
    const doc = '<c>\n    <x/>\n        <members>\n            <member><hostName>127.0.0.1</hostName></member>\n        </members>\n    <y/>  \n</c>';
    const xml = '<members>\n    <member>\n        <hostName>10.0.0.1</hostName>\n    </member>\n</members>';
    const out = applyIdem(doc, { op: 'replaceElement', path: '/c/members', xml });
    assert.equal(
      out,
      '<c>\n    <x/>\n        <members>\n            <member>\n                <hostName>10.0.0.1</hostName>\n            </member>\n        </members>\n    <y/>  \n</c>',
    );
  });

  test('tabs and CRLF', () => {
    const doc = '<c>\r\n\t<m>\r\n\t\t<old/>\r\n\t</m>\r\n</c>';
    const out = applyIdem(doc, { op: 'replaceElement', path: '/c/m', xml: '<m>\n    <new/>\n</m>' });
    assert.equal(out, '<c>\r\n\t<m>\r\n\t\t<new/>\r\n\t</m>\r\n</c>');
  });

  test('refuses a result that is not well-formed (a second document element)', () => {
    refuses('<a/>', [{ op: 'replaceElement', path: '/a', xml: '<a/>\n<b/>' }], /result would not be well-formed XML \(line 2, column 1: a second document element/);
  });
});

describe('applyXmlEdits', () => {
  test('refuses input that is not well-formed, with line and column', () => {
    refuses('<a>\n  <b>\n</a>', [], /not well-formed: line 3, column 1/);
    refuses('<a>\n  <!-- x -- y -->\n</a>', [{ op: 'setText', path: '/a', value: '' }], /line 2, column 10: '--' is not allowed inside a comment/);
  });

  test('all or nothing: a failing later edit throws, naming which edit', () => {
    refuses(
      CARBON,
      [
        { op: 'setText', path: '/Server/HostName', value: 'ok' },
        { op: 'setText', path: '/Server/Missing', value: 'x' },
      ],
      /^Edit 2 of 2 \(setText \/Server\/Missing\): /,
    );
  });

  test('edits apply in order, each on the previous result', () => {
    const out = apply(
      '<a>\n  <b/>\n</a>',
      { op: 'insertChild', parent: '/a', xml: '<c/>' },
      { op: 'setAttribute', path: '/a/c', name: 'n', value: '1' },
      { op: 'setText', path: '/a/c', value: 't' },
    );
    assert.equal(out, '<a>\n  <b/>\n  <c n="1">t</c>\n</a>');
  });

  test('refuses bad paths', () => {
    for (const path of ['Server/HostName', '/Server//HostName', '/Server/', '/', '/a[@b=c]', "/a[@b='c'", '/a b', '/a[b]', '/1a']) {
      refuses(CARBON, [{ op: 'setText', path, value: 'x' }], /Invalid path/);
    }
  });

  test('refuses an unknown operation and malformed edits (e.g. from JSON)', () => {
    refuses(CARBON, [{ op: 'rename', path: '/Server' } as unknown as XmlEdit], /unknown operation "rename"/);
    refuses(CARBON, [null as unknown as XmlEdit], /must be an object/);
    refuses(CARBON, [{ op: 'setText', value: 'x' } as unknown as XmlEdit], /Invalid path undefined/);
    refuses(CARBON, [{ op: 'setText', path: '/Server/HostName', value: 3 } as unknown as XmlEdit], /value must be a string/);
  });

  test('attribute values may contain > / and newlines; comments, CDATA, PIs and DOCTYPE are skipped', () => {
    const doc = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE r [ <!ENTITY e "xy"> <!-- <b>no</b> --> ]>',
      '<?pi <r><b>no</b></r> ?>',
      '<r a="1 > 0 / 2',
      '  still a">',
      '  <!-- <b>not me</b> -->',
      '  <x><![CDATA[<b>nor me</b>]]></x>',
      '  <b>me</b>',
      '</r>',
    ].join('\n');
    assert.equal(apply(doc, { op: 'setText', path: '/r/b', value: 'yes' }), doc.replace('<b>me</b>', '<b>yes</b>'));
    assert.equal(readAttribute(doc, '/r', 'a'), '1 > 0 / 2   still a');
  });
});
