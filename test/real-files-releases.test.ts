// Every API-M 2.x release on its real, byte-exact files (../shared/fixtures, copied into a temp
// root per test): for the manager and the worker of 2.0.0, 2.1.0, 2.2.0, 2.5.0 and 2.6.0 the
// exact hunks, nothing left to change after an apply, a rollback back to the shipped bytes, and
// the start command of each release; the release read from the files; the load balancer (no
// product home) once. Skipped with a reason when the fixtures are missing, except under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers, type AnswersLayer } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { templatesDir } from '../src/core/node/demo.js';
import { onDisk, stateDir, STATE_BASE } from '../src/core/node/layout.js';
import { buildPlan, listed, madeOf, makePlan, pending, PlanError, readSnapshot, type FileChange, type Plan } from '../src/core/plan/plan.js';
import { RELEASES, type ReleaseId } from '../src/core/node/release.js';
import { rollback } from '../src/core/apply/rollback.js';
import { onPath } from '../src/core/run/process.js';
import { startServer, type ServerEvent, type StartOutcome } from '../src/core/run/server/control.js';
import { deploymentResetMarker } from '../src/core/steps/prepare.js';
import { CRON_FILE, syncPaths } from '../src/core/run/sync/paths.js';
import { runCli, tempDir, treeState } from './helpers.js';
import { DEPLOYMENT_STANDINS, fixturesOf, homeOf, hunks, realFilesSuite, releaseRoot } from './real-fixtures.js';
import { fakeJava, freeOffset } from './server-helpers.js';

const skip = realFilesSuite('real-files releases suite');

const hostName = 'am.wso2.com';
const mgtHostName = 'mgt.am.wso2.com';

function managerAnswers(home: string, extra: AnswersLayer = {}) {
  return resolveAnswers({
    role: 'manager',
    productHome: home,
    hostName,
    mgtHostName,
    workerIps: ['10.0.0.21'],
    clusterHostIp: '10.0.0.5',
    syncTargets: [`wso2carbon@10.0.0.21:${home}`],
    syncCronUser: 'wso2carbon',
    syncKey: `${home}/depsync/id_ed25519`,
    ...extra,
  });
}

function workerAnswers(home: string, extra: AnswersLayer = {}) {
  return resolveAnswers({ role: 'worker', productHome: home, hostName, mgtHostName, managerIp: '10.0.0.10', ...extra });
}

/** A diff's hunks as lines (each ends with a newline, as the diff does). */
const hunk = (...lines: string[]) => [...lines, ''].join('\n');

// carbon.xml lines 44-55 and catalina-server.xml lines 27-33 and 52-58 read the same in every
// release's file (the kernel's comments and connectors did not move): one hunk each serves all five.
/** carbon.xml around <HostName>, the same in both hunks. */
const HOST_NAME_LINES = [
  '        This is will become part of the End Point Reference of the',
  '        services deployed on this server instance.',
  '     -->',
  '-    <!--HostName>www.wso2.org</HostName-->',
  '+    <HostName>am.wso2.com</HostName>',
  ' ',
  '     <!--',
  '     Host name to be used for the Carbon management console',
];
const CARBON_MANAGER = hunk(
  '@@ -44,12 +44,12 @@',
  ...HOST_NAME_LINES,
  '     -->',
  '-    <!--MgtHostName>mgt.wso2.org</MgtHostName-->',
  '+    <MgtHostName>mgt.am.wso2.com</MgtHostName>',
  ' ',
  '     <!--',
  '         The URL of the back end server. This is where the admin services are hosted and',
);
// A worker gets only HostName: WSO2 sets MgtHostName on the manager alone.
const CARBON_WORKER = hunk('@@ -44,7 +44,7 @@', ...HOST_NAME_LINES);
const CONNECTOR = '         <Connector protocol="org.apache.coyote.http11.Http11NioProtocol"';
const CATALINA = hunk(
  '@@ -27,6 +27,7 @@',
  '         -->',
  CONNECTOR,
  '                    port="9763"',
  '+                   proxyPort="80"',
  '                    redirectPort="9443"',
  '                    bindOnInit="false"',
  '                    maxHttpHeaderSize="8192"',
  '@@ -52,6 +53,7 @@',
  '         -->',
  CONNECTOR,
  '                    port="9443"',
  '+                   proxyPort="443"',
  '                    bindOnInit="false"',
  '                    sslProtocol="TLS"',
  '                    sslEnabledProtocols="TLSv1,TLSv1.1,TLSv1.2"',
);
const hostsHunk = (ip: string, name: string) =>
  hunk(
    '@@ -1,1 +1,5 @@',
    ' 127.0.0.1\tlocalhost',
    '+# BEGIN apim-gateway-wizard',
    '+# Managed by apim-gateway-wizard; edits between these markers are replaced on its next apply.',
    `+${ip}\t${name}`,
    '+# END apim-gateway-wizard',
  );
/** The manager resolves the cluster name (at clusterHostIp), a worker the manager's name. */
const HOSTS_MANAGER = hostsHunk('10.0.0.5', hostName);
const HOSTS_WORKER = hostsHunk('10.0.0.10', mgtHostName);

/** The shipped <JMSEventPublisherParameters> block (2.0.0 and 2.1.0: the same 8 lines) commented out by its two tag lines. */
const jmsHunk = (from: number) =>
  hunk(
    `@@ -${from},14 +${from},14 @@`,
    '                 <JobQueueSize>10</JobQueueSize>',
    '             </JMSTaskManager>',
    '         </JMSConnectionDetails>',
    '-        <JMSEventPublisherParameters>',
    '+        <!--JMSEventPublisherParameters>',
    '                 <java.naming.factory.initial>org.wso2.andes.jndi.PropertiesFileInitialContextFactory</java.naming.factory.initial>',
    '                 <java.naming.provider.url>repository/conf/jndi.properties</java.naming.provider.url>',
    '                 <transport.jms.DestinationType>topic</transport.jms.DestinationType>',
    '                 <transport.jms.Destination>throttleData</transport.jms.Destination>',
    '                 <transport.jms.ConcurrentPublishers>allow</transport.jms.ConcurrentPublishers>',
    '                 <transport.jms.ConnectionFactoryJNDIName>TopicConnectionFactory</transport.jms.ConnectionFactoryJNDIName>',
    '-        </JMSEventPublisherParameters>',
    '+        </JMSEventPublisherParameters-->',
    '         <!--DefaultLimits>',
    '             <SubscriptionTierLimits>',
    '                 <Gold>5000</Gold>',
  );

interface Expected {
  /** api-manager.xml: the hunk that comments the JMS block out (2.0/2.1), or unchanged (2.2+ ship none). */
  apiManager: string | 'unchanged';
  /** The sync script's PAIRS line: what the manager pushes. */
  pairs: string;
  /** resetDeployment moves the worker's deployment folder (2.0-2.2); from 2.5 it is only a warning. */
  reset: boolean;
  /** What follows `wso2server.sh` for each role. */
  start: { manager: string; worker: string };
  /** 2.2+: the line of </ThrottlingConfigurations>, where a block added by hand goes. */
  throttlingEnd?: number;
}

const WHOLE = "readonly PAIRS=('repository/deployment/server/')";
const SYNAPSE = "readonly PAIRS=('repository/deployment/server/synapse-configs/')";

const EXPECTED: Record<ReleaseId, Expected> = {
  // JMS block at lines 511-518.
  '2.0.0': { apiManager: jmsHunk(508), pairs: WHOLE, reset: true, start: { manager: 'start -Dprofile=gateway-manager', worker: 'start -Dprofile=gateway-worker -DworkerNode=true' } },
  // JMS block at lines 621-628.
  '2.1.0': { apiManager: jmsHunk(618), pairs: WHOLE, reset: true, start: { manager: 'start', worker: 'start -Dprofile=gateway-worker' } },
  '2.2.0': { apiManager: 'unchanged', pairs: WHOLE, reset: true, start: { manager: 'start', worker: 'start -Dprofile=gateway-worker' }, throttlingEnd: 610 },
  '2.5.0': { apiManager: 'unchanged', pairs: SYNAPSE, reset: false, start: { manager: 'start', worker: 'start --optimize -Dprofile=gateway-worker' }, throttlingEnd: 625 },
  '2.6.0': { apiManager: 'unchanged', pairs: SYNAPSE, reset: false, start: { manager: 'start', worker: 'start --optimize -Dprofile=gateway-worker' }, throttlingEnd: 623 },
};

function filesOf(home: string) {
  const conf = `${home}/repository/conf`;
  return { carbon: `${conf}/carbon.xml`, catalina: `${conf}/tomcat/catalina-server.xml`, apiManager: `${conf}/api-manager.xml`, hosts: '/etc/hosts' };
}

function changeOf(plan: Plan, file: string): FileChange {
  return plan.changes.find((c) => c.file === file) ?? assert.fail(`${file} is not in the plan`);
}

/** A release id inside a RegExp. */
const re = (id: string) => id.replace(/\./g, '\\.');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The wizard's state (checkpoints, saved answers) is left out of before/after comparisons. */
const productTree = (root: string) => treeState(root, { skip: [STATE_BASE.split('/').at(-1)!] });

for (const R of RELEASES) {
  const e = EXPECTED[R];
  const home = homeOf(R);
  const f = filesOf(home);
  const sync = syncPaths(home);

  test(`${R}: manager, worker and resetting worker plans on the shipped files: the exact hunks`, { skip }, async () => {
    const { root } = await releaseRoot(R);
    const manager = await makePlan(managerAnswers(home), root);
    const worker = await makePlan(workerAnswers(home), root);
    const resetting = await makePlan(workerAnswers(home, { resetDeployment: true }), root);
    for (const plan of [manager, worker, resetting]) {
      assert.equal(plan.release?.release.id, R);
      assert.equal(plan.release?.from, `carbon.xml <Version> ${R}`);
      assert.deepEqual(plan.release?.warnings, []);
    }
    const jms = e.apiManager === 'unchanged' ? 'unchanged' : 'change';
    assert.deepEqual(listed(manager).map((c) => [c.file, c.status]), [
      [f.carbon, 'change'],
      [f.catalina, 'change'],
      [f.hosts, 'change'],
      [sync.script, 'create'],
      [sync.workers, 'create'],
      [CRON_FILE, 'create'],
      [f.apiManager, jms],
    ]);
    assert.deepEqual(listed(worker).map((c) => [c.file, c.status]), [[f.carbon, 'change'], [f.catalina, 'change'], [f.hosts, 'change'], [f.apiManager, jms]]);

    assert.equal(hunks(changeOf(manager, f.carbon).diff), CARBON_MANAGER);
    assert.equal(hunks(changeOf(worker, f.carbon).diff), CARBON_WORKER);
    for (const plan of [manager, worker]) assert.equal(hunks(changeOf(plan, f.catalina).diff), CATALINA);
    assert.equal(hunks(changeOf(manager, f.hosts).diff), HOSTS_MANAGER);
    assert.equal(hunks(changeOf(worker, f.hosts).diff), HOSTS_WORKER);
    for (const plan of [manager, worker]) {
      const api = changeOf(plan, f.apiManager);
      if (e.apiManager === 'unchanged') {
        assert.equal(api.diff, '');
        assert.match(api.reasons.join('\n'), new RegExp(`^JMS event publisher parameters: not in ${re(R)} \\(throttling events go to the Traffic Manager`));
      } else {
        assert.equal(hunks(api.diff), e.apiManager);
      }
    }
    // The sync pushes what the release's workers can take.
    const script = changeOf(manager, sync.script).after.toString();
    assert.equal(/^readonly PAIRS=.*$/m.exec(script)?.[0], e.pairs);

    // resetDeployment adds no edit: the same files and hunks, plus the reset (2.0-2.2) or a warning (2.5+).
    assert.deepEqual(listed(resetting).map((c) => [c.file, c.status, c.diff]), listed(worker).map((c) => [c.file, c.status, c.diff]));
    assert.deepEqual(worker.resets, []);
    assert.deepEqual(manager.warnings, []);
    assert.deepEqual(worker.warnings, []);
    const marker = deploymentResetMarker(home);
    if (e.reset) {
      assert.deepEqual(resetting.resets.map((r) => [r.dir, r.marker, r.keep]), [[`${home}/repository/deployment/server`, marker, ['synapse-configs']]]);
      assert.equal(changeOf(resetting, marker).status, 'create');
      assert.deepEqual(resetting.warnings, []);
    } else {
      assert.deepEqual(resetting.resets, []);
      assert.equal(resetting.changes.find((c) => c.file === marker), undefined);
      assert.equal(resetting.warnings.length, 1);
      assert.match(resetting.warnings[0]!, new RegExp(`^resetDeployment: nothing to move on ${re(R)}: the manager pushes only repository/deployment/server/synapse-configs/`));
    }
  });

  for (const [name, answers] of [
    ['manager', () => managerAnswers(home)],
    ['worker', () => workerAnswers(home)],
    ['resetting worker', () => workerAnswers(home, { resetDeployment: true })],
  ] as const) {
    test(`${R} ${name}: apply, a second plan with nothing to change, rollback to the shipped bytes`, { skip }, async () => {
      const { root } = await releaseRoot(R);
      const before = await productTree(root);
      const hostsBefore = await readFile(join(root, f.hosts));
      const plan = await makePlan(answers(), root);
      const touched = pending(plan).filter((c) => !c.internal);
      await applyPlan(plan, { root });

      const deployment = join(root, home, 'repository/deployment/server');
      const deployed = Object.keys(await treeState(deployment)).sort();
      const kept = Object.keys(DEPLOYMENT_STANDINS).filter((p) => name !== 'resetting worker' || !e.reset || p.startsWith('synapse-configs/'));
      assert.deepEqual(deployed, kept.sort(), 'a reset keeps synapse-configs/ only; without one (or on 2.5+) the folder stays');

      const again = await makePlan(answers(), root);
      assert.deepEqual(listed(again).map((c) => [c.file, c.status]), listed(plan).map((c) => [c.file, 'unchanged']));
      assert.deepEqual(pending(again), []);
      assert.deepEqual(again.resets, []);

      await rollback(onDisk(root, stateDir(home)), root);
      assert.deepEqual(await productTree(root), before);
      // Every file the apply touched is the shipped file again, byte for byte (or gone, if the apply created it).
      for (const c of touched) {
        const now = await readFile(join(root, c.file)).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
        if (c.status === 'create') assert.equal(now, undefined, c.file);
        else if (c.file === f.hosts) assert.equal(sha(now!), sha(hostsBefore));
        else assert.equal(sha(now!), sha(await readFile(join(fixturesOf(R), c.file.slice(home.length)))), c.file);
      }
    });
  }

  if (e.throttlingEnd !== undefined) {
    const end = e.throttlingEnd;
    test(`${R}: a <JMSEventPublisherParameters> block added by hand is commented out, with a warning`, { skip }, async () => {
      const { root } = await releaseRoot(R);
      const path = join(root, f.apiManager);
      const shipped = await readFile(path, 'utf8');
      const added = shipped.replace(
        '    </ThrottlingConfigurations>\n',
        '        <JMSEventPublisherParameters>\n                <transport.jms.Destination>throttleData</transport.jms.Destination>\n        </JMSEventPublisherParameters>\n    </ThrottlingConfigurations>\n',
      );
      assert.equal(added.split('\n').indexOf('    </ThrottlingConfigurations>'), end + 3 - 1, 'the block sits right above the shipped closing tag');
      await writeFile(path, added);
      const plan = await makePlan(workerAnswers(home), root);
      assert.equal(
        hunks(changeOf(plan, f.apiManager).diff),
        hunk(
          `@@ -${end - 3},9 +${end - 3},9 @@`,
          '         <EnableHeaderConditions>false</EnableHeaderConditions>',
          '         <EnableJWTClaimConditions>false</EnableJWTClaimConditions>',
          '         <EnableQueryParamConditions>false</EnableQueryParamConditions>',
          '-        <JMSEventPublisherParameters>',
          '+        <!--JMSEventPublisherParameters>',
          '                 <transport.jms.Destination>throttleData</transport.jms.Destination>',
          '-        </JMSEventPublisherParameters>',
          '+        </JMSEventPublisherParameters-->',
          '     </ThrottlingConfigurations>',
          '     ',
          '     <WorkflowConfigurations>',
        ),
      );
      assert.deepEqual(plan.warnings, [`api-manager.xml has a <JMSEventPublisherParameters> block, which ${R} does not ship: commented out, as on 2.1`]);
    });
  }
}

// ---- the start command ------------------------------------------------------------------------

/** Our stand-in for bin/wso2server.sh: records the arguments it was given, one a line, and starts nothing (shell built-ins only). */
const RECORDING_LAUNCHER = '#!/bin/sh\n# Test stand-in for wso2server.sh: records its arguments, starts nothing.\nfor a in "$@"; do printf \'%s\\n\' "$a"; done >"${0%/bin/wso2server.sh}/launcher-args"\n';

/** A release root whose launcher records its arguments, with a port offset under which the node's ports are free. */
async function startRoot(release: ReleaseId) {
  const r = await releaseRoot(release);
  await writeFile(join(r.root, r.home, 'bin/wso2server.sh'), RECORDING_LAUNCHER, { mode: 0o755 });
  const carbon = join(r.root, r.home, 'repository/conf/carbon.xml');
  const shipped = await readFile(carbon, 'latin1');
  const offset = shipped.replace('<Offset>0</Offset>', `<Offset>${await freeOffset()}</Offset>`);
  assert.notEqual(offset, shipped, 'carbon.xml ships <Offset>0</Offset>');
  await writeFile(carbon, offset, 'latin1');
  return r;
}

interface Started {
  outcome: StartOutcome;
  events: ServerEvent[];
  /** The command the start said it ran, and the arguments the launcher got (undefined: not run). */
  command?: string;
  args?: string[];
}

/** The real start path (preflight, then the launcher through setsid); stops following as soon as the command is run. */
async function start(root: string, home: string, role: 'manager' | 'worker', env: Record<string, string> = {}, release?: ReleaseId): Promise<Started> {
  const argsFile = join(root, home, 'launcher-args');
  await rm(argsFile, { force: true });
  const events: ServerEvent[] = [];
  const ac = new AbortController();
  const run = startServer({
    home,
    root,
    role,
    timeoutMs: 20_000,
    env: { JAVA_HOME: await fakeJava(), ...env },
    signal: ac.signal,
    ...(release ? { release } : {}),
    onEvent: (ev) => {
      events.push(ev);
      if (ev.type === 'command') ac.abort();
    },
  });
  try {
    const outcome = await run.done;
    const command = events.find((ev) => ev.type === 'command');
    const args = await readFile(argsFile, 'utf8').then((t) => t.split('\n').slice(0, -1), () => undefined);
    return { outcome, events, command: command?.type === 'command' ? command.command : undefined, args };
  } finally {
    await run.close();
  }
}

function checkOf(s: Started, id: string) {
  const pre = s.events.find((ev) => ev.type === 'preflight');
  return pre?.type === 'preflight' ? pre.checks.find((c) => c.id === id) : undefined;
}

for (const R of RELEASES) {
  const e = EXPECTED[R];
  test(`${R}: the manager runs wso2server.sh ${e.start.manager}, the worker wso2server.sh ${e.start.worker}`, { skip }, async () => {
    const { root, home } = await startRoot(R);
    for (const role of ['manager', 'worker'] as const) {
      const s = await start(root, home, role);
      assert.equal(s.outcome.status, 'interrupted', s.outcome.headline);
      assert.equal(checkOf(s, 'release')?.status, 'ok');
      assert.match(checkOf(s, 'release')?.label ?? '', new RegExp(`^API-M ${re(R)}\\b`));
      assert.equal(s.command, `sh ${join(root, home)}/bin/wso2server.sh ${e.start[role]}`);
      assert.deepEqual(s.args, e.start[role].split(' '), 'the launcher got exactly those arguments');
    }
  });
}

/** A PATH of links to the programs the start runs (sh), with xmllint or without. */
async function pathDir(withXmllint: boolean): Promise<string> {
  const dir = await tempDir('agw-path-');
  await symlink((await onPath('sh')) ?? assert.fail('no sh on PATH'), join(dir, 'sh'));
  if (withXmllint) await symlink((await onPath('xmllint')) ?? assert.fail('xmllint is not installed (apt-get install libxml2-utils)'), join(dir, 'xmllint'));
  return dir;
}

for (const R of ['2.5.0', '2.6.0'] as const) {
  test(`${R} worker: the --optimize start needs xmllint and bin/profileSetup.sh; the preflight names what is missing`, { skip }, async () => {
    const { root, home } = await startRoot(R);
    const noXmllint = { PATH: await pathDir(false) };
    const withXmllint = { PATH: await pathDir(true) };

    const a = await start(root, home, 'worker', noXmllint);
    assert.equal(a.outcome.status, 'preflight-failed');
    assert.equal(a.outcome.headline, 'not started: xmllint not found (the --optimize start needs it)');
    assert.match(checkOf(a, 'optimizer')?.detail ?? '', /apt-get install libxml2-utils/);
    assert.equal(a.args, undefined, 'nothing was started');
    // The manager's start runs no profileSetup.sh: no xmllint needed.
    const m = await start(root, home, 'manager', noXmllint);
    assert.equal(checkOf(m, 'optimizer'), undefined);
    assert.deepEqual(m.args, ['start']);

    const ok = await start(root, home, 'worker', withXmllint);
    assert.deepEqual([checkOf(ok, 'optimizer')?.status, checkOf(ok, 'optimizer')?.label], ['ok', `--optimize: bin/profileSetup.sh and ${withXmllint.PATH}/xmllint`]);
    assert.deepEqual(ok.args, ['start', '--optimize', '-Dprofile=gateway-worker']);

    await rm(join(root, home, 'bin/profileSetup.sh'));
    const b = await start(root, home, 'worker', withXmllint);
    assert.equal(b.outcome.status, 'preflight-failed');
    assert.equal(b.outcome.headline, 'not started: bin/profileSetup.sh not found');
    assert.match(checkOf(b, 'optimizer')?.detail ?? '', new RegExp(`A ${re(R)} worker starts with --optimize, which runs bin/profileSetup\\.sh`));
    assert.equal(checkOf(b, 'release')?.status, 'warn', 'the release check says the file is missing too');
    assert.equal(b.args, undefined);
  });
}

test('the release answer overrides the files for the start too: a 2.1.0 home started as 2.0.0 gets the 2.0.0 flags, with a warning', { skip }, async () => {
  const { root, home } = await startRoot('2.1.0');
  const s = await start(root, home, 'manager', {}, '2.0.0');
  assert.equal(checkOf(s, 'release')?.status, 'warn');
  assert.match(checkOf(s, 'release')?.detail ?? '', /^carbon\.xml <Version> says 2\.1\.0; planned as 2\.0\.0, as answered \(release\)/);
  assert.deepEqual(s.args, ['start', '-Dprofile=gateway-manager']);
});

// ---- the release, read from the real files -----------------------------------------------------

test('a 2.1.0 home whose carbon.xml says 2.5.0: planned as 2.5.0, every signal that disagrees said, the JMS block still commented out', { skip }, async () => {
  const { root, home } = await releaseRoot('2.1.0');
  const carbon = join(root, home, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Version>2.1.0</Version>', '<Version>2.5.0</Version>'), 'latin1');
  const plan = await makePlan(workerAnswers(home), root);
  assert.equal(plan.release?.release.id, '2.5.0');
  assert.deepEqual(plan.warnings, [
    'carbon.xml <Version> says 2.5.0 but bin/version.txt says 2.1.0: planned as 2.5.0',
    'carbon.xml <Version> says 2.5.0 but the folder name wso2am-2.1.0 says 2.1.0: planned as 2.5.0',
    'api-manager.xml looks like a 2.0/2.1 file (<JMSEventPublisherParameters>, no <TrafficManager>) on release 2.5.0: was it copied from an older node?',
    'bin/profileSetup.sh is missing, though 2.5.0 ships it: a worker\'s --optimize start would skip its optimizations',
    'api-manager.xml has a <JMSEventPublisherParameters> block, which 2.5.0 does not ship: commented out, as on 2.1',
  ]);
  assert.equal(hunks(changeOf(plan, filesOf(home).apiManager).diff), jmsHunk(618));
});

test('bin/version.txt disagreeing with carbon.xml: carbon.xml wins, the disagreement is said', { skip }, async () => {
  const { root, home } = await releaseRoot('2.6.0', { versionTxt: 'WSO2 API Manager v2.5.0\n' });
  const plan = await makePlan(workerAnswers(home), root);
  assert.equal(plan.release?.release.id, '2.6.0');
  assert.deepEqual(plan.warnings, ['carbon.xml <Version> says 2.6.0 but bin/version.txt says 2.5.0: planned as 2.6.0']);
});

test('the release answer (--release) overrides the files: a warning when they disagree, none when they agree', { skip }, async () => {
  const { root, home } = await releaseRoot('2.1.0');
  const other = await makePlan(workerAnswers(home, { release: '2.2.0' }), root);
  assert.equal(other.release?.release.id, '2.2.0');
  assert.equal(other.release?.from, 'the release answer');
  assert.equal(other.release?.warnings[0], 'carbon.xml <Version> says 2.1.0; planned as 2.2.0, as answered (release)');
  // The same through the CLI's --release flag.
  const answersFile = join(root, 'worker.json');
  await writeFile(answersFile, JSON.stringify({ role: 'worker', productHome: home, hostName, mgtHostName, managerIp: '10.0.0.10' }));
  const cli = runCli(['plan', '--answers', answersFile, '--root', root, '--release', '2.2.0']);
  assert.equal(cli.code, 2, cli.stderr);
  assert.ok(cli.stdout.includes('carbon.xml <Version> says 2.1.0; planned as 2.2.0, as answered (release)'), cli.stdout);
  const same = await makePlan(workerAnswers(home, { release: '2.1.0' }), root);
  assert.equal(same.release?.from, 'the release answer');
  assert.deepEqual(same.warnings, []);
  assert.equal(hunks(changeOf(same, filesOf(home).apiManager).diff), jmsHunk(618));
});

test('an unknown 2.3.0: planned as the nearest known release, 2.2.0, with a warning', { skip }, async () => {
  const home = homeOf('2.3.0');
  const { root } = await releaseRoot('2.2.0', { home, versionTxt: 'WSO2 API Manager v2.3.0\n' });
  const carbon = join(root, home, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Version>2.2.0</Version>', '<Version>2.3.0</Version>'), 'latin1');
  const plan = await makePlan(workerAnswers(home), root);
  assert.equal(plan.release?.release.id, '2.2.0');
  assert.equal(plan.release?.from, 'carbon.xml <Version> 2.3.0');
  assert.deepEqual(plan.warnings, ['carbon.xml <Version> says 2.3.0, a release this wizard does not know: planned as the nearest known one, 2.2.0 (give --release to choose)']);
});

test('a 3.2.0 home: refused, naming the release and the releases this wizard knows', { skip }, async () => {
  const home = homeOf('3.2.0');
  const { root } = await releaseRoot('2.6.0', { home, versionTxt: 'WSO2 API Manager v3.2.0\n' });
  const carbon = join(root, home, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Version>2.6.0</Version>', '<Version>3.2.0</Version>'), 'latin1');
  await assert.rejects(
    makePlan(workerAnswers(home), root),
    (err: Error) =>
      err instanceof PlanError &&
      /^release: carbon\.xml <Version> says 3\.2\.0; this wizard sets up the rsync Gateway of API-M 2\.x \(2\.0\.0, 2\.1\.0, 2\.2\.0, 2\.5\.0, 2\.6\.0\)\. If that is wrong, give it: --release 2\.0\.0\|2\.1\.0\|2\.2\.0\|2\.5\.0\|2\.6\.0$/.test(err.message),
  );
});

// ---- the load balancer ------------------------------------------------------------------------

test('the load balancer has no product home: its plan is the same whatever the release', { skip }, async () => {
  const root = await tempDir();
  await cp(join(templatesDir(), 'demo/etc'), join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'opt'));
  const lb = (release?: ReleaseId) =>
    resolveAnswers({
      role: 'load-balancer',
      hostName,
      mgtHostName,
      managerIp: '10.0.0.10',
      workerIps: ['10.0.0.21', '10.0.0.22'],
      selfSignedCertificate: true,
      nginxSite: '/etc/nginx/sites-available/apim-gateway',
      ...(release ? { release } : {}),
    });
  const firstSnapshot = await readSnapshot(lb(), root);
  const first = buildPlan(lb(), firstSnapshot);
  assert.equal(first.release, undefined);
  assert.ok(![...firstSnapshot.keys()].some((k) => k.startsWith('/opt/')), 'nothing of a product home is read');
  // The same trial certificate for every plan, so that equal plans are equal bytes.
  const made = madeOf(first, firstSnapshot);
  // The files an admin reviews (the saved answers, the wizard's own record, keep the answer as given).
  const shape = (p: Plan) => ({ files: listed(p).map((c) => [c.file, c.status, sha(c.after), c.reasons]), warnings: p.warnings, release: p.release });
  for (const R of RELEASES) assert.deepEqual(shape(buildPlan(lb(R), await readSnapshot(lb(R), root, made))), shape(first), R);
});
