// Starting a real (simulated) server through the core: the demo's bin/wso2server.sh runs in the
// background, writes its pid, listens on 9443+offset and logs in the 2.1.0 format. Each failure
// the admin meets is produced for real (a taken port, a FATAL, a start that never ends, a crash).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { startServer, stopServer, type ServerEvent, type StartOptions } from '../src/core/run/server/control.js';
import { pidAlive, readPid } from '../src/core/run/server/procs.js';
import { serverStatus } from '../src/core/run/server/status.js';
import { accepts, fakeJava, killServer, simHome, until, type SimHome } from './server-helpers.js';

interface Run {
  events: ServerEvent[];
  outcome: Awaited<ReturnType<typeof startServer>['done']>;
}

async function start(h: SimHome, opts: Partial<StartOptions> & { scenario?: string; onEvent?: (e: ServerEvent) => void } = {}): Promise<Run> {
  const events: ServerEvent[] = [];
  const run = startServer({
    home: h.home,
    root: h.root,
    role: opts.role ?? 'manager',
    timeoutMs: opts.timeoutMs ?? 30_000,
    consoleGraceMs: 2000,
    env: { JAVA_HOME: await fakeJava(), APIM_DEMO_PACE_MS: '4', APIM_DEMO_SCENARIO: opts.scenario ?? 'normal' },
    signal: opts.signal,
    clock: opts.clock,
    onEvent: (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
  });
  try {
    return { events, outcome: await run.done };
  } finally {
    await run.close();
  }
}

const lineTexts = (events: ServerEvent[]) => events.flatMap((e) => (e.type === 'lines' ? e.lines.map((l) => l.text) : []));

test('normal start: preflight, lines streamed before readiness, ready with the console URL, the server keeps running, stop works', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  let logWhenFirstLines: string | undefined;
  const { events, outcome } = await start(h, {
    onEvent: (e) => {
      if (e.type === 'lines' && logWhenFirstLines === undefined) logWhenFirstLines = readFileSync(h.paths.logFile, 'utf8');
    },
  });
  assert.equal(outcome.status, 'ready', outcome.headline);
  assert.equal(outcome.consoleUrl, `https://localhost:${h.httpsPort}/carbon/`);
  assert.match(outcome.headline, new RegExp(`^ready in \\d+ s — console at https://localhost:${h.httpsPort}/carbon/$`));
  // The first lines reached us while the log did not yet say it was ready: they are live.
  assert.ok(logWhenFirstLines !== undefined && !logWhenFirstLines.includes('WSO2 Carbon started'), 'lines arrive before readiness');
  const pre = events.find((e) => e.type === 'preflight');
  assert.ok(pre && pre.type === 'preflight');
  assert.deepEqual(pre.checks.map((c) => [c.id, c.status]), [['script', 'ok'], ['release', 'ok'], ['java', 'ok'], ['running', 'ok'], ['ports', 'ok']]);
  assert.equal(pre.checks[1]!.label, 'API-M 2.1.0');
  assert.match(pre.checks[2]!.label, /^Java 1\.8\.0_392: JAVA_HOME /);
  const texts = lineTexts(events);
  assert.ok(texts.some((l) => l.includes('Starting WSO2 Carbon...')));
  const readyAt = texts.findIndex((l) => l.includes('WSO2 Carbon started in'));
  assert.ok(readyAt > 50, `many lines before readiness (${readyAt})`);
  const order = events.map((e) => e.type);
  assert.ok(order.indexOf('lines') < order.findIndex((t2, i) => t2 === 'milestone' && (events[i] as { milestone: string }).milestone === 'ready'));

  // Started in the background: still there, listening, after the start has returned.
  const pid = await readPid(h.paths.pidFile);
  assert.ok(pid !== undefined && pidAlive(pid));
  assert.equal(outcome.pid, pid);
  assert.equal(await accepts(h.httpsPort), true);
  const status = await serverStatus(h.home, 'manager', h.root);
  assert.equal(status.running?.pid, pid);
  assert.deepEqual(status.listening.map((l) => l.port), [h.httpsPort]);
  assert.equal(status.last?.consoleUrl, outcome.consoleUrl);
  assert.match(status.last?.readyLine ?? '', /^WSO2 Carbon started in \d+ sec$/);

  const stopEvents: ServerEvent[] = [];
  const stopped = await stopServer({ home: h.home, root: h.root, env: { JAVA_HOME: await fakeJava() }, onEvent: (e) => stopEvents.push(e) });
  assert.equal(stopped.status, 'stopped', stopped.headline);
  assert.equal(pidAlive(pid!), false);
  assert.equal(await accepts(h.httpsPort), false);
  assert.ok(lineTexts(stopEvents).some((l) => l.includes('Halting JVM')), 'the shutdown lines are streamed');
  const after = await serverStatus(h.home, 'manager', h.root);
  assert.equal(after.running, undefined);
  assert.equal(after.stalePid, pid);
  assert.match(after.last?.haltedAt ?? '', /^\d{4}-/);
  assert.equal((await stopServer({ home: h.home, root: h.root, onEvent: () => {} })).status, 'not-running');
});

test('a worker starts with -Dprofile=gateway-worker', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const { events, outcome } = await start(h, { role: 'worker' });
  assert.equal(outcome.status, 'ready', outcome.headline);
  const command = events.find((e) => e.type === 'command');
  assert.ok(command?.type === 'command' && command.command.endsWith('bin/wso2server.sh start -Dprofile=gateway-worker'));
  assert.equal((await serverStatus(h.home, 'worker', h.root)).running?.profile, 'gateway-worker');
  assert.deepEqual(preflightPorts(events).map((p) => p - h.offset), [9443, 9763, 8243, 8280, 9999, 11111], 'a worker needs only its own ports');
});

function preflightPorts(events: ServerEvent[]): number[] {
  const pre = events.find((e) => e.type === 'preflight');
  const label = pre?.type === 'preflight' ? pre.checks.find((c) => c.id === 'ports')?.label ?? '' : '';
  return label.replace(/^.*\): /, '').split(', ').map(Number);
}

test('a port taken after the preflight: BindException, the port named, the offset suggested', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  let blocker: Server | undefined;
  t.after(() => blocker?.close());
  const { outcome } = await start(h, {
    onEvent: (e) => {
      // Another program takes the console port between the checks and the start.
      if (e.type === 'command') blocker = createServer().listen(h.httpsPort, '127.0.0.1');
    },
  });
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.reason, 'port-in-use');
  assert.match(outcome.headline, new RegExp(`port ${h.httpsPort} \\(HTTPS servlet`));
  assert.match(outcome.detail ?? '', /held by node \(pid \d+\)/);
  assert.match(outcome.next ?? '', new RegExp(`set <Ports><Offset> in repository/conf/carbon.xml to ${h.offset + 1}\\b`));
  assert.match(outcome.detail ?? '', /still running \(pid \d+\).*stop it first/);
  const cause = outcome.evidence[0]!;
  assert.equal(cause.kind, 'cause');
  assert.equal(cause.lines[0]!.level, 'ERROR');
  // The chain without the frames: the exception, then each "Caused by" down to the BindException.
  assert.deepEqual(cause.lines.slice(1).map((l) => l.text.replace(/:.*/, '')), ['org.apache.catalina.LifecycleException', 'Caused by', 'Caused by']);
  assert.ok(cause.lines.at(-1)!.text.includes('java.net.BindException: Address already in use'));
});

test('a port already taken is caught before starting, with its holder and a free offset', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const blocker = createServer().listen(h.httpsPort + (9763 - 9443), '127.0.0.1');
  t.after(() => blocker.close());
  await until(() => blocker.listening, 'the blocker to listen');
  const { outcome } = await start(h);
  assert.equal(outcome.status, 'preflight-failed');
  const ports = outcome.checks.find((c) => c.id === 'ports')!;
  assert.equal(ports.status, 'fail');
  assert.match(ports.label, new RegExp(`${h.httpsPort + 320} \\(HTTP servlet\\) held by node, pid ${process.pid}`));
  assert.match(ports.detail ?? '', new RegExp(`Offset> in repository/conf/carbon.xml to ${h.offset + 1} `));
  assert.equal(await readPid(h.paths.pidFile), undefined, 'nothing was started');
});

test('FATAL during start: failed at once, the FATAL entry and its exception line whole are the evidence, the file it names in the advice', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const { outcome } = await start(h, { scenario: 'fatal' });
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.reason, 'fatal');
  assert.equal(outcome.headline, 'failed: FATAL error during start');
  const [cause, ...rest] = outcome.evidence;
  assert.equal(cause!.kind, 'cause');
  assert.equal(cause!.lines[0]!.level, 'FATAL');
  assert.equal(cause!.lines[1]!.text, 'org.wso2.carbon.CarbonException: Error while initializing the throttling agent: invalid value in repository/conf/api-manager.xml');
  assert.equal(cause!.lines.length, 2);
  assert.equal(cause!.framesLeftOut, 3);
  assert.deepEqual(rest, [], 'no other ERROR was logged');
  assert.match(outcome.detail ?? '', /It names repository\/conf\/api-manager\.xml\..*still running/);
  assert.match(outcome.next ?? '', /then fix repository\/conf\/api-manager\.xml/);
});

test('never ready, degraded: the wait counted on the given clock; given up at its limit with the retried warning and the really last lines', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  // The clock stands still until the warning has come back twice (degraded), then jumps past the limit.
  let now = 1_700_000_000_000;
  let degradedSeen = 0;
  const { outcome, events } = await start(h, {
    scenario: 'never-ready',
    timeoutMs: 600_000,
    clock: () => now,
    onEvent: (e) => {
      if (e.type === 'milestone' && e.milestone === 'degraded' && ++degradedSeen === 2) now += 600_001;
    },
  });
  const command = events.find((e) => e.type === 'command');
  assert.deepEqual(command?.type === 'command' && [command.at, command.timeoutMs], [1_700_000_000_000, 600_000]);
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.reason, 'timeout');
  assert.equal(outcome.headline, 'not ready after 10 min');
  assert.ok(outcome.pid !== undefined && pidAlive(outcome.pid), 'the server keeps running');
  assert.ok((outcome.degraded?.count ?? 0) >= 3, 'degraded, counted');
  assert.match(outcome.detail ?? '', /Degraded: it keeps retrying \(\d+ times since line \d+\): KeyTemplateRetriever: Failed retrieving throttling data from remote endpoint: Connection refused \(Connection refused\)\./);
  assert.match(outcome.next ?? '', /Traffic Manager.*<ThrottlingConfigurations> in repository\/conf\/api-manager\.xml/);
  assert.deepEqual(outcome.evidence.map((e) => e.kind), ['retrying', 'last']);
  // Really the last lines: the last one given is the last line followed.
  const followed = events.flatMap((e) => (e.type === 'lines' ? e.lines : []));
  assert.equal(outcome.evidence[1]!.lines.at(-1)!.n, followed.at(-1)!.n);
  assert.match(outcome.evidence[1]!.lines.at(-1)!.text, /Failed retrieving throttling data/);
});

test('ready but degraded: the same "Retrying" warning twice before the ready line; said in the headline, what it retries and where to look', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const { outcome, events } = await start(h, { scenario: 'degraded' });
  assert.equal(outcome.status, 'ready');
  assert.match(outcome.headline, new RegExp(`^ready in \\d+ s, degraded — console at https://[^/]+:${h.httpsPort}/carbon/$`));
  assert.equal(outcome.degraded?.count, 2);
  assert.match(outcome.detail ?? '', /^Carbon: "WSO2 Carbon started in \d+ sec" \(line \d+\); pid \d+\. Degraded: it keeps retrying \(2 times since line \d+\): KeyTemplateRetriever: Failed retrieving throttling data/);
  assert.match(outcome.next ?? '', /Traffic Manager/);
  assert.deepEqual(outcome.evidence.map((e) => e.kind), ['retrying']);
  const told = events.filter((e) => e.type === 'milestone' && e.milestone === 'degraded');
  assert.equal(told.length, 1, 'degraded is told when the warning comes again');
});

test('a crash (the process gone without shutting down): exited, with the way to see the JVM output', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const { outcome } = await start(h, { scenario: 'crash' });
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.reason, 'exited');
  assert.match(outcome.detail ?? '', /without shutting down/);
  assert.match(outcome.next ?? '', /sh bin\/wso2server\.sh .*hs_err_pid/);
  // No error was logged: the last lines before the exit, ending with the last one written.
  assert.deepEqual(outcome.evidence.map((e) => [e.kind, e.title]), [['last', 'The last lines before it exited:']]);
  assert.match(outcome.evidence[0]!.lines.at(-1)!.text, /mediation\.initializer component activated successfully/);
});

test('Carbon initialization is delayed: failed, the unsatisfied items shown', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const { outcome } = await start(h, { scenario: 'delayed' });
  assert.equal(outcome.reason, 'delayed');
  assert.ok(outcome.evidence[0]!.lines.some((l) => /Waiting for required OSGi services/.test(l.text)));
});

test('already running: not started again; an abort stops following and leaves the server starting', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const ac = new AbortController();
  const first = await start(h, {
    scenario: 'never-ready',
    signal: ac.signal,
    onEvent: (e) => {
      if (e.type === 'lines') ac.abort();
    },
  });
  assert.equal(first.outcome.status, 'interrupted');
  assert.ok(first.outcome.pid !== undefined && pidAlive(first.outcome.pid));
  const second = await start(h);
  assert.equal(second.outcome.status, 'already-running');
  assert.equal(second.outcome.pid, first.outcome.pid);
});

test('Java missing: preflight fails naming JAVA_HOME, nothing is started', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const events: ServerEvent[] = [];
  const run = startServer({ home: h.home, root: h.root, role: 'manager', env: { JAVA_HOME: '/nonexistent/jdk' }, onEvent: (e) => events.push(e) });
  const outcome = await run.done;
  await run.close();
  assert.equal(outcome.status, 'preflight-failed');
  assert.match(outcome.checks.find((c) => c.id === 'java')!.detail ?? '', /JAVA_HOME is \/nonexistent\/jdk, but \/nonexistent\/jdk\/bin\/java is not there/);
  assert.equal(await readPid(h.paths.pidFile), undefined);
});

test('a stale wso2carbon.pid naming another program (a reused pid) is removed, and the start goes ahead', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  await writeFile(h.paths.pidFile, `${process.pid}\n`);
  const { events, outcome } = await start(h);
  assert.equal(outcome.status, 'ready', outcome.headline);
  assert.ok(events.some((e) => e.type === 'note' && e.text === `removed a stale wso2carbon.pid (pid ${process.pid} is another program)`));
  assert.notEqual(await readPid(h.paths.pidFile), process.pid);
});
