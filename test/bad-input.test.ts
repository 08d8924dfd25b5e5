// A corpus of bad inputs through the real executable: every one gives a clear message that
// names the input, exits non-zero, and leaves the tree byte-for-byte as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, symlink, truncate, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkIp } from '../src/core/answers/validators.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const CONF = `${DEMO_HOME}/repository/conf`;
const base = JSON.parse(await readFile(join(REPO, 'templates/examples/manager.json'), 'utf8'));

interface Case {
  name: string;
  /** What the message must name. */
  names: RegExp;
  answers?: Record<string, unknown>;
  /** The answers file's text as it is (when JSON.stringify cannot make it: duplicate keys). */
  raw?: string;
  args?: string[];
  /** Changes the sandbox before the run (and after its tree is hashed only if `hashAfterSetup`). */
  setup?: (root: string) => Promise<void>;
}

const hostile = [
  '', ' ', 'a b.com', 'a\nb.com', 'a\tb.com', '"q".com', "'q'.com", '$(touch CANARY).com', 'a;touch CANARY.com', '`touch CANARY`.com',
  'a|b.com', 'a&b.com', '<x>.com', 'ünïcödé.com', '😀.com', 'x'.repeat(300), 'x'.repeat(100_000), '-a.com', 'a..com', 'a.com.',
  'a\u0000b.com', '10.0.0.1', null, 42, true, [], {},
];
const cases: Case[] = [];
for (const key of ['hostName', 'mgtHostName']) {
  for (const v of hostile) cases.push({ name: `${key}=${JSON.stringify(v).slice(0, 40)}`, names: new RegExp(key), answers: { ...base, [key]: v } });
}
const badIps = ['', '10.0.0', '10.0.0.256', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4;touch CANARY', '$(touch CANARY)', '::g', 'fe80::1%eth0', 'localhost', '0x0a000001', '１.２.３.４', null, 7, ['10.0.0.1']];
for (const key of ['managerIp', 'clusterHostIp']) {
  for (const v of [...badIps, ...hostile.filter((h) => typeof h !== 'string' || (!badIps.includes(h) && checkIp(h) !== undefined))]) cases.push({ name: `${key}=${JSON.stringify(v)}`, names: new RegExp(key), answers: { ...base, [key]: v } });
}
for (const v of [[], ['10.0.0.300'], ['10.0.0.1', '10.0.0.1'], 'a,b', [null], [' 10.0.0.1'], ['10.0.0.1;rm -rf /'], {}, ['192.0.2.10']]) {
  cases.push({ name: `workerIps=${JSON.stringify(v)}`, names: /workerIps|clusterHostIp/, answers: { ...base, workerIps: v, ...(Array.isArray(v) && v.length === 0 ? { clusterHostIp: undefined } : {}) } });
}
for (const key of ['proxyHttpPort', 'proxyHttpsPort']) {
  for (const v of [0, -1, 65536, 1e9, 80.5, '80', '', null, true, [80], 'eighty', Number.MAX_SAFE_INTEGER]) {
    cases.push({ name: `${key}=${JSON.stringify(v)}`, names: new RegExp(key), answers: { ...base, [key]: v } });
  }
}
for (const v of ['relative/path', '', ' /opt/x', '/opt/x\n', '/opt/../etc', '/opt//x', '/opt/$(touch CANARY)', '/nonexistent/wso2am-2.1.0', null, 3, '/opt/wso2am-2.1.0/repository/conf/carbon.xml']) {
  cases.push({ name: `productHome=${JSON.stringify(v)}`, names: /productHome|carbon\.xml|\/opt/, answers: { ...base, productHome: v } });
}
for (const v of ['gateway', 'Manager', '', null, 1, ['manager']]) cases.push({ name: `role=${JSON.stringify(v)}`, names: /role/, answers: { ...base, role: v } });
for (const key of ['hostname', 'HostName', 'workers', '__proto__x', 'productHome ']) {
  cases.push({ name: `unknown key ${key}`, names: new RegExp(`unknown key "${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`), answers: { ...base, [key]: 'x' } });
}
for (const [flag, v] of [['--proxy-http-port', '8o'], ['--host-name', 'a b'], ['--worker-ips', '1.2.3.4,,x'], ['--manager-ip', '$(id)'], ['--on-conflict', 'maybe'], ['--role', 'lb']]) {
  cases.push({ name: `flag ${flag} ${v}`, names: new RegExp(flag!.slice(2).replace(/-(.)/g, (_m, c: string) => `(-${c}|${c.toUpperCase()})`)), args: [flag!, v!] });
}

// Addresses that cannot be a node, and one address in two spellings.
const notANode = ['0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0', '255.255.255.255', '224.0.0.1', '239.255.255.250', '240.0.0.1', 'ff02::1', '0.1.2.3'];
for (const key of ['managerIp', 'clusterHostIp']) {
  for (const v of notANode) cases.push({ name: `${key}=${v} (not a node)`, names: new RegExp(`${key}.*(unspecified|broadcast|multicast|reserved|this network)`), answers: { ...base, [key]: v } });
}
for (const v of notANode) cases.push({ name: `workerIps=[${v}] (not a node)`, names: /workerIps/, answers: { ...base, workerIps: [v], clusterHostIp: undefined } });
for (const v of [['2001:db8::1', '2001:0db8:0:0::1'], ['192.0.2.30', '::ffff:192.0.2.30'], ['2001:DB8::5', '2001:db8::5'], ['::ffff:192.0.2.10'], ['::ffff:c000:20a']]) {
  cases.push({ name: `workerIps=${JSON.stringify(v)} (one address twice, or the manager's)`, names: /workerIps/, answers: { ...base, workerIps: v, clusterHostIp: undefined } });
}
for (const v of ['AM.WSO2.COM', 'Am.Wso2.Com']) cases.push({ name: `mgtHostName=${v} (hostName in other case)`, names: /mgtHostName/, answers: { ...base, mgtHostName: v } });

// Control characters and overlong values: named, escaped, cut.
const controls = ['a\u001b[2Jb.com', 'a\u001b]0;pwned\u0007.com', 'a\u009bb.com', 'a\u202eb.com', 'a\u007fb.com'];
for (const key of ['hostName', 'mgtHostName', 'productHome', 'managerIp', 'clusterHostIp', 'syncCronUser', 'hazelcastDomain']) {
  for (const v of controls) {
    const value = key === 'productHome' ? `/opt/${v}` : v;
    cases.push({ name: `${key} with ${JSON.stringify(v)}`, names: new RegExp(key), answers: { ...base, ...(key === 'hazelcastDomain' ? { hazelcast: true, localMemberHost: '192.0.2.10', localMemberPort: 4500 } : {}), [key]: value } });
  }
}
for (const [key, v] of [['hostName', `${'a'.repeat(64)}.com`], ['hostName', `${'abcdefgh.'.repeat(28)}com`], ['productHome', `/${'a'.repeat(5000)}`], ['hazelcastDomain', 'd'.repeat(1_000_000)], ['syncCronUser', 'u'.repeat(300)]] as const) {
  cases.push({ name: `${key} of ${v.length} characters`, names: new RegExp(`${key}.*(long|characters|63)`), answers: { ...base, ...(key === 'hazelcastDomain' ? { hazelcast: true, localMemberHost: '192.0.2.10', localMemberPort: 4500 } : {}), [key]: v } });
}

// The answers file itself: duplicate keys, at any depth.
const text = JSON.stringify(base);
for (const [name, raw, key] of [
  ['role twice', text.replace('{', '{"role":"worker",'), 'role'],
  ['hostName twice', text.replace('{', '{"hostName":"x.com",'), 'hostName'],
  ['workerIps twice', text.replace('{', '{"workerIps":["192.0.2.99"],'), 'workerIps'],
] as const) {
  cases.push({ name: `answers file with ${name}`, names: new RegExp(`duplicate.*${key}|${key}.*(twice|duplicate)`), raw });
}

// A load balancer whose site nginx would refuse: found when the plan is made.
const lbBase = JSON.parse(await readFile(join(REPO, 'templates/examples/load-balancer.json'), 'utf8'));
for (const [name, extra, names] of [
  ['equal HTTP and HTTPS ports', { proxyHttpPort: 8443, proxyHttpsPort: 8443 }, /proxyHttpPort|proxyHttpsPort/],
  ['no workers', { workerIps: [] }, /workerIps/],
  ['a worker that is 0.0.0.0', { workerIps: ['0.0.0.0'] }, /workerIps/],
] as const) {
  cases.push({ name: `load balancer: ${name}`, names, answers: { ...lbBase, ...extra } });
}

// /etc/hosts blocks damaged in every way, whatever the line endings.
const hostsFile = (root: string) => join(root, 'etc/hosts');
for (const [name, body] of [
  ['two BEGIN markers (CRLF)', '127.0.0.1 localhost\r\n# BEGIN apim-gateway-wizard\r\n# BEGIN apim-gateway-wizard\r\n# END apim-gateway-wizard\r\n'],
  ['BEGIN without END (one CRLF line)', '127.0.0.1 localhost\r\n# BEGIN apim-gateway-wizard\n10.0.0.1 x\n'],
  ['END without BEGIN', '127.0.0.1 localhost\n# END apim-gateway-wizard\n'],
  ['two blocks', '# BEGIN apim-gateway-wizard\n# END apim-gateway-wizard\n# BEGIN apim-gateway-wizard\n# END apim-gateway-wizard\n'],
] as const) {
  cases.push({ name: `hosts: ${name}`, names: /\/etc\/hosts.*line/, setup: async (r) => writeFile(hostsFile(r), body) });
}

// Product files that are not what they should be.
const carbon = (root: string) => join(root, CONF, 'carbon.xml');
const catalina = (root: string) => join(root, CONF, 'tomcat/catalina-server.xml');
const setFile = (pick: (r: string) => string, bytes: Buffer | string) => async (root: string) => writeFile(pick(root), bytes);
const original = await readFile(join(REPO, 'templates/demo', CONF, 'carbon.xml'));
for (const cut of [1, 10, 40, 100, 200, 400, 600, 800, original.length - 12, original.length - 2]) {
  cases.push({ name: `carbon.xml truncated at ${cut}`, names: /carbon\.xml/, setup: setFile(carbon, original.subarray(0, cut)) });
}
cases.push(
  { name: 'carbon.xml empty', names: /carbon\.xml/, setup: setFile(carbon, '') },
  { name: 'carbon.xml binary', names: /carbon\.xml/, setup: setFile(carbon, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))) },
  { name: 'carbon.xml unclosed tag', names: /carbon\.xml/, setup: setFile(carbon, original.toString('latin1').replace('</Name>', '')) },
  { name: 'carbon.xml two roots', names: /carbon\.xml/, setup: setFile(carbon, original.toString('latin1') + '<Server/>') },
  { name: 'carbon.xml UTF-16', names: /carbon\.xml.*UTF-16/, setup: setFile(carbon, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a/>', 'utf16le')])) },
  { name: 'carbon.xml Shift_JIS', names: /carbon\.xml.*Shift_JIS/, setup: setFile(carbon, '<?xml version="1.0" encoding="Shift_JIS"?><Server/>') },
  { name: 'carbon.xml invalid UTF-8', names: /catalina-server\.xml.*UTF-8/, setup: setFile(catalina, Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e])) },
  { name: 'carbon.xml without a Server root', names: /carbon\.xml.*HostName/, setup: setFile(carbon, '<?xml version="1.0"?>\n<Other><HostName>x</HostName></Other>\n') },
  { name: 'two HostName elements', names: /carbon\.xml.*HostName/, setup: setFile(carbon, original.toString('latin1').replace('<ServerKey>', '<HostName>a</HostName><HostName>b</HostName><ServerKey>')) },
  { name: 'carbon.xml 50 MB', names: /carbon\.xml.*MB/, setup: async (r) => { await truncate(carbon(r), 50 * 1024 * 1024); } },
  { name: 'carbon.xml a symlink loop', names: /carbon\.xml.*symlink loop/, setup: async (r) => { await rm(carbon(r)); await symlink('carbon.xml', carbon(r)); } },
  { name: 'carbon.xml a directory', names: /carbon\.xml/, setup: async (r) => { await rm(carbon(r)); await mkdir(carbon(r)); } },
  { name: 'conf directory missing', names: /carbon\.xml.*not found/, setup: async (r) => rm(join(r, CONF), { recursive: true }) },
  { name: 'tomcat directory missing', names: /catalina-server\.xml/, setup: async (r) => rm(join(r, CONF, 'tomcat'), { recursive: true }) },
  { name: 'catalina without the 9443 connector', names: /catalina-server\.xml.*9443/, setup: setFile(catalina, '<Server><Service><Connector port="9763"/></Service></Server>') },
  { name: 'damaged hosts block', names: /\/etc\/hosts.*damaged/, setup: async (r) => writeFile(join(r, 'etc/hosts'), '# BEGIN apim-gateway-wizard\n') },
  { name: '/etc/hosts a directory', names: /\/etc\/hosts/, setup: async (r) => { await rm(join(r, 'etc/hosts')); await mkdir(join(r, 'etc/hosts')); } },
  { name: 'answers file missing', names: /nothere\.json/, args: ['--answers', '/nothere.json'] },
);

const isRoot = process.getuid?.() === 0;

test(`bad-input corpus (${cases.length} cases): a clear message naming the input, exit 1, nothing changed`, async (t) => {
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  let refused = 0;
  const dir = await tempDir();
  const pristine = await demoSandbox();
  for (const c of cases) {
    const root = join(dir, 'root');
    await rm(root, { recursive: true, force: true });
    await cp(pristine, root, { recursive: true, verbatimSymlinks: true });
    await c.setup?.(root);
    const before = await treeState(root).catch(() => ({}));
    const answersFile = join(dir, 'answers.json');
    await writeFile(answersFile, c.raw ?? JSON.stringify(c.answers ?? base));
    const r = runCli(['apply', '--answers', answersFile, '--root', root, '--yes', ...(c.args ?? [])], {}, dir);
    assert.equal(r.code, 1, `${c.name}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^error: /, `${c.name}: ${r.stderr}`);
    assert.match(r.stderr, c.names, `${c.name}: the message does not name the input:\n${r.stderr}`);
    assert.ok(r.stderr.length < 2000, `${c.name}: the message is not short: ${r.stderr.length} characters`);
    // No value reaches the terminal raw: no control character but newline and tab is printed.
    assert.doesNotMatch(r.stdout + r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, `${c.name}: a control character was printed`);
    assert.deepEqual(await treeState(root).catch(() => ({})), before, `${c.name}: the tree changed`);
    assert.ok(!existsSync(join(dir, 'CANARY')), `${c.name}: a shell ran something`);
    refused += 1;
  }
  t.diagnostic(`bad-input (CLI corpus): tried ${cases.length}, refused cleanly ${refused}, accepted and correct 0 (the accepted spellings are in test/answers.test.ts)`);
});

test('a read-only file system: refused, nothing changed', { skip: isRoot ? false : 'needs root to mount a read-only file system' }, async () => {
  const root = await demoSandbox();
  const conf = join(root, CONF);
  const copy = await tempDir();
  await cp(conf, copy, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', conf]);
  try {
    await cp(copy, conf, { recursive: true });
    execFileSync('mount', ['-o', 'remount,ro', conf]);
    const before = await treeState(root);
    const r = runCli(['apply', '--answers', join(REPO, 'templates/examples/manager.json'), '--root', root, '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /carbon\.xml: cannot write it \(the file system is read-only, EROFS\)/);
    assert.deepEqual(await treeState(root, { skip: ['apim-gateway-wizard'] }), Object.fromEntries(Object.entries(before).filter(([k]) => !k.split('/').includes('apim-gateway-wizard'))));
  } finally {
    execFileSync('umount', [conf]);
  }
});

test('a full /etc: refused by the free-space check before the first write, nothing changed', { skip: isRoot ? false : 'needs root to mount a small file system' }, async () => {
  const root = await demoSandbox();
  const etc = join(root, 'etc');
  const hosts = await readFile(join(etc, 'hosts'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', etc]);
  try {
    await writeFile(join(etc, 'hosts'), hosts);
    // Fill the small file system so that the new /etc/hosts (written last) cannot be.
    await writeFile(join(etc, 'filler'), Buffer.alloc(8 * 1024));
    for (let i = 0; ; i++) {
      try {
        await writeFile(join(etc, `fill-${i}`), Buffer.alloc(1024));
      } catch {
        break;
      }
    }
    const before = await treeState(root, { skip: ['apim-gateway-wizard'] });
    const r = runCli(['apply', '--answers', join(REPO, 'templates/examples/manager.json'), '--root', root, '--yes']);
    assert.equal(r.code, 1, r.stdout);
    // (A disk filling up half-way through is test/full-disk.test.ts.)
    assert.match(r.stderr, /\/etc\/hosts(?: \(and \d+ other file\(s\) there\))?: not enough space on the file system of \S+\/etc \(needs \d+ KiB, 0 KiB free\); nothing was written/);
    assert.deepEqual(await treeState(root, { skip: ['apim-gateway-wizard'] }), before);
  } finally {
    execFileSync('umount', [etc]);
  }
});

test('a bind-mounted /etc/hosts (rename answers EBUSY) is rewritten in place, mode kept', { skip: isRoot ? false : 'needs root to bind-mount a file' }, async () => {
  const root = await demoSandbox();
  const hosts = join(root, 'etc/hosts');
  const outside = join(await tempDir(), 'hosts');
  await cp(hosts, outside);
  execFileSync('mount', ['--bind', outside, hosts]);
  try {
    const r = runCli(['apply', '--answers', join(REPO, 'templates/examples/worker.json'), '--root', root, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    // Written through the mount: the file behind it holds the block.
    assert.match(await readFile(outside, 'utf8'), /# BEGIN apim-gateway-wizard\n.*\n192\.0\.2\.10\tmgt\.am\.wso2\.com\n# END apim-gateway-wizard\n/);
  } finally {
    execFileSync('umount', [hosts]);
  }
});
