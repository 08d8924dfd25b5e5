// Reading a start-up from its log lines: the two 2.1.0 line shapes, entries with stack traces,
// readiness, and each failure the admin must be told about (and what must not be one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeader } from '../src/core/run/server/log-line.js';
import { nodePorts } from '../src/core/run/server/ports.js';
import { portInEntry, StartupWatch, type WatchEvent } from '../src/core/run/server/watch.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASES } from '../src/core/node/release.js';
import { fixturesOf, realFilesSuite } from './real-fixtures.js';

const at = (level: string, cls: string, msg: string, time = '2017-04-30 21:25:49,283') =>
  `TID: [-1234] [] [${time}] ${level.padStart(5)} {${cls}} -  ${msg} {${cls}}`;
const CORE = 'org.wso2.carbon.core.internal.CarbonCoreActivator';
const FINALIZER = 'org.wso2.carbon.core.internal.StartupFinalizerServiceComponent';
const UI = 'org.wso2.carbon.ui.internal.CarbonUIServiceComponent';

const realSkip = realFilesSuite('log-shape check on the real files');

test('every 2.x release ships the two line shapes the parser reads (real log4j.properties of each)', { skip: realSkip }, () => {
  for (const release of RELEASES) {
    const props = readFileSync(join(fixturesOf(release), 'repository/conf/log4j.properties'), 'utf8');
    const pattern = (appender: string) => new RegExp(`^log4j\\.appender\\.${appender}\\.layout\\.ConversionPattern=(.*)$`, 'm').exec(props)?.[1];
    assert.equal(pattern('CARBON_CONSOLE'), '[%d{ISO8601}] %5p - %c{1} %m%n', release);
    assert.equal(pattern('CARBON_LOGFILE'), 'TID: [%T] [%S] [%d] %P%5p {%c} - %x %m {%c}%n', release);
  }
  // A 2.6.0 console line as the pattern writes it (ServiceBusInitializer, the Synapse start).
  assert.deepEqual(parseHeader('[2019-06-12 12:41:52,624]  INFO - ServiceBusInitializer Starting ESB...'), {
    time: '2019-06-12 12:41:52,624',
    level: 'INFO',
    logger: 'ServiceBusInitializer',
    message: 'Starting ESB...',
  });
});

test('both line shapes of 2.1.0 are parsed; anything else is a continuation', () => {
  assert.deepEqual(parseHeader(at('INFO', FINALIZER, 'WSO2 Carbon started in 124 sec')), {
    time: '2017-04-30 21:25:49,283', level: 'INFO', logger: FINALIZER, message: 'WSO2 Carbon started in 124 sec',
  });
  assert.deepEqual(parseHeader('[2019-08-12 14:40:17,102]  INFO - StartupFinalizerServiceComponent WSO2 Carbon started in 57 sec'), {
    time: '2019-08-12 14:40:17,102', level: 'INFO', logger: 'StartupFinalizerServiceComponent', message: 'WSO2 Carbon started in 57 sec',
  });
  assert.equal(parseHeader(at('ERROR', 'a.B', 'boom'))?.level, 'ERROR');
  assert.equal(parseHeader('\tat org.apache.catalina.util.LifecycleBase.init(LifecycleBase.java:106)'), undefined);
  assert.equal(parseHeader('Caused by: java.net.BindException: Address already in use'), undefined);
});

function run(lines: string[]): { w: StartupWatch; events: WatchEvent[] } {
  const w = new StartupWatch(nodePorts('manager', 0));
  const events = [...w.push(lines), ...w.flush()];
  return { w, events };
}

test('ready at the "started in" line, with the console URL from the next one', () => {
  const { w, events } = run([
    at('INFO', CORE, 'Starting WSO2 Carbon...'),
    at('WARN', 'x.Y', 'Carbon is configured to use the default keystore'),
    at('INFO', FINALIZER, 'WSO2 Carbon started in 57 sec'),
    at('INFO', UI, 'Mgt Console URL  : https://mgt.am.wso2.com:443/carbon/'),
  ]);
  assert.equal(w.failure, undefined);
  assert.equal(w.readyInfo?.line.n, 3);
  assert.equal(w.readyInfo?.carbonSeconds, 57);
  assert.equal(w.readyInfo?.consoleUrl, 'https://mgt.am.wso2.com:443/carbon/');
  assert.deepEqual(events.filter((e) => e.type === 'milestone').map((e) => (e as { milestone: string }).milestone), ['starting', 'ready', 'console']);
});

test('a Tomcat BindException: failed, port named from the stack trace, the whole entry as evidence', () => {
  const { w } = run([
    at('INFO', CORE, 'Starting WSO2 Carbon...'),
    at('ERROR', 'org.apache.catalina.core.StandardService', 'Failed to initialize connector [Connector[HTTP/1.1-9443]]'),
    'org.apache.catalina.LifecycleException: Failed to initialize component [Connector[HTTP/1.1-9443]]',
    '\tat org.apache.catalina.util.LifecycleBase.init(LifecycleBase.java:106)',
    'Caused by: java.net.BindException: Address already in use <null>:9443',
    '\tat org.apache.tomcat.util.net.NioEndpoint.bind(NioEndpoint.java:413)',
    // Carbon carries on and even says it started: the failure stands.
    at('INFO', FINALIZER, 'WSO2 Carbon started in 60 sec'),
  ]);
  assert.equal(w.failure?.reason, 'port-in-use');
  assert.equal(w.failure?.port, 9443);
  assert.equal(w.failure?.line?.n, 2);
  // The entry without its stack frames: the header, the exception, each "Caused by".
  const cause = w.failure!.evidence[0]!;
  assert.equal(cause.kind, 'cause');
  assert.deepEqual(cause.lines.map((l) => l.n), [2, 3, 5]);
  assert.equal(cause.framesLeftOut, 2);
  assert.ok(cause.lines.slice(1).every((l) => l.continuation && l.level === 'ERROR'));
  assert.equal(w.failure!.evidence.length, 1, 'the deciding entry is the first error: not shown twice');
  assert.equal(w.readyInfo, undefined);
});

test('the port of other "in use" errors: JMX, the pass-through listener, the broker with an offset', () => {
  const ports = nodePorts('manager', 2);
  assert.equal(portInEntry('Could not initialize RMI server\njava.rmi.server.ExportException: Port already in use: 10001; nested exception is: java.net.BindException: Address already in use', ports), 10001);
  assert.equal(portInEntry('IOReactor encountered a checked exception : Address already in use\njava.net.BindException: Address already in use /0.0.0.0:8245', ports), 8245);
  assert.equal(portInEntry('Error starting AMQP transport on port 5674\njava.net.BindException: Address already in use', ports), 5674);
  assert.equal(portInEntry('java.net.BindException: Address already in use\n\tat sun.nio.ch.Net.bind0(Native Method)\n\tat Foo.bar(Foo.java:1014)', ports), undefined);
});

test('FATAL and "initialization is delayed" fail; ERROR alone, a WARN about a port, and errors after readiness do not', () => {
  assert.equal(run([at('FATAL', 'org.wso2.carbon.core.init.CarbonServerManager', 'WSO2 Carbon initialization Failed'), 'org.wso2.carbon.CarbonException: x']).w.failure?.reason, 'fatal');
  const delayed = run([at('WARN', FINALIZER, 'Carbon initialization is delayed due to the following unsatisfied items:'), '      Waiting for required OSGi services: a.B,']).w;
  assert.equal(delayed.failure?.reason, 'delayed');
  assert.equal(delayed.failure?.evidence[0]!.lines[1]!.text.trim(), 'Waiting for required OSGi services: a.B,');

  const benign = run([
    at('ERROR', 'org.wso2.carbon.identity.user.profile.ui.client.UserProfileCient', 'UserProfileMgtServiceUserProfileExceptionException'),
    at('WARN', 'com.hazelcast.instance.DefaultAddressPicker', 'Port [4500] is already in use and auto-increment is enabled. Hazelcast will try to bind on the next port.'),
    at('WARN', 'org.wso2.carbon.core.internal.StartupFinalizerServiceComponent', 'Waiting for required OSGi services: a.B,'),
    at('INFO', FINALIZER, 'WSO2 Carbon started in 20 sec'),
    at('FATAL', 'x.Y', 'after readiness'),
  ]);
  assert.equal(benign.w.failure, undefined);
  assert.equal(benign.w.readyInfo?.carbonSeconds, 20);
  const problems = benign.events.filter((e) => e.type === 'problem').map((e) => (e as { problem: { kind: string } }).problem.kind);
  assert.deepEqual(problems, ['error', 'warning', 'fatal']);
});

test('the process gone: exited, with the errors seen as evidence (or the last lines); a restart in the log resets the run', () => {
  const crashed = new StartupWatch();
  crashed.push([at('INFO', CORE, 'Starting WSO2 Carbon...'), at('ERROR', 'a.B', 'Cannot connect to the database'), '\tat x.y(Z.java:1)', at('INFO', 'a.B', 'next')]);
  assert.equal(crashed.gone().reason, 'exited');
  // The first ERROR (its chain), then the last lines before the exit, really the last.
  assert.deepEqual(crashed.failure?.evidence.map((e) => [e.kind, e.lines.map((l) => l.n)]), [['first-error', [2]], ['last', [1, 2, 3, 4]]]);
  assert.equal(crashed.failure?.evidence[0]!.framesLeftOut, 1);
  assert.equal(crashed.failure?.evidence[1]!.title, 'The last lines before it exited:');

  const quiet = new StartupWatch();
  quiet.push(Array.from({ length: 50 }, (_, i) => at('INFO', 'a.B', `line ${i}`)));
  const t = quiet.timedOut();
  assert.equal(t.reason, 'timeout');
  assert.deepEqual(t.evidence.map((e) => e.kind), ['last']);
  assert.deepEqual(t.evidence[0]!.lines.map((l) => l.n), Array.from({ length: 30 }, (_, i) => 21 + i));

  const restarted = run([
    at('INFO', 'org.wso2.carbon.core.init.CarbonServerManager', 'Shutdown complete'),
    at('INFO', 'org.wso2.carbon.core.init.CarbonServerManager', 'Halting JVM'),
    at('INFO', CORE, 'Starting WSO2 Carbon...'),
    at('INFO', FINALIZER, 'WSO2 Carbon started in 238 sec'),
  ]).w;
  assert.equal(restarted.halted, undefined);
  assert.equal(restarted.readyInfo?.line.n, 4);
});

const degradedOf = (w: StartupWatch) => w.degraded;
const RETRIEVER = 'org.wso2.carbon.apimgt.gateway.throttling.util.KeyTemplateRetriever';
const RETRY = 'Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused). Retrying after 15 seconds...';

test('the same "Retrying" warning again: degraded (a third state), counted, kept through readiness and named in the evidence', () => {
  const w = new StartupWatch(nodePorts('manager', 0));
  const events = w.push([
    at('INFO', CORE, 'Starting WSO2 Carbon...'),
    at('WARN', RETRIEVER, RETRY, '2017-05-03 11:10:10,334'),
    at('INFO', 'a.B', 'Deployed webapp'),
  ]);
  assert.equal(w.degraded, undefined, 'once is not yet degraded');
  assert.ok(!events.some((e) => e.type === 'milestone' && e.milestone === 'degraded'));
  const again = w.push([at('WARN', RETRIEVER, RETRY.replace('15', '30'), '2017-05-03 11:10:25,349'), at('WARN', RETRIEVER, RETRY, '2017-05-03 11:10:40,350')]);
  const degraded = again.filter((e) => e.type === 'milestone' && e.milestone === 'degraded');
  assert.deepEqual(degraded.map((e) => (e as { degraded: { count: number } }).degraded.count), [2, 3], 'each repeat is told, counted');
  // (read through a function: the assertion above narrowed the property to undefined)
  const d = degradedOf(w);
  assert.equal(d?.count, 3);
  assert.equal(d?.first.n, 2);
  assert.equal(d?.last.n, 5);
  assert.equal(w.failure, undefined, 'degraded is not a failure');
  w.push([at('INFO', FINALIZER, 'WSO2 Carbon started in 238 sec')]);
  assert.equal(w.readyInfo?.carbonSeconds, 238);
  assert.deepEqual(w.degradedEvidence().map((e) => [e.kind, e.title, e.lines.map((l) => l.n)]), [['retrying', 'Retrying, 3 times since line 2:', [5]]]);
  // A new run starts over.
  w.push([at('INFO', CORE, 'Starting WSO2 Carbon...')]);
  assert.equal(w.degraded, undefined);

  // A different warning each time is not a retry loop; nor is a warning without "Retrying".
  const mixed = run([at('WARN', 'a.B', 'Failed once. Retrying'), at('WARN', 'c.D', 'Failed once. Retrying'), at('WARN', 'a.B', 'Cannot locate destination : throttleData'), at('WARN', 'a.B', 'Cannot locate destination : throttleData')]).w;
  assert.equal(mixed.degraded, undefined);
});

test('a timeout while degraded: the retried warning, then the last lines; the first ERROR before a FATAL is shown too', () => {
  const w = new StartupWatch();
  w.push([at('WARN', RETRIEVER, RETRY), at('WARN', RETRIEVER, RETRY), ...Array.from({ length: 40 }, (_, i) => at('INFO', 'a.B', `line ${i}`))]);
  const t = w.timedOut();
  assert.deepEqual(t.evidence.map((e) => e.kind), ['retrying', 'last']);
  assert.equal(t.degraded?.count, 2);
  assert.equal(t.evidence[1]!.lines.at(-1)!.n, 42, 'the last lines are the last ones');

  const f = run([
    at('ERROR', 'org.wso2.carbon.user.core.UserStoreException', 'Cannot connect to the user store'),
    'org.wso2.carbon.user.core.UserStoreException: Connection refused',
    '\tat a.B.c(B.java:1)',
    at('FATAL', 'org.wso2.carbon.core.init.CarbonServerManager', 'WSO2 Carbon initialization Failed'),
    'org.wso2.carbon.CarbonException: Error while initializing the throttling agent: invalid value in repository/conf/api-manager.xml',
    '\tat org.wso2.carbon.core.init.CarbonServerManager.initializeCarbon(CarbonServerManager.java:515)',
    'Caused by: java.lang.NumberFormatException: For input string: "x"',
    '\t... 3 more',
  ]).w.failure!;
  assert.equal(f.reason, 'fatal');
  assert.deepEqual(f.evidence.map((e) => [e.kind, e.lines.map((l) => l.n)]), [['cause', [4, 5, 7]], ['first-error', [1, 2]]]);
  assert.equal(f.evidence[0]!.title, 'The FATAL entry that decided it (line 4, with what caused it):');
  assert.equal(f.evidence[1]!.title, 'The first ERROR of 2 (line 1, with what caused it):');
  assert.equal(f.evidence[0]!.framesLeftOut, 2);
});
