import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnswersError, checkLayer, layerFromFlags, readAnswersFile, resolveAnswers } from '../src/core/answers/load.js';
import { checkAbsolutePath, checkHostName, checkIp, checkPort } from '../src/core/answers/validators.js';
import { FIELDS } from '../src/core/answers/schema.js';
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
