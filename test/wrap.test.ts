// The one wrapping module of the screens (src/ui/components/wrap.ts): widths counted as Ink
// counts them, prose broken at words and after a `/`, long tokens and verbatim lines split
// with ↵ and nothing lost, the keys line broken between whole items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { keysRows } from '../src/ui/components/Frame.js';
import { CONTINUED, cellRows, cellWidth, padCells, typedRows, unwrap, wrapHanging, wrapVerbatim, wrapWords } from '../src/ui/components/wrap.js';

/** Ink's own measure: the string-width that Ink resolves (the reference cellWidth must never undercount). */
async function inkWidth(): Promise<(s: string) => number> {
  const fromInk = createRequire(createRequire(import.meta.url).resolve('ink'));
  return (await import(pathToFileURL(fromInk.resolve('string-width')).href)).default;
}

const fits = (rows: string[], width: number) => rows.every((r) => cellWidth(r) <= width);
const SHA = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

test('cells are counted as Ink counts them: ✖ ✔ ▶ two, ❯ → ↵ · one; never fewer than Ink for any character', async () => {
  const ink = await inkWidth();
  for (const s of ['✖', '✔', '▶', '❯', '→', '↵', '·', '─', 'é', '漢', 'a', '⚠', '★']) assert.equal(cellWidth(s), ink(s), s);
  assert.equal(cellWidth('✖ rsync'), 8);
  // A row we count as fitting must fit for Ink too, or Ink wraps it again ("and" alone at column 0).
  const under: string[] = [];
  for (let cp = 0x20; cp < 0x20000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (cellWidth(c) < ink(c)) under.push(cp.toString(16));
  }
  assert.deepEqual(under.slice(0, 10), []);
  assert.equal(padCells('✔ ok', 6), '✔ ok ');
});

test('prose wraps at words; a path breaks after a "/", never inside a name; nothing is lost', () => {
  const path = '/tmp/agw-test-abcdef/apim-gateway-wizard-demo-worker-1/opt/wso2am-2.1.0/repository/deployment/server';
  const text = `Every file is read and written under ${path}; the real /opt and /etc are not touched.`;
  const rows = wrapWords(text, 40);
  assert.ok(fits(rows, 40), rows.join('\n'));
  for (const r of rows) assert.ok(!r.startsWith(' ') && !r.endsWith(' '), `no blank at a row's edge: "${r}"`);
  // Each row ends at a space (a whole word) or right after a "/" inside the path.
  const names = path.split('/').filter(Boolean);
  for (const r of rows) {
    const last = r.split(/[ /]/).at(-1)!;
    if (last && !r.endsWith('/')) assert.ok(text.includes(`${last} `) || text.endsWith(last) || !names.some((n) => n !== last && n.startsWith(last)), `"${r}" ends inside a name`);
  }
  assert.ok(rows.some((r) => r.endsWith('/')), 'the path was broken after a /');
  assert.ok(!rows.some((r) => r.endsWith(' /')), 'never a lone / at the end of a row');
  // Joined back (a row ending in "/" continues without a blank), the text is whole.
  assert.equal(rows.reduce((out, r) => (out === '' || out.endsWith('/') ? out + r : `${out} ${r}`), ''), text);
  // Line breaks in a message start new rows; an empty text is one empty row.
  assert.deepEqual(wrapWords('one\ntwo three', 40), ['one', 'two three']);
  assert.deepEqual(wrapWords('', 40), ['']);
});

test('a token with no place to break (a sha256, a key) is split with ↵ and comes back whole', () => {
  const rows = wrapWords(`sha256 ${SHA.replace(/:/g, '')}`, 30);
  assert.ok(fits(rows, 30), rows.join('\n'));
  assert.equal(rows[0], 'sha256');
  assert.ok(rows.slice(1, -1).every((r) => r.endsWith(CONTINUED)), rows.join('\n'));
  assert.equal(rows.slice(1).map((r) => r.replace(CONTINUED, '')).join(''), SHA.replace(/:/g, ''));
  // After a "," the colon-less list breaks like a path: "a,b,c".
  const list = wrapWords('192.0.2.21,192.0.2.22,192.0.2.23,192.0.2.24', 24);
  assert.ok(fits(list, 24) && list.every((r) => r.endsWith(',') || r === list.at(-1)), list.join('\n'));
});

test('hanging indent: "✖ " on the first row, the rest lined up under the text', () => {
  const rows = wrapHanging('✖ ', 'rsync target "wso2carbon@192.0.2.21:/opt/wso2am" must be user@host:/path and the host must be one of the workers', 40);
  assert.ok(rows[0]!.startsWith('✖ rsync'));
  // ✖ counts two cells for Ink: the rest is indented by as many.
  assert.ok(rows.slice(1).every((r) => r.startsWith('   ') && r[3] !== ' '), rows.join('\n'));
  assert.ok(fits(rows, 40), rows.join('\n'));
  assert.ok(!rows.some((r) => r.trim() === 'and'), 'no word alone on a row');
});

test('verbatim lines (a diff, a log) keep every character, spaces too, and unwrap to the line', () => {
  const line = "+readonly SSH_COMMAND='ssh -i /opt/wso2am-2.1.0/depsync/id_ed25519 -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/opt/wso2am-2.1.0/depsync/known_hosts'";
  const rows = wrapVerbatim(line, 80);
  assert.ok(rows.length > 1 && fits(rows, 80), rows.join('\n'));
  assert.ok(rows.slice(0, -1).every((r) => r.endsWith(CONTINUED)));
  assert.ok(rows.slice(1).every((r) => r.startsWith(' ')), 'the +/- column stays clear');
  assert.equal(unwrap(rows), line);
  assert.deepEqual(wrapVerbatim('+short', 80), ['+short']);
  const spaced = `+sha256       ${SHA}`;
  assert.equal(unwrap(wrapVerbatim(spaced, 40)), spaced);
  assert.equal(unwrap([...wrapVerbatim(line, 50), ...wrapVerbatim(spaced, 50)]), `${line}\n${spaced}`);
});

test('typed text wraps at the edge as a terminal does, every character in a row of its own width', () => {
  const text = 'root@192.0.2.21:/opt/wso2am-2.1.0, root@192.0.2.22:/opt/wso2am-2.1.0';
  const rows = cellRows([...text], 20);
  assert.ok(rows.every((r) => r.length <= 20));
  assert.equal(rows.map((r) => r.join('')).join(''), text);
  // The cursor cell after the text counts: 20 characters in 20 cells take a second row.
  assert.equal(typedRows('x'.repeat(19), 20), 1);
  assert.equal(typedRows('x'.repeat(20), 20), 2);
  assert.equal(typedRows('', 20), 1);
});

test('the keys line breaks between whole items; at 60 columns "q quit" is still there', () => {
  const keys = '↑/↓ PgUp/PgDn scroll · Esc back to the files · k keep hand edits · r replace them · q quit';
  const at80 = keysRows(keys, 80);
  assert.equal(at80.length, 2);
  const at60 = keysRows(keys, 60);
  assert.ok(fits(at60, 60), at60.join('\n'));
  assert.ok(at60.at(-1)!.endsWith('q quit'), at60.join('\n'));
  // Every item is whole on one row.
  for (const item of keys.split(' · ')) assert.ok(at60.some((r) => r.includes(item)), item);
  assert.deepEqual(keysRows('Enter continue · q quit', 80), ['Enter continue · q quit']);
});
