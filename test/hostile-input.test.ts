// The hostile-input suite (issue 12): every field given every kind of hostile value, the answers
// file and the node's files in every bad state, hostile flags. A refused case must exit 1 (or
// throw in the core), name the field or file, leave the sandbox byte for byte as it was, make
// no canary appear and print no raw control character; an accepted case must write the right
// thing. Answers-level cases run in the core (readAnswersFile → resolveAnswers → makePlan), where
// the CLI adds nothing; file states, flags and the accepted spellings run the real CLI with
// `apply --yes`. (test/bad-input.test.ts is the older CLI corpus.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AnswersError, readAnswersFile, resolveAnswers } from '../src/core/answers/load.js';
import { savedAnswersPath } from '../src/core/answers/save.js';
import { FIELDS, type FieldKind, type FieldSpec } from '../src/core/answers/schema.js';
import { onDisk } from '../src/core/node/layout.js';
import { renderSite } from '../src/core/run/nginx/site.js';
import { makePlan, type Plan } from '../src/core/plan/plan.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const example = async (role: string) => JSON.parse(await readFile(join(REPO, `templates/examples/${role}.json`), 'utf8')) as Record<string, unknown>;
const manager = await example('manager');
const worker = await example('worker');
const lb = await example('load-balancer');
const hazelcast = { ...manager, hazelcast: true, localMemberHost: '192.0.2.10', localMemberPort: 4500 };

/** No control character but newline and tab, no bidi control: what a terminal may be shown. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const CANARY = 'CANARY';

const figures = { tried: 0, refused: 0, accepted: 0 };

// ---------------------------------------------------------------------------------------------
// Answers values, in the core.

/** The answers a field is checked in: the role that asks it, with what switches it on. */
function baseFor(f: FieldSpec): Record<string, unknown> {
  if (f.key.startsWith('hazelcast') || f.key.startsWith('localMember')) return hazelcast;
  if (f.key === 'resetDeployment' || f.key === 'managerIp') return worker;
  if (f.roles.includes('manager')) return manager;
  return f.roles.includes('worker') ? worker : lb;
}

const CONTROLS = ['a\u001b[2Jb', 'a\u001b]0;pwned\u0007b', 'a\u0000b', 'a\u007fb', 'a\u009bb', 'a\u202eb'];
const SHELL = [`$(touch ${CANARY})`, `\`touch ${CANARY}\``, `a;touch ${CANARY}`, `a|touch ${CANARY}`, `a&&touch ${CANARY}`];
const HUGE = 'x'.repeat(100_000);

/** Values every field of the kind refuses (beyond the universal ones below). */
const BAD: Record<FieldKind, unknown[]> = {
  role: ['gateway', 'Manager', 'load_balancer', ''],
  release: ['2.3.0', '2.1', 'v2.1.0', '3.2.0', '1.10.0', '2.1.0 ', '', 2.1],
  path: ['relative/path', '', '/opt/../etc', '/opt//x', '/opt/x\n', `/${'a'.repeat(5000)}`, '/opt/\u202ex', '~/wso2'],
  host: ['', ' ', 'a b.com', 'a_b.com', '-a.com', 'a..com', 'a.com.', '10.0.0.1', '::1', 'a.123', `${'x'.repeat(64)}.com`, 'ä.com', `${'abcdefgh.'.repeat(28)}com`, ...SHELL.map((s) => `${s}.com`)],
  ip: ['', '10.0.0', '10.0.0.256', 'host', '::g', 'fe80::1%eth0', '0.0.0.0', '::', '0:0::0', '255.255.255.255', '224.0.0.1', 'ff02::1', '240.0.0.1', '0.1.2.3', '::ffff:224.0.0.1', '010.0.0.1', '1'.repeat(46), ...SHELL],
  listenIp: ['', '10.0.0', 'host', '255.255.255.255', '224.0.0.1', 'ff02::1', '240.0.0.1', 'fe80::1%eth0', ...SHELL],
  ipList: [['10.0.0.300'], ['192.0.2.50', '192.0.2.50'], ['2001:db8::1', '2001:0db8:0:0::1'], ['192.0.2.30', '::ffff:192.0.2.30'], [null], 'a,b', ['0.0.0.0'], ['224.0.0.1'], ['ff02::1'], Array.from({ length: 300 }, (_, i) => `10.9.${i >> 8}.${(i & 255) + 1}`), [`192.0.2.1;touch ${CANARY}`]],
  port: [0, -1, 65536, 80.5, 1e9, '80', '', [80], 'eighty'],
  boolean: ['yes', 'true', 1, 0, 'maybe', ''],
  text: ['d'.repeat(256), 'd'.repeat(1_000_000), 42, 'a\u2066b', 'a\ufeffb', 'a\u2028b'],
  memberList: [['a:1'], ['10.0.0.1'], ['10.0.0.1:0'], ['10.0.0.1:99999'], ['[10.0.0.1]:4000'], ['2001:db8::1:4000'], ['0.0.0.0:4000'], ['[ff02::1]:4000'], ['255.255.255.255:4000'],
    ['[2001:db8::1]:4000', '[2001:0db8::1]:4000'], ['192.0.2.1:4000', '[::ffff:192.0.2.1]:4000'], [`$(touch ${CANARY}):4000`], Array.from({ length: 257 }, (_, i) => `10.8.0.${i % 250 + 1}:${4000 + i}`)],
  syncTargetList: [['x'], ['u@h'], ['u@0.0.0.0:/opt/x'], ['u@[ff02::1]:/opt/x'], ['u@224.0.0.1:/opt/x'], [`$(touch ${CANARY})@h:/opt/x`], [`u@h:/opt/x;touch ${CANARY}`], ['u@h:relative'], ['u@h:/'],
    ['u@W1.example.com:/opt/x', 'u@w1.EXAMPLE.com:/opt/x'], ['u@[2001:db8::1]:/opt/x', 'u@[2001:0db8::1]:/opt/x'], ['u@h:/opt/x/repository/deployment'], ['u@2001:db8::1:/opt/x'], [`u@h:/opt/${'p'.repeat(5000)}`]],
  userName: ['', 'a b', '$(id)', 'u'.repeat(40), '-x', 'root;id'],
  cronSchedule: ['', '* * * *', '60 * * * *', '@sometimes', '*/0 * * * *', '* * * * * root rm -rf /', `* * * * *\n* * * * * root touch /${CANARY}`],
};

/** Wrong for every kind: types JSON can carry, control characters, a huge value, shell text. */
function universal(kind: FieldKind): unknown[] {
  const out: unknown[] = [null, {}, { $gt: '' }, HUGE];
  if (kind !== 'port') out.push(12345);
  if (kind !== 'boolean') out.push(true);
  if (!['ipList', 'memberList', 'syncTargetList'].includes(kind)) out.push(['a'], ...CONTROLS);
  else out.push(CONTROLS.map((c) => `10.0.0.1${c}`), [HUGE]);
  return out;
}

interface CoreCase {
  name: string;
  /** The answers file's text. */
  text: string;
  /** Refused: what the message must name. */
  names?: RegExp;
  /** Accepted: what the plan must hold. */
  check?: (plan: Plan) => void;
}

const coreCases: CoreCase[] = [];
for (const f of FIELDS as readonly FieldSpec[]) {
  const values = [...BAD[f.kind], ...universal(f.kind)];
  for (const v of values) {
    coreCases.push({ name: `${f.key}=${JSON.stringify(v)?.slice(0, 50)}`, text: JSON.stringify({ ...baseFor(f), [f.key]: v }), names: new RegExp(`\\b${f.key}\\b`) });
  }
}
// Across fields.
const across: [string, Record<string, unknown>, RegExp][] = [
  ['mgtHostName = hostName in upper case', { ...manager, mgtHostName: 'AM.WSO2.COM' }, /mgtHostName must differ from hostName/],
  ['hostName = mgtHostName in mixed case', { ...worker, hostName: 'Mgt.Am.Wso2.Com' }, /mgtHostName must differ/],
  ['the manager among the workers, IPv6 spelled twice', { ...manager, managerIp: '2001:db8::10', workerIps: ['2001:0db8:0:0::10'] }, /workerIps lists the manager's address/],
  ['the manager among the workers, ::ffff:', { ...manager, managerIp: '192.0.2.21', workerIps: ['::ffff:192.0.2.21'] }, /workerIps lists the manager's address/],
  ['a worker whose member host is the manager, other spelling', { ...worker, hazelcast: true, managerIp: '192.0.2.10', localMemberHost: '::ffff:c000:20a' }, /localMemberHost is the manager's address/],
  ['this member on another port, other spelling', { ...hazelcast, localMemberHost: '2001:db8::10', hazelcastMembers: ['[2001:0db8::10]:4600'] }, /hazelcastMembers lists this node .* localMemberPort is 4500/],
  ['equal proxy ports on a manager', { ...manager, proxyHttpPort: 443 }, /proxyHttpPort and proxyHttpsPort are both 443/],
  ['equal proxy ports on a worker', { ...worker, proxyHttpsPort: 80 }, /proxyHttpPort and proxyHttpsPort are both 80/],
  ['load balancer: equal proxy ports', { ...lb, proxyHttpPort: 8443, proxyHttpsPort: 8443 }, /proxyHttpPort and proxyHttpsPort/],
  ['load balancer: no workers', { ...lb, workerIps: [] }, /workerIps is empty/],
  ['load balancer: equal worker ports', { ...lb, httpApiTraffic: true, workerHttpPort: 8243 }, /workerHttpPort and workerHttpsPort are both 8243/],
  ['load balancer: the manager is nginx itself', { ...lb, managerIp: '127.0.0.1', managerPort: 443 }, /managerIp 127\.0\.0\.1 with managerPort 443 is where this load balancer itself listens/],
  ['load balancer: a worker is nginx itself', { ...lb, listenAddress: '127.0.0.1', workerIps: ['127.0.0.1', '192.0.2.22'], managerIp: '192.0.2.10', workerHttpsPort: 80 }, /workerIps\[0\] 127\.0\.0\.1 with workerHttpsPort 80/],
  ['load balancer: a worker over IPv6 loopback is nginx itself', { ...lb, listenAddress: '::', workerIps: ['0:0:0:0:0:0:0:1'], workerHttpsPort: 443 }, /workerIps\[0\] 0:0:0:0:0:0:0:1 with workerHttpsPort 443/],
  ['load balancer: a multicast listen address', { ...lb, listenAddress: '239.1.1.1' }, /listenAddress is a multicast address/],
];
for (const [name, answers, names] of across) coreCases.push({ name, text: JSON.stringify(answers), names });
// The answers text itself.
const managerText = JSON.stringify(manager, null, 2);
for (const [name, text, names] of [
  ['role twice', managerText.replace('{', '{\n  "role": "worker",'), /the key "role" is given twice \(lines 2 and 3\)/],
  ['a key twice in another spelling', managerText.replace('{', '{\n  "h\\u006fstName": "x.com",'), /the key "hostName" is given twice/],
  ['a key twice deeper down', JSON.stringify({ ...manager, workerIps: [{ a: 1 }] }).replace('{"a":1}', '{"a":1,"a":2}'), /the key "workerIps\[0\]\.a" is given twice/],
  ['not JSON with an ESC in it', '{"role": \u001b[2J}', /is not valid JSON/],
  ['a JSON array', '[1, 2]', /must be a JSON object of answers/],
  ['JSON null', 'null', /must be a JSON object of answers/],
  ['an unknown key with control characters', JSON.stringify({ ...manager, 'k\u001b[2J\u202e': 1 }), /unknown key "k\\x1b\[2J\\u202e"/],
  ['an unknown key of 100,000 characters', JSON.stringify({ ...manager, [HUGE]: 1 }), /unknown key "x+… \(100000 characters\)"/],
  ['__proto__', JSON.stringify(manager).replace('{', '{"__proto__": {"role": "worker"},'), /unknown key "__proto__"/],
] as const) coreCases.push({ name, text, names });

// Accepted, and the plan writes exactly what it should.
const fileOf = (plan: Plan, end: string) => plan.changes.find((c) => c.file.endsWith(end))!.after.toString('utf8');
const holds = (end: string, ...wanted: (string | RegExp)[]) => (plan: Plan) => {
  const text = fileOf(plan, end);
  for (const w of wanted) assert.ok(typeof w === 'string' ? text.includes(w) : w.test(text), `${end} does not hold ${String(w)}:\n${text.slice(0, 2000)}`);
};
const accepted: [string, Record<string, unknown> | string, (plan: Plan) => void][] = [
  ['IPv6 workers; the first is the cluster address', { ...manager, managerIp: '2001:db8::10', workerIps: ['2001:DB8::21', '192.0.2.22'] }, holds('/etc/hosts', '2001:DB8::21\tam.wso2.com\n')],
  ['a worker reaching the manager at ::ffff:192.0.2.10', { ...worker, managerIp: '::ffff:192.0.2.10' }, holds('/etc/hosts', '::ffff:192.0.2.10\tmgt.am.wso2.com\n')],
  ['loopback manager (a rehearsal)', { ...worker, managerIp: '127.0.0.1' }, holds('/etc/hosts', '127.0.0.1\tmgt.am.wso2.com\n')],
  ['IPv6 loopback manager', { ...worker, managerIp: '::1' }, holds('/etc/hosts', '::1\tmgt.am.wso2.com\n')],
  ['host names in upper case', { ...manager, hostName: 'AM.WSO2.COM', mgtHostName: 'MGT.AM.WSO2.COM' }, holds('carbon.xml', '<HostName>AM.WSO2.COM</HostName>', '<MgtHostName>MGT.AM.WSO2.COM</MgtHostName>')],
  ['a host name of 253 characters', { ...manager, hostName: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com` }, holds('carbon.xml', /<HostName>[a-z.]{253}<\/HostName>/)],
  ['shell text in hazelcastDomain, escaped as XML, run by nothing', { ...hazelcast, hazelcastDomain: `$(touch ${CANARY}) & <b> "q"` }, holds('axis2.xml', `<parameter name="domain">$(touch ${CANARY}) &amp; &lt;b&gt; "q"</parameter>`)],
  ['hazelcastDomain of 255 characters', { ...hazelcast, hazelcastDomain: 'd'.repeat(255) }, holds('axis2.xml', `>${'d'.repeat(255)}<`)],
  ['256 workers', { ...manager, workerIps: Array.from({ length: 256 }, (_, i) => `10.1.${i}.1`) }, holds('/etc/hosts', '10.1.0.1\tam.wso2.com\n')],
  ['IPv6 members', { ...hazelcast, localMemberHost: '2001:db8::10', hazelcastMembers: ['[2001:db8::10]:4500', '[2001:db8::21]:4200'] }, holds('axis2.xml', '2001:db8::21', '2001:db8::10')],
  ['a BOM before the JSON', `\ufeff${managerText}`, holds('carbon.xml', '<HostName>am.wso2.com</HostName>')],
  ['CRLF line endings in the answers file', managerText.replace(/\n/g, '\r\n'), holds('carbon.xml', '<HostName>am.wso2.com</HostName>')],
];
for (const [name, answers, check] of accepted) coreCases.push({ name: `accepted: ${name}`, text: typeof answers === 'string' ? answers : JSON.stringify(answers), check });

test(`hostile answers in the core (${coreCases.length} cases): refused by name, nothing touched; or accepted and written right`, async () => {
  assert.ok(coreCases.length >= 250, `${coreCases.length} cases`);
  const dir = await tempDir();
  const root = await demoSandbox();
  const file = join(dir, 'answers.json');
  const pristine = await treeState(root);
  for (const c of coreCases) {
    figures.tried++;
    await writeFile(file, c.text);
    let plan: Plan | undefined;
    let message: string | undefined;
    try {
      plan = await makePlan(resolveAnswers(await readAnswersFile(file)), root);
    } catch (e) {
      message = e instanceof AnswersError ? e.problems.join('\n') : (e as Error).message;
    }
    if (c.check) {
      assert.equal(message, undefined, `${c.name}: refused:\n${message}`);
      c.check(plan!);
      figures.accepted++;
    } else {
      assert.ok(message !== undefined, `${c.name}: accepted`);
      assert.match(message, c.names!, `${c.name}: the message does not name it:\n${message.slice(0, 500)}`);
      assert.doesNotMatch(message, RAW, `${c.name}: a raw control character in ${JSON.stringify(message.slice(0, 300))}`);
      assert.ok(message.length < 2000, `${c.name}: ${message.length} characters`);
      figures.refused++;
    }
    assert.ok(!existsSync(join(dir, CANARY)) && !existsSync(join(REPO, CANARY)) && !existsSync(`/${CANARY}`), `${c.name}: a shell ran something`);
  }
  // A plan writes nothing: the sandbox is as it was after every case.
  assert.deepEqual(await treeState(root), pristine);
});

test('accepted load balancer addresses are written into the nginx site as they are', () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ listenAddress: '0.0.0.0' }, ['listen 0.0.0.0:80;', 'listen 0.0.0.0:443 ssl;']],
    [{ listenAddress: '::' }, ['listen [::]:80;', 'listen [::]:443 ssl;']],
    [{ managerIp: '2001:db8::10', workerIps: ['2001:db8::21', '::ffff:192.0.2.22'] }, ['server [2001:db8::10]:9443;', 'server [2001:db8::21]:8243;', 'server [::ffff:192.0.2.22]:8243;']],
  ];
  for (const [extra, lines] of cases) {
    figures.tried++;
    const site = renderSite(resolveAnswers({ ...lb, nginxSite: '/etc/nginx/conf.d/apim-gateway.conf', ...extra }));
    for (const line of lines) assert.ok(site.includes(line), `${JSON.stringify(extra)}: ${line}\n${site}`);
    figures.accepted++;
  }
});

// ---------------------------------------------------------------------------------------------
// The real CLI: file states, flags, and accepted spellings written by `apply --yes`.

const CONF = `${DEMO_HOME}/repository/conf`;
const carbon = (r: string) => join(r, CONF, 'carbon.xml');
const hosts = (r: string) => join(r, 'etc/hosts');
const savedFile = (r: string) => onDisk(r, savedAnswersPath(DEMO_HOME));

/**
 * Puts a bad thing at path. Under --root a link is resolved inside the root (the jail), so a
 * link to /dev/zero there gets a real /dev/zero device inside the root to point at.
 */
async function replaceWith(path: string, kind: 'fifo' | 'zero' | 'dir' | 'socket' | 'dangling' | 'huge' | 'empty' | 'binary', root?: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  if (kind === 'fifo') execFileSync('mkfifo', [path]);
  else if (kind === 'zero') {
    await symlink('/dev/zero', path);
    if (root && !existsSync(join(root, 'dev/zero'))) {
      await mkdir(join(root, 'dev'), { recursive: true });
      execFileSync('mknod', ['-m', '666', join(root, 'dev/zero'), 'c', '1', '5']);
    }
  }
  else if (kind === 'dir') await mkdir(path);
  else if (kind === 'socket') execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path]);
  else if (kind === 'dangling') await symlink(join(dirname(path), 'nothing-here'), path);
  else if (kind === 'huge') {
    await writeFile(path, '', { mode: 0o600 });
    await truncate(path, 20 * 1024 * 1024);
  } else if (kind === 'empty') await writeFile(path, '', { mode: 0o600 });
  // (0600: a saved answers file of another mode would be re-tightened, which is not this case.)
  else await writeFile(path, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), { mode: 0o600 });
}

interface CliCase {
  name: string;
  answers?: Record<string, unknown> | string | Buffer;
  /** Instead of --answers FILE (flags only, or another verb). */
  args?: string[];
  extra?: string[];
  setup?: (root: string, answersFile: string) => Promise<void>;
  /** Refused: what the message must name. */
  names?: RegExp;
  /** Accepted: what the sandbox must hold afterwards. */
  check?: (root: string, out: string) => Promise<void>;
}

const cliCases: CliCase[] = [];
const KINDS = ['fifo', 'zero', 'dir', 'socket', 'dangling', 'huge', 'empty', 'binary'] as const;
const KIND_WORDS: Record<(typeof KINDS)[number], RegExp> = {
  fifo: /FIFO/, zero: /character device/, dir: /directory/, socket: /socket/, dangling: /no such file|does not exist|not found|ENOENT|missing|dangling/i,
  huge: /MB|large|limit/, empty: /empty|not valid JSON|no .*element|not well-formed|root element|must be/i, binary: /not UTF-8|not valid JSON|not well-formed|binary|encoding|not a text file/i,
};
for (const kind of KINDS) {
  cliCases.push({ name: `the answers file is ${kind}`, setup: (_r, f) => replaceWith(f, kind), names: new RegExp(`answers\\.json[^\\n]*(${KIND_WORDS[kind].source})|(${KIND_WORDS[kind].source})[^\\n]*answers\\.json`, 'i') });
  cliCases.push({ name: `carbon.xml is ${kind}`, setup: (r) => replaceWith(carbon(r), kind, r), names: new RegExp(`carbon\\.xml[^\\n]*(${KIND_WORDS[kind].source})`, 'i') });
  if (kind !== 'dangling' && kind !== 'empty') cliCases.push({ name: `/etc/hosts is ${kind}`, answers: worker, setup: (r) => replaceWith(hosts(r), kind, r), names: new RegExp(`/etc/hosts[^\\n]*(${KIND_WORDS[kind].source})`, 'i') });
  cliCases.push({ name: `catalina-server.xml is ${kind}`, setup: (r) => replaceWith(join(r, CONF, 'tomcat/catalina-server.xml'), kind, r), names: new RegExp(`catalina-server\\.xml[^\\n]*(${KIND_WORDS[kind].source})`, 'i') });
  if (kind !== 'dangling') cliCases.push({ name: `axis2.xml is ${kind} (hazelcast on)`, answers: hazelcast, setup: (r) => replaceWith(join(r, CONF, 'axis2/axis2.xml'), kind, r), names: new RegExp(`axis2\\.xml[^\\n]*(${KIND_WORDS[kind].source})`, 'i') });
}
// The saved answers (read by `check` when no --answers is given) in a bad state.
for (const kind of ['fifo', 'zero', 'dir', 'socket', 'huge', 'binary'] as const) {
  cliCases.push({ name: `the saved answers are ${kind}`, args: ['check', '--home', DEMO_HOME], setup: (r) => replaceWith(savedFile(r), kind, r), names: new RegExp(`answers\\.json[^\\n]*(${KIND_WORDS[kind].source})`, 'i') });
}
cliCases.push(
  { name: 'answers file UTF-16', answers: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(manager), 'utf16le')]), names: /answers\.json: is UTF-16 text/ },
  { name: 'answers file with a duplicate key', answers: JSON.stringify(manager).replace('{', '{"productHome":"/srv/other",'), names: /the key "productHome" is given twice/ },
  { name: 'answers file of 2 MiB', answers: JSON.stringify({ ...manager, hazelcastDomain: 'd'.repeat(2 * 1024 * 1024) }), names: /answers\.json is 2 MB/ },
);
// Flags.
const flagCases: [string, string[], RegExp][] = [
  ['--host-name with ESC [2J', ['--host-name', 'a\u001b[2Jb.com'], /hostName/],
  ['--host-name with an OSC title', ['--host-name', '\u001b]0;pwned\u0007'], /hostName/],
  ['--mgt-host-name with a bidi override', ['--mgt-host-name', 'mgt\u202e.com'], /mgtHostName/],
  ['--manager-ip 0.0.0.0', ['--manager-ip', '0.0.0.0'], /managerIp is the unspecified address/],
  ['--manager-ip 255.255.255.255', ['--manager-ip', '255.255.255.255'], /managerIp is the broadcast address/],
  ['--manager-ip ::', ['--manager-ip', '::'], /managerIp is the unspecified address/],
  ['--cluster-host-ip 224.0.0.1', ['--cluster-host-ip', '224.0.0.1'], /clusterHostIp is a multicast address/],
  ['--worker-ips in two spellings', ['--worker-ips', '2001:db8::1,2001:0db8::1'], /workerIps lists the same entry twice/],
  ['--worker-ips ::ffff: of the manager', ['--worker-ips', '::ffff:192.0.2.10'], /workerIps lists the manager's address/],
  ['--proxy-http-port = https', ['--proxy-http-port', '443'], /proxyHttpPort and proxyHttpsPort are both 443/],
  ['--proxy-http-port with ESC', ['--proxy-http-port', '8\u001b[2J0'], /--proxy-http-port: "8\\x1b\[2J0" is not a number/],
  ['--hazelcast-domain of 100,000 characters', ['--hazelcast', 'yes', '--local-member-host', '192.0.2.10', '--hazelcast-domain', HUGE], /hazelcastDomain is 100000 characters long; at most 255/],
  ['--hazelcast yes-ish with C1', ['--hazelcast', 'y\u009b'], /--hazelcast: "y\\x9b" is not yes or no/],
  ['--on-conflict with ESC', ['--on-conflict', '\u001b[2J'], /--on-conflict: "\\x1b\[2J" is not one of/],
  ['--on-conflict of 100,000 characters', ['--on-conflict', HUGE], /--on-conflict: "x+… \(100000 characters\)"/],
  ['an unknown option with ESC', ['--\u001b[2J'], /Unknown option '--\\x1b\[2J'/],
  ['--role with a bidi override', ['--role', 'manager\u202e'], /role must be one of/],
  ['--sync-targets to a multicast host', ['--sync-targets', 'wso2carbon@224.0.0.9:/opt/wso2am-2.1.0'], /syncTargets\[0\].*multicast/],
  ['--sync-schedule with a second cron line', ['--sync-schedule', `* * * * *\n* * * * * root touch /${CANARY}`], /syncSchedule/],
  ['--home with shell text', ['--home', `/opt/$(touch ${CANARY})`], /productHome|touch CANARY/],
];
for (const flag of ['manager-ip', 'cluster-host-ip', 'worker-ips', 'local-member-host']) {
  const key = (FIELDS as readonly FieldSpec[]).find((f) => f.flag === flag)!.key;
  const on = flag === 'local-member-host' ? ['--hazelcast', 'yes'] : [];
  for (const v of ['0.0.0.0', '::', '255.255.255.255', '224.0.0.1', 'ff02::1', '240.0.0.1']) {
    flagCases.push([`--${flag} ${v}`, [...on, `--${flag}`, v], new RegExp(`${key}(\\[0\\])? is (the unspecified|the broadcast|a multicast|in the reserved)`)]);
  }
}
for (const flag of ['host-name', 'mgt-host-name', 'sync-cron-user']) {
  const key = (FIELDS as readonly FieldSpec[]).find((f) => f.flag === flag)!.key;
  for (const c of ['\u001b[2J', '\u007f', '\u202e']) flagCases.push([`--${flag} with ${JSON.stringify(c)}`, [`--${flag}`, `a${c}b`], new RegExp(key)]);
}
for (const [name, extra, names] of flagCases) cliCases.push({ name: `flag ${name}`, extra, names });

// Accepted through the CLI: written, and written right.
const contains = (path: (r: string) => string, ...wanted: string[]) => async (root: string) => {
  const text = await readFile(path(root), 'utf8');
  for (const w of wanted) assert.ok(text.includes(w), `${path(root)} does not hold ${JSON.stringify(w)}:\n${text}`);
};
const mixedCrlf = '127.0.0.1\tlocalhost\r\n::1\t\tlocalhost ip6-localhost\n# BEGIN apim-gateway-wizard\r\n192.0.2.99\tmgt.am.wso2.com\r\n# END apim-gateway-wizard\n10.0.0.1\tother\r\n';
cliCases.push(
  { name: 'accepted: a BOM before the answers', answers: `\ufeff${JSON.stringify(manager)}`, check: contains(carbon, '<HostName>am.wso2.com</HostName>') },
  { name: 'accepted: a worker reaching the manager at ::ffff:', answers: { ...worker, managerIp: '::ffff:192.0.2.10' }, check: contains(hosts, '::ffff:192.0.2.10\tmgt.am.wso2.com') },
  { name: 'accepted: IPv6 manager and workers', answers: { ...manager, managerIp: '2001:db8::10', workerIps: ['2001:db8::21', '2001:db8::22'] }, check: contains(hosts, '2001:db8::21\tam.wso2.com') },
  { name: 'accepted: host names in upper case', answers: { ...worker, hostName: 'AM.WSO2.COM' }, check: contains(carbon, '<HostName>AM.WSO2.COM</HostName>') },
  { name: 'accepted: shell text in hazelcastDomain', answers: { ...hazelcast, hazelcastDomain: `$(touch ${CANARY})&x` }, check: contains((r) => join(r, CONF, 'axis2/axis2.xml'), `$(touch ${CANARY})&amp;x`) },
  { name: 'accepted: loopback addresses (a rehearsal)', answers: { ...worker, managerIp: '127.0.0.1' }, check: contains(hosts, '127.0.0.1\tmgt.am.wso2.com') },
  { name: 'accepted: flags in another spelling of IPv6', args: ['apply', '--answers', '', '--manager-ip', '2001:0DB8:0:0::10'], answers: worker, check: contains(hosts, '2001:0DB8:0:0::10\tmgt.am.wso2.com') },
  {
    name: 'accepted: a hosts file of mixed line endings gets exactly one block', answers: worker,
    setup: async (r) => writeFile(hosts(r), mixedCrlf),
    check: async (r) => {
      const text = await readFile(hosts(r), 'utf8');
      assert.equal(text.match(/# BEGIN apim-gateway-wizard/g)?.length, 1, text);
      assert.ok(text.includes('192.0.2.10\tmgt.am.wso2.com') && !text.includes('192.0.2.99'), text);
      assert.ok(text.startsWith('127.0.0.1\tlocalhost\r\n::1\t\tlocalhost ip6-localhost\n') && text.endsWith('10.0.0.1\tother\r\n'), JSON.stringify(text));
    },
  },
);

test(`hostile files and flags through the CLI (${cliCases.length} cases, apply --yes): refused by name, nothing changed; or written right`, async () => {
  assert.ok(cliCases.length >= 100, `${cliCases.length} cases`);
  const dir = await tempDir();
  const pristine = await demoSandbox();
  for (const c of cliCases) {
    figures.tried++;
    const root = join(dir, 'root');
    const file = join(dir, 'answers.json');
    await rm(root, { recursive: true, force: true });
    await rm(file, { recursive: true, force: true });
    await cp(pristine, root, { recursive: true, verbatimSymlinks: true });
    const answers = c.answers ?? manager;
    await writeFile(file, Buffer.isBuffer(answers) ? answers : typeof answers === 'string' ? answers : JSON.stringify(answers));
    await c.setup?.(root, file);
    const before = await treeState(root);
    const args = c.args ? c.args.map((a) => (a === '' ? file : a)) : ['apply', '--answers', file, '--yes'];
    const r = runCli([...args, '--root', root, ...(c.args?.[0] === 'apply' || !c.args ? ['--yes'] : []), ...(c.extra ?? [])], {}, dir);
    const output = r.stdout + r.stderr;
    assert.notEqual(r.code, null, `${c.name}: it hung`);
    assert.doesNotMatch(output, RAW, `${c.name}: a raw control character in ${JSON.stringify(output.slice(0, 300))}`);
    assert.ok(!existsSync(join(dir, CANARY)) && !existsSync(join(root, CANARY)) && !existsSync(`/${CANARY}`), `${c.name}: a shell ran something`);
    if (c.check) {
      assert.equal(r.code, 0, `${c.name}: exit ${r.code}\n${output}`);
      await c.check(root, r.stdout);
      figures.accepted++;
    } else {
      assert.equal(r.code, 1, `${c.name}: exit ${r.code}\n${output}`);
      assert.match(r.stderr, /^error: /m, `${c.name}: ${r.stderr}`);
      assert.match(r.stderr, c.names!, `${c.name}: the message does not name it:\n${r.stderr.slice(0, 1000)}`);
      assert.ok(r.stderr.length < 2000, `${c.name}: the message is ${r.stderr.length} characters`);
      assert.deepEqual(await treeState(root), before, `${c.name}: the sandbox changed`);
      figures.refused++;
    }
  }
});

test('the figures: at least 300 cases, each refused cleanly or accepted and checked', () => {
  // The issue asks for 300 or more; a corpus that shrank (a filter, a lost loop) fails here.
  assert.ok(figures.tried >= 300, `only ${figures.tried} cases ran`);
  assert.equal(figures.refused + figures.accepted, figures.tried);
  console.log(`# hostile-input: tried ${figures.tried}, refused cleanly ${figures.refused}, accepted and correct ${figures.accepted}`);
});
