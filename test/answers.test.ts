import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { duplicateKeys } from '../src/core/answers/duplicate-keys.js';
import { AnswersError, checkLayer, layerFromFlags, readAnswersFile, resolveAnswers } from '../src/core/answers/load.js';
import { canonicalIp, checkAbsolutePath, checkHostName, checkIp, checkListenAddress, checkPort, sameHost } from '../src/core/answers/validators.js';
import { FIELDS } from '../src/core/answers/schema.js';
import { checkFieldText } from '../src/core/answers/prefill.js';
import { safeMessage, shown } from '../src/core/messages/shown.js';
import { tempDir } from './helpers.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AnswersError, `expected AnswersError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('expected an AnswersError');
}

const manager = {
  role: 'manager',
  productHome: '/opt/wso2am-2.1.0',
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  workerIps: ['10.0.0.21'],
};

test('host names follow RFC 1123', () => {
  for (const ok of ['am.wso2.com', 'a', 'gw-1.example.org', 'x'.repeat(63) + '.com', '1gw.example.com']) {
    assert.equal(checkHostName(ok), undefined, ok);
  }
  for (const bad of ['', '-a.com', 'a-.com', 'a..com', '.a.com', 'a.com.', 'a_b.com', 'x'.repeat(64) + '.com', 'am.wso2.com ', 'ä.com', '10.0.0.1', '::1', 'a.123']) {
    assert.ok(checkHostName(bad), `should refuse ${JSON.stringify(bad)}`);
  }
  assert.match(checkHostName(`${'a'.repeat(60)}.`.repeat(5) + 'com')!, /at most 253/);
});

test('addresses, ports and paths', () => {
  for (const ok of ['10.0.0.1', '::1', 'fe80::1', '2001:db8::2']) assert.equal(checkIp(ok), undefined);
  for (const bad of ['10.0.0', '10.0.0.256', 'host', '', '1.2.3.4 ', '::g']) assert.ok(checkIp(bad), bad);
  for (const ok of [1, 80, 65535]) assert.equal(checkPort(ok), undefined);
  for (const bad of [0, -1, 65536, 80.5, NaN]) assert.ok(checkPort(bad), String(bad));
  assert.equal(checkAbsolutePath('/opt/wso2am-2.1.0'), undefined);
  assert.match(checkAbsolutePath('opt/wso2')!, /absolute/);
  assert.match(checkAbsolutePath('/opt/wso2\n')!, /control character/);
  assert.match(checkAbsolutePath('/opt/../etc')!, /normal form/);
});

test('a complete manager resolves, with schema defaults and the derived cluster address', () => {
  const a = resolveAnswers(manager);
  assert.equal(a.proxyHttpPort, 80);
  assert.equal(a.proxyHttpsPort, 443);
  assert.equal(a.clusterHostIp, '10.0.0.21');
});

test('unknown keys, wrong types and invalid values name the key', () => {
  assert.deepEqual(problemsOf(() => checkLayer({ ...manager, hostname: 'x' }, 'a.json')), ['a.json: unknown key "hostname"']);
  assert.deepEqual(problemsOf(() => checkLayer({ proxyHttpPort: '80' }, 'a.json')), ['a.json: proxyHttpPort must be a number']);
  assert.deepEqual(problemsOf(() => checkLayer({ proxyHttpPort: 70000 }, 'a.json')), ['a.json: proxyHttpPort must be a whole number from 1 to 65535']);
  assert.match(problemsOf(() => checkLayer({ hostName: 'bad_name' }, 'a.json'))[0]!, /^a\.json: hostName has an invalid label "bad_name"/);
  assert.match(problemsOf(() => checkLayer({ workerIps: ['10.0.0.1', 'nope'] }, 'a.json'))[0]!, /^a\.json: workerIps\[1\] is not an IPv4 or IPv6 address/);
  assert.match(problemsOf(() => checkLayer({ workerIps: ['10.0.0.1', '10.0.0.1'] }, 'a.json'))[0]!, /workerIps lists 10\.0\.0\.1 twice/);
  assert.match(problemsOf(() => checkLayer({ role: 'gateway' }, 'a.json'))[0]!, /role must be one of manager, worker, load-balancer/);
  assert.deepEqual(problemsOf(() => checkLayer([1], 'a.json')), ['a.json: must be a JSON object of answers']);
});

test('what each role needs is required, and contradictions are refused', () => {
  assert.match(problemsOf(() => resolveAnswers({}))[0]!, /role is missing/);
  const worker = problemsOf(() => resolveAnswers({ role: 'worker', productHome: '/opt/x' }));
  assert.deepEqual(worker.map((p) => p.split(' ')[0]), ['hostName', 'mgtHostName', 'managerIp']);
  assert.match(problemsOf(() => resolveAnswers({ ...manager, workerIps: undefined }))[0]!, /^clusterHostIp is required for role manager/);
  assert.match(problemsOf(() => resolveAnswers({ ...manager, mgtHostName: 'am.wso2.com' }))[0]!, /mgtHostName must differ from hostName/);
  assert.match(problemsOf(() => resolveAnswers({ ...manager, managerIp: '10.0.0.21' }))[0]!, /workerIps lists the manager's address/);
});

test('flags are typed through the schema and override the file', () => {
  const flags = layerFromFlags({ 'host-name': 'gw.example.org', 'proxy-https-port': '8443', 'worker-ips': ['10.0.0.5,10.0.0.6', '10.0.0.7'] });
  assert.deepEqual(flags, { hostName: 'gw.example.org', proxyHttpsPort: 8443, workerIps: ['10.0.0.5', '10.0.0.6', '10.0.0.7'] });
  const a = resolveAnswers(manager, flags);
  assert.equal(a.hostName, 'gw.example.org');
  assert.equal(a.clusterHostIp, '10.0.0.5');
  assert.deepEqual(problemsOf(() => layerFromFlags({ 'proxy-http-port': 'eighty' })), ['--proxy-http-port: "eighty" is not a number']);
  assert.match(problemsOf(() => layerFromFlags({ 'manager-ip': '300.1.1.1' }))[0]!, /^flags: managerIp is not an IPv4 or IPv6 address/);
});

test('every field has a distinct flag, a prompt and help', () => {
  const flags = FIELDS.map((f) => f.flag);
  assert.equal(new Set(flags).size, flags.length);
  for (const f of FIELDS) {
    assert.ok(f.prompt.length > 5 && f.help.length > 5, f.key);
    assert.match(f.flag, /^[a-z][a-z-]*$/);
  }
});

test('answers files: unreadable, not JSON, wrong shape', async () => {
  const dir = await tempDir();
  const missing = join(dir, 'none.json');
  assert.match(await readAnswersFile(missing).then(() => '', (e: AnswersError) => e.problems[0]!), /none\.json: cannot read the answers file \(no such file\)/);
  const broken = join(dir, 'broken.json');
  await writeFile(broken, '{"role": "manager",');
  assert.match(await readAnswersFile(broken).then(() => '', (e: AnswersError) => e.problems[0]!), /broken\.json: is not valid JSON/);
  const good = join(dir, 'good.json');
  await writeFile(good, JSON.stringify(manager));
  assert.deepEqual(await readAnswersFile(good), manager);
});

// Issue 12: answers that cannot hurt.

const lbAnswers = {
  role: 'load-balancer', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '127.0.0.1', workerIps: ['127.0.0.2'],
  listenAddress: '127.0.0.1', proxyHttpPort: 18080, proxyHttpsPort: 18443, selfSignedCertificate: true, nginxSite: '/etc/nginx/conf.d/apim-gateway.conf',
};

test('addresses that cannot be a node are refused with why; loopback and link-local stay', () => {
  const why: Record<string, RegExp> = {
    '0.0.0.0': /unspecified/, '::': /unspecified/, '0:0:0:0:0:0:0:0': /is :: in another spelling, the unspecified address/, '::ffff:0.0.0.0': /is 0\.0\.0\.0 in another spelling, the unspecified/,
    '0.1.2.3': /0\.0\.0\.0\/8/, '255.255.255.255': /broadcast/, '224.0.0.1': /multicast.*224\.0\.0\.0\/4/, '239.255.255.250': /multicast/,
    'ff02::1': /multicast.*ff00::\/8/, 'FF05::2': /multicast/, '::ffff:224.0.0.1': /is 224\.0\.0\.1 in another spelling, a multicast address/, '240.0.0.1': /reserved.*240\.0\.0\.0\/4/, '250.1.1.1': /reserved/,
  };
  for (const [v, re] of Object.entries(why)) assert.match(checkIp(v) ?? '', re, v);
  for (const ok of ['127.0.0.1', '::1', '127.0.0.2', 'fe80::1', '192.0.2.10', '::ffff:192.0.2.1', '223.255.255.255']) assert.equal(checkIp(ok), undefined, ok);
  // nginx: listen 0.0.0.0 / [::] means every address of the machine; broadcast and multicast still cannot be listened on.
  for (const ok of ['0.0.0.0', '::', '127.0.0.1']) assert.equal(checkListenAddress(ok), undefined, ok);
  for (const bad of ['255.255.255.255', '224.0.0.1', 'ff02::1', '240.0.0.1']) assert.ok(checkListenAddress(bad), bad);
  // Every address field, through the schema.
  const layers: Record<string, unknown>[] = [
    { managerIp: '0.0.0.0' }, { clusterHostIp: '255.255.255.255' }, { workerIps: ['192.0.2.1', '224.0.0.1'] }, { localMemberHost: '::' },
    { listenAddress: 'ff02::1' }, { hazelcastMembers: ['0.0.0.0:4000'] }, { hazelcastMembers: ['[ff02::1]:4000'] },
    { syncTargets: ['wso2carbon@0.0.0.0:/opt/wso2am-2.1.0'] }, { syncTargets: ['wso2carbon@[ff02::1]:/opt/wso2am-2.1.0'] }, { syncTargets: ['u@240.0.0.9:/opt/x'] },
  ];
  for (const layer of layers) {
    const [key] = Object.keys(layer);
    assert.match(problemsOf(() => checkLayer(layer, 'a.json'))[0]!, new RegExp(`^a\\.json: ${key}.*(unspecified|broadcast|multicast|reserved)`), key);
  }
  assert.deepEqual(checkLayer({ listenAddress: '0.0.0.0' }, 'a.json'), { listenAddress: '0.0.0.0' });
});

test('IPv6 is compared canonically, ::ffff: mapped to IPv4, in every comparison', () => {
  assert.equal(canonicalIp('2001:0db8:0:0::1'), '2001:db8::1');
  assert.equal(canonicalIp('2001:DB8::1'), '2001:db8::1');
  assert.equal(canonicalIp('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(canonicalIp('::FFFF:C000:0201'), '192.0.2.1');
  assert.equal(canonicalIp('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(canonicalIp('192.0.2.1'), '192.0.2.1');
  assert.ok(sameHost('::ffff:192.0.2.1', '192.0.2.1'));
  assert.match(problemsOf(() => checkLayer({ workerIps: ['2001:db8::1', '2001:0db8:0:0::1'] }, 'a.json'))[0]!, /workerIps lists the same entry twice: 2001:db8::1 and 2001:0db8:0:0::1/);
  assert.match(problemsOf(() => checkLayer({ workerIps: ['192.0.2.1', '::ffff:192.0.2.1'] }, 'a.json'))[0]!, /workerIps lists the same entry twice/);
  assert.match(problemsOf(() => checkLayer({ hazelcastMembers: ['192.0.2.1:4000', '[::ffff:192.0.2.1]:4000'] }, 'a.json'))[0]!, /hazelcastMembers lists the same entry twice/);
  assert.match(problemsOf(() => checkLayer({ syncTargets: ['u@[2001:db8::1]:/opt/x', 'u@[2001:0DB8::1]:/opt/x'] }, 'a.json'))[0]!, /syncTargets lists the same worker home twice/);
  assert.match(problemsOf(() => resolveAnswers({ ...manager, managerIp: '::ffff:10.0.0.21' }))[0]!, /workerIps lists the manager's address ::ffff:10\.0\.0\.21 \(as 10\.0\.0\.21\)/);
  const worker = { role: 'worker', productHome: '/opt/x', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '2001:db8::10', hazelcast: true };
  assert.match(problemsOf(() => resolveAnswers({ ...worker, localMemberHost: '2001:0db8::10' })).join('\n'), /localMemberHost is the manager's address/);
  assert.match(problemsOf(() => resolveAnswers({ ...worker, localMemberHost: '2001:db8::21', localMemberPort: 4200, hazelcastMembers: ['[2001:db8::10]:4500', '[2001:0db8:0::21]:4300'] }))[0]!, /hazelcastMembers lists this node as 2001:0db8:0::21:4300, but localMemberPort is 4200/);
  // Two spellings of one worker are one default member, not two.
  const a = resolveAnswers({ ...manager, managerIp: '10.0.0.10', workerIps: ['10.0.0.21'], hazelcast: true, localMemberHost: '::ffff:10.0.0.10', localMemberPort: 4500 });
  assert.deepEqual(a.hazelcastMembers, ['[::ffff:10.0.0.10]:4500', '10.0.0.21:4200']);
});

test('host names are compared without regard to case', () => {
  assert.match(problemsOf(() => resolveAnswers({ ...manager, mgtHostName: 'AM.WSO2.com' }))[0]!, /mgtHostName must differ from hostName/);
  assert.match(problemsOf(() => checkLayer({ syncTargets: ['u@W1.example.com:/opt/x', 'u@w1.EXAMPLE.com:/opt/x'] }, 'a.json'))[0]!, /same worker home twice/);
  assert.equal(resolveAnswers({ ...manager, hostName: 'AM.wso2.com' }).hostName, 'AM.wso2.com');
});

test('every field has a length limit, named in the message, checked before anything else', () => {
  const long: Record<string, [unknown, RegExp]> = {
    hostName: ['a'.repeat(254), /hostName is 254 characters long; at most 253/],
    productHome: [`/${'a'.repeat(5000)}`, /productHome is 5001 characters long; at most 4096/],
    managerIp: ['1'.repeat(46), /managerIp is 46 characters long; at most 45/],
    hazelcastDomain: ['d'.repeat(50 * 1024 * 1024), /hazelcastDomain is 52428800 characters long; at most 255/],
    syncCronUser: ['u'.repeat(40), /syncCronUser is 40 characters long; at most 33/],
    syncSchedule: ['* '.repeat(150), /syncSchedule is 300 characters long; at most 200/],
    workerIps: [Array.from({ length: 300 }, (_, i) => `10.0.${i >> 8}.${(i & 255) + 1}`), /workerIps lists 300 entries; at most 256/],
    hazelcastMembers: [Array.from({ length: 100_000 }, () => 'x'), /hazelcastMembers lists 100000 entries; at most 256/],
    syncTargets: [[`u@h:/${'p'.repeat(5000)}`], /syncTargets\[0\] is 5005 characters long/],
  };
  for (const [key, [v, re]] of Object.entries(long)) {
    const problems = problemsOf(() => checkLayer({ [key]: v }, 'a.json'));
    assert.equal(problems.length, 1, key);
    assert.match(problems[0]!, re);
    assert.ok(problems[0]!.length < 200, `${key}: ${problems[0]!.length}`);
  }
  assert.match(checkHostName(`${'a'.repeat(64)}.com`)!, /label of 64 characters; at most 63/);
  // At the limits: accepted.
  assert.equal(checkLayer({ hazelcastDomain: 'd'.repeat(255) }, 'a.json').hazelcastDomain, 'd'.repeat(255));
  assert.equal((checkLayer({ workerIps: Array.from({ length: 256 }, (_, i) => `10.1.${i}.1`) }, 'a.json').workerIps as string[]).length, 256);
  // A list of thousands of bad entries gives a short message, not thousands of lines.
  assert.ok(problemsOf(() => checkLayer({ workerIps: Array.from({ length: 200 }, () => 'x') }, 'a.json')).length <= 21);
});

test('values in messages: control characters escaped, long values cut with their length', () => {
  const hostile = ['\u001b[2J', '\u001b]0;pwned\u0007', '\u0000', '\u007f', '\u009b31m', '\u202e', 'x'.repeat(100_000)];
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  for (const v of hostile) {
    const messages = [
      ...problemsOf(() => checkLayer({ hostName: `a${v}b.com` }, 'a.json')),
      ...problemsOf(() => checkLayer({ [`key${v}`]: 1 }, 'a.json')),
      ...problemsOf(() => checkLayer({ hazelcastMembers: [`${v}:1`] }, 'a.json')),
      ...problemsOf(() => checkLayer({ syncTargets: [`u@h:/opt/${v}`] }, 'a.json')),
      ...problemsOf(() => checkLayer({ syncSchedule: `${v} * * * *` }, 'a.json')),
      ...problemsOf(() => layerFromFlags({ 'proxy-http-port': v })),
      ...problemsOf(() => layerFromFlags({ 'http-api-traffic': v })),
    ];
    for (const m of messages) {
      assert.doesNotMatch(m, raw, JSON.stringify(m.slice(0, 200)));
      assert.ok(m.length < 400, `${m.length} characters: ${m.slice(0, 100)}`);
    }
  }
  assert.equal(shown('a\u001b[2Jb\u009b\u202e\u0000'), 'a\\x1b[2Jb\\x9b\\u202e\\x00');
  assert.equal(shown('x'.repeat(100_000)), `${'x'.repeat(80)}… (100000 characters)`);
  assert.equal(safeMessage('line 1\tok\nline 2 \u001b[2J'), 'line 1\tok\nline 2 \\x1b[2J');
  assert.ok(safeMessage('y'.repeat(100_000)).length < 2100);
  // The wizard's field errors are the schema's messages: escaped too.
  const field = FIELDS.find((f) => f.key === 'workerIps')!;
  assert.doesNotMatch(checkFieldText(field, '10.0.0.1, \u001b[2J', 'manager', {}).problem!, raw);
});

test('load balancer problems are found when the answers are resolved, naming the keys', () => {
  assert.equal(resolveAnswers(lbAnswers).role, 'load-balancer');
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ proxyHttpPort: 8443, proxyHttpsPort: 8443 }, /proxyHttpPort and proxyHttpsPort are both 8443/],
    [{ workerIps: [] }, /workerIps is empty/],
    [{ httpApiTraffic: true, workerHttpPort: 8243, workerHttpsPort: 8243 }, /workerHttpPort and workerHttpsPort are both 8243/],
    [{ managerPort: 18443 }, /managerIp 127\.0\.0\.1 with managerPort 18443 is where this load balancer itself listens \(proxyHttpsPort 18443 on 127\.0\.0\.1\)/],
    [{ listenAddress: '0.0.0.0', workerHttpsPort: 18080 }, /workerIps\[0\] 127\.0\.0\.2 with workerHttpsPort 18080/],
    [{ listenAddress: undefined, managerIp: '127.0.0.9', managerPort: 18080 }, /managerIp 127\.0\.0\.9 with managerPort 18080 .* every IPv4 address of this machine/],
    [{ listenAddress: '::', managerIp: '0:0::1', managerPort: 18443 }, /managerIp 0:0::1 with managerPort 18443/],
  ];
  for (const [extra, re] of cases) assert.match(problemsOf(() => resolveAnswers({ ...lbAnswers, ...extra })).join('\n'), re, JSON.stringify(extra));
  // Not a loop: another machine's address, another family, another port.
  for (const extra of [{ listenAddress: '127.0.0.1', managerIp: '127.0.0.5', managerPort: 18443 }, { listenAddress: '::', managerPort: 18443 }, { managerPort: 9443 }]) {
    assert.equal(resolveAnswers({ ...lbAnswers, ...extra }).role, 'load-balancer', JSON.stringify(extra));
  }
  // Equal proxy ports on a manager: the two connectors would carry one proxyPort.
  assert.match(problemsOf(() => resolveAnswers({ ...manager, proxyHttpPort: 443 }))[0]!, /proxyHttpPort and proxyHttpsPort are both 443/);
});

test('answers files: a BOM is accepted, duplicate keys refused naming the key, at any depth', async () => {
  const dir = await tempDir();
  const file = join(dir, 'a.json');
  await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(manager))]));
  assert.deepEqual(await readAnswersFile(file), manager);
  const refused = async (text: string | Buffer) => {
    await writeFile(file, text);
    return readAnswersFile(file).then(() => assert.fail('accepted'), (e: AnswersError) => e.problems.join('\n'));
  };
  assert.match(await refused('{\n"role": "manager",\n"hostName": "a.com",\n"role": "worker"\n}'), /a\.json: the key "role" is given twice \(lines 2 and 4\)/);
  assert.match(await refused('{"role": "manager", "r\\u006fle": "worker"}'), /the key "role" is given twice/);
  assert.match(await refused('{"workerIps": [{"a": 1, "a": 2}]}'), /the key "workerIps\[0\]\.a" is given twice/);
  assert.match(await refused('{"x": {"y": {"z": 1, "z": 2}}}'), /the key "x\.y\.z" is given twice/);
  // Strings that look like structure are not structure.
  assert.deepEqual(duplicateKeys('{"a": "{\\"a\\": 1, \\"a\\": 2}", "b": ["a", "a"], "c": {"a": 1}}'), []);
  assert.match(await refused(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')])), /is UTF-16 text/);
  assert.match(await refused(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), /is not UTF-8 text/);
  assert.match(await refused('{"role": \u001b[2J}'), /is not valid JSON/);
  assert.doesNotMatch(await refused('{"role": \u001b[2J}'), /\u001b/);
});

test('the answers file must be a regular file of at most 1 MiB: a FIFO, /dev/zero or a directory is refused at once', async () => {
  const dir = await tempDir();
  const fifo = join(dir, 'fifo.json');
  execFileSync('mkfifo', [fifo]);
  const zero = join(dir, 'zero.json');
  await symlink('/dev/zero', zero);
  const big = join(dir, 'big.json');
  await writeFile(big, `{"hazelcastDomain": "${'d'.repeat(2 * 1024 * 1024)}"}`);
  const message = (f: string) => readAnswersFile(f).then(() => assert.fail('accepted'), (e: AnswersError) => e.problems.join('\n'));
  assert.match(await message(fifo), /the answers file .*fifo\.json is a FIFO \(named pipe\), not a regular file/);
  assert.match(await message(zero), /zero\.json is a character device, not a regular file/);
  assert.match(await message(dir), /is a directory, not a regular file/);
  assert.match(await message(big), /big\.json is 2 MB; .*limit 1 MB/);
  assert.match(await message(join(dir, 'none.json')), /none\.json: cannot read the answers file \(no such file\)/);
});
