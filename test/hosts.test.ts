import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOSTS_BEGIN, HOSTS_END, HostsError, hostsConflicts, readHostsBlock, setHostsBlock } from '../src/core/edit/hosts.js';
import { demoSandbox, REPO, runCli, tempDir } from './helpers.js';

const base = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n';
const mgr = [{ ip: '10.0.0.10', names: ['mgt.am.wso2.com'] }];

test('appends the block and leaves every other line as it was', () => {
  const out = setHostsBlock(base, mgr);
  assert.ok(out.startsWith(base));
  assert.equal(
    out.slice(base.length),
    `${HOSTS_BEGIN}\n# Managed by apim-gateway-wizard; edits between these markers are replaced on its next apply.\n10.0.0.10\tmgt.am.wso2.com\n${HOSTS_END}\n`,
  );
  assert.deepEqual(readHostsBlock(out), mgr);
  assert.equal(setHostsBlock(out, mgr), out, 'same entries again: same bytes');
});

test('a file without a final newline gets one before the block; CRLF files stay CRLF', () => {
  const noEol = '127.0.0.1 localhost';
  assert.ok(setHostsBlock(noEol, mgr).startsWith('127.0.0.1 localhost\n# BEGIN'));
  const crlf = '127.0.0.1 localhost\r\n';
  const out = setHostsBlock(crlf, mgr);
  assert.equal(out.split('\r\n').length, 6);
  assert.ok(!/[^\r]\n/.test(out));
  assert.equal(setHostsBlock('', mgr).split('\n')[0], HOSTS_BEGIN);
});

test('replaces only inside the block; no entries removes it', () => {
  const withBlock = setHostsBlock(base, mgr) + '10.9.9.9 other\n';
  const moved = setHostsBlock(withBlock, [{ ip: '10.0.0.11', names: ['mgt.am.wso2.com'] }]);
  assert.equal(moved, withBlock.replace('10.0.0.10', '10.0.0.11'));
  assert.equal(setHostsBlock(withBlock, []), base + '10.9.9.9 other\n');
});

test('refuses a damaged block, naming the lines', () => {
  const two = setHostsBlock(base, mgr) + `${HOSTS_BEGIN}\n`;
  assert.throws(() => setHostsBlock(two, mgr, '/etc/hosts'), (e: Error) => e instanceof HostsError && /^\/etc\/hosts: .*a second BEGIN marker on line 7 \(the first is on line 3\)/.test(e.message));
  assert.throws(() => setHostsBlock(`${HOSTS_END}\n${HOSTS_BEGIN}\n`, mgr), /the END marker on line 1 has no BEGIN marker before it/);
  assert.throws(() => readHostsBlock(`x y\n${HOSTS_BEGIN}\n`), /the BEGIN marker on line 2 has no END marker after it/);
  assert.throws(() => readHostsBlock(`${HOSTS_BEGIN}\n${HOSTS_END}\n${HOSTS_END}\n`), /a second END marker on line 3 \(the first is on line 2\)/);
  // CRLF markers are markers too: a second block in CRLF is refused, not missed.
  const crlfTwice = `${HOSTS_BEGIN}\n${HOSTS_END}\n${HOSTS_BEGIN}\r\n${HOSTS_END}\r\n`;
  assert.throws(() => setHostsBlock(crlfTwice, mgr), /a second BEGIN marker on line 3 \(the first is on line 1\)/);
});

test('one block whatever the line endings: a single CRLF line does not make a second block', () => {
  const withBlock = setHostsBlock(base, mgr);
  const mixed = '127.0.0.1\tlocalhost\r\n' + withBlock.slice(withBlock.indexOf('\n') + 1) + '10.9.9.9 other\r\n';
  assert.equal(setHostsBlock(mixed, mgr), mixed, 'same entries: the same bytes, no second block');
  assert.deepEqual(readHostsBlock(mixed), mgr);
  const moved = setHostsBlock(mixed, [{ ip: '10.0.0.11', names: ['mgt.am.wso2.com'] }]);
  assert.equal(moved, mixed.replace('10.0.0.10', '10.0.0.11'), 'replaced in place, every other byte kept');
  assert.equal(moved.split(HOSTS_BEGIN).length, 2);
  assert.equal(setHostsBlock(mixed, []), '127.0.0.1\tlocalhost\r\n::1\tlocalhost ip6-localhost\n10.9.9.9 other\r\n');
});

test('a block whose markers end in CRLF is found and kept CRLF; new lines follow the block', () => {
  const crlf = setHostsBlock('127.0.0.1 localhost\r\n', mgr);
  const lfAround = '# head\n' + crlf + '# tail\n';
  assert.deepEqual(readHostsBlock(lfAround), mgr);
  const out = setHostsBlock(lfAround, [...mgr, { ip: '10.0.0.20', names: ['am.wso2.com'] }]);
  assert.ok(out.startsWith('# head\n127.0.0.1 localhost\r\n'));
  assert.ok(out.endsWith(`10.0.0.20\tam.wso2.com\r\n${HOSTS_END}\r\n# tail\n`), JSON.stringify(out));
  assert.equal(out.split(HOSTS_BEGIN).length, 2);
  // A mixed file without a block: the new block in LF (not every line is CRLF).
  assert.ok(setHostsBlock('a b\r\nc d\n', mgr).endsWith(`${HOSTS_END}\n`));
  // A block at the very end without a final newline keeps having none.
  const noEol = base + `${HOSTS_BEGIN}\n10.0.0.10\tmgt.am.wso2.com\n${HOSTS_END}`;
  assert.ok(setHostsBlock(noEol, mgr).endsWith(`mgt.am.wso2.com\n${HOSTS_END}`));
});

test('conflict warnings name the right line in a file with mixed line endings', () => {
  const text = '127.0.0.1 localhost\r\n::1 localhost\n10.1.1.1 mgt.am.wso2.com\n';
  assert.match(hostsConflicts(text, mgr)[0]!, /^\/etc\/hosts line 3 maps mgt\.am\.wso2\.com to 10\.1\.1\.1/);
  const after = setHostsBlock(text, mgr) + '10.2.2.2 mgt.am.wso2.com\r\n';
  const w = hostsConflicts(after, mgr);
  assert.match(w[0]!, /line 3 maps .* before the wizard's block/);
  assert.match(w[1]!, /line 8 maps mgt\.am\.wso2\.com to 10\.2\.2\.2.*block comes first/);
});

test('entries outside the block that send our names elsewhere are warnings', () => {
  const before = '10.1.1.1 mgt.am.wso2.com\n' + base;
  const w1 = hostsConflicts(before, mgr);
  assert.equal(w1.length, 1);
  assert.match(w1[0]!, /line 1 maps mgt\.am\.wso2\.com to 10\.1\.1\.1, not 10\.0\.0\.10; it comes before the wizard's block/);
  const after = setHostsBlock(base, mgr) + '10.1.1.1 MGT.am.wso2.com # old\n';
  assert.match(hostsConflicts(after, mgr)[0]!, /the wizard's block comes first and wins/);
  assert.deepEqual(hostsConflicts(base + '10.0.0.10 mgt.am.wso2.com\n', mgr), [], 'same address is no conflict');
});

test('the CLI on a hosts file with one CRLF line: one block after two applies, the conflict on the right line, every other byte kept', async () => {
  const root = await demoSandbox();
  const hosts = join(root, 'etc/hosts');
  const head = '127.0.0.1\tlocalhost\r\n::1\tlocalhost\n';
  const tail = '10.1.1.1\tmgt.am.wso2.com # old\n';
  await writeFile(hosts, head + tail);
  const answers = join(await tempDir(), 'worker.json');
  const worker = JSON.parse(await readFile(join(REPO, 'templates/examples/worker.json'), 'utf8'));
  for (const managerIp of ['192.0.2.10', '192.0.2.11']) {
    await writeFile(answers, JSON.stringify({ ...worker, managerIp }));
    const plan = runCli(['plan', '--answers', answers, '--root', root]);
    assert.match(plan.stdout, /\/etc\/hosts line 3 maps mgt\.am\.wso2\.com to 10\.1\.1\.1, not 192\.0\.2\.1[01]; it comes before the wizard's block/, plan.stdout);
    const r = runCli(['apply', '--answers', answers, '--root', root, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const text = await readFile(hosts, 'utf8');
    assert.equal(text.split(HOSTS_BEGIN).length, 2, `one block:\n${text}`);
    assert.ok(text.startsWith(head + tail), 'the lines before the block kept byte for byte');
    assert.deepEqual(readHostsBlock(text), [{ ip: managerIp, names: ['mgt.am.wso2.com'] }]);
  }
});
