import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTS_BEGIN, HOSTS_END, HostsError, hostsConflicts, readHostsBlock, setHostsBlock } from '../src/core/hosts.js';

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
  assert.throws(() => setHostsBlock(two, mgr, '/etc/hosts'), (e: Error) => e instanceof HostsError && /BEGIN marker on line 3, 7, END marker on line 6/.test(e.message));
  assert.throws(() => setHostsBlock(`${HOSTS_END}\n${HOSTS_BEGIN}\n`, mgr), /damaged/);
  assert.throws(() => readHostsBlock(`${HOSTS_BEGIN}\n`), /END marker on line none/);
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
