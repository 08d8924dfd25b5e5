// The start screen at 80×24 from views built from real log shapes, no server needed: it never
// grows past the terminal (the banner and step line stay on top), the exception line is whole
// with the file it names, a crash shows the really last lines, the wait shows its elapsed time
// and limit from the view's clock, a start that keeps retrying says it is degraded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { act, createElement } from 'react';
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { degradedAdvice, failureAdvice } from '../src/core/run/server/advice.js';
import type { StartOutcome } from '../src/core/run/server/control.js';
import { nodePorts } from '../src/core/run/server/ports.js';
import { StartupWatch, type LogLine } from '../src/core/run/server/watch.js';
import { Frame, frameChrome } from '../src/ui/components/Frame.js';
import type { StartView } from '../src/ui/hooks/useServerStart.js';
import { CONTINUED, wrapLog } from '../src/ui/components/wrap.js';
import { Start, startKeys, startTitle } from '../src/ui/screens/Start.js';
import { frameFits } from './ui-helpers.js';

const at = (level: string, cls: string, msg: string) => `TID: [-1234] [] [2017-04-30 21:25:49,283] ${level.padStart(5)} {${cls}} -  ${msg} {${cls}}`;
const EXCEPTION = 'org.wso2.carbon.CarbonException: Error while initializing the throttling agent: invalid value in repository/conf/api-manager.xml';
const BANNER = 'DEMO — writing under /tmp/agw-demo-XXXXXX';

const routine = (n: number) => Array.from({ length: n }, (_, i) => at('INFO', `org.wso2.carbon.c${i}.internal.ServiceComponent`, `Carbon component ${i} activated successfully`));

function baseView(lines: LogLine[]): StartView {
  return {
    phase: 'done', kind: 'start', said: [], tail: lines.slice(-200), count: lines.length, firstStart: false, restartDone: false, aborted: false, staticGen: 0, chunks: [],
    command: 'sh /tmp/agw-demo-XXXXXX/opt/wso2am-2.1.0/bin/wso2server.sh start',
    checks: [
      { id: 'script', status: 'ok', label: 'launcher' },
      { id: 'release', status: 'ok', label: 'API-M 2.1.0' },
      { id: 'java', status: 'ok', label: 'Java 1.8.0_392' },
    ] as StartView['checks'],
  };
}

function failedView(texts: string[], end: 'gone' | 'timeout' | 'decided'): StartView {
  const w = new StartupWatch(nodePorts('manager', 0));
  const lines = [...w.push(texts), ...w.flush()].flatMap((e) => (e.type === 'line' ? [e.line] : []));
  const f = end === 'gone' ? w.gone() : end === 'timeout' ? w.timedOut() : w.failure!;
  const advice = failureAdvice(f, { role: 'manager', ports: nodePorts('manager', 0), offset: 0, pid: 4242, timeoutMs: 600_000 });
  const outcome: StartOutcome = { status: 'failed', reason: f.reason, ...advice, pid: 4242, evidence: f.evidence, degraded: f.degraded, checks: [] };
  return { ...baseView(lines), outcome };
}

/** The screen as the wizard frames it at 80×24 with the demo banner: the lines on the terminal. */
async function screen(view: StartView, running = false): Promise<string[]> {
  const rows = 24 - 1 - frameChrome(true, true);
  let r!: ReturnType<typeof render>;
  await act(async () => {
    const children = createElement(Start, { view, history: undefined, running, role: 'manager', width: 80, rows, onRun: () => {}, onKeys: () => {}, onQuit: () => {} });
    r = render(createElement(Frame, { banner: BANNER, role: 'manager', step: 5, screen: 'Start', keys: 'l full log · Enter or q exit', width: 80, height: 23, children }));
  });
  const frame = stripVTControlCharacters(r.lastFrame() ?? '');
  await act(async () => r.unmount());
  assert.equal(frameFits(frame), undefined, frame);
  const lines = frame.split('\n');
  assert.ok(lines[0]!.includes('DEMO — writing under'), `the banner stays on top:\n${frame}`);
  assert.match(lines[1]!, /Step 5 of 5/, frame);
  return lines;
}

test('log lines wrap at spaces, then after / . ( : — never inside a word; only a run with no such place is cut, marked', () => {
  const rows = wrapLog(EXCEPTION, 74);
  assert.deepEqual(rows, ['org.wso2.carbon.CarbonException: Error while initializing the throttling', '  agent: invalid value in repository/conf/api-manager.xml']);
  const frame = '    at org.wso2.carbon.core.init.CarbonServerManager.initializeCarbon(CarbonServerManager.java:515)';
  const narrow = wrapLog(frame, 40);
  assert.ok(narrow.every((r) => r.length <= 40), narrow.join('\n'));
  assert.deepEqual(narrow, ['    at org.wso2.carbon.core.init.', '  CarbonServerManager.initializeCarbon(', '  CarbonServerManager.java:515)']);
  assert.equal(narrow.map((r, i) => (i ? r.slice(2) : r)).join(''), frame);
  const run = wrapLog('x'.repeat(30), 12);
  assert.ok(run.every((r) => r.length <= 12), run.join('\n'));
  assert.ok(run[0]!.endsWith(CONTINUED));
  assert.equal(run.map((r, i) => (i ? r.slice(2) : r)).join('').replaceAll(CONTINUED, ''), 'x'.repeat(30));
});

test('a FATAL start at 80×24: the headline, the exception line whole with the file it names, the next step; the banner on top', async () => {
  const texts = [
    ...routine(40),
    at('FATAL', 'org.wso2.carbon.core.init.CarbonServerManager', 'WSO2 Carbon initialization Failed'),
    EXCEPTION,
    '\tat org.wso2.carbon.core.init.CarbonServerManager.initializeCarbon(CarbonServerManager.java:515)',
    '\tat org.wso2.carbon.core.init.CarbonServerManager.start(CarbonServerManager.java:219)',
    '\tat org.wso2.carbon.core.internal.CarbonCoreServiceComponent.activate(CarbonCoreServiceComponent.java:94)',
  ];
  const lines = await screen(failedView(texts, 'decided'));
  const text = lines.join('\n');
  assert.ok(text.includes('failed: FATAL error during start'), text);
  assert.ok(text.includes('The FATAL entry that decided it (line 41, with what caused it):'), text);
  assert.match(text, /^ +41 21:25:49 FATAL CarbonServerManager WSO2 Carbon initialization Failed$/m);
  // The exception line, whole: wrapped at a space, the path in one piece.
  assert.match(text, /^ +42 org\.wso2\.carbon\.CarbonException: Error while initializing the throttling$/m);
  assert.match(text, /^ {8}agent: invalid value in repository\/conf\/api-manager\.xml$/m);
  assert.ok(text.replace(/\s+/g, ' ').includes('Next: Read the FATAL entry and what caused it (shown), then fix repository/conf/api-manager.xml'), text);
  assert.ok(!text.includes('…'), `nothing cut:\n${text}`);
});

test('a crash at 80×24: the last lines before the exit, really the last (routine lines, said to be the last)', async () => {
  const lines = await screen(failedView(routine(60), 'gone'));
  const text = lines.join('\n');
  assert.ok(text.includes('failed: the server process exited before it was ready'), text);
  assert.match(text, /The last lines before it exited, the last \d+ \(↑ \d+ more: l shows the full log\):/);
  const numbered = lines.map((l) => /^ +(\d+) \d\d:\d\d:\d\d /.exec(l)?.[1]).filter(Boolean).map(Number);
  assert.equal(numbered.at(-1), 60, `the last line shown is the last line logged:\n${text}`);
  assert.deepEqual(numbered, numbered.map((_, i) => 60 - numbered.length + 1 + i), 'consecutive, up to the end');
  assert.ok(text.replace(/\s+/g, ' ').includes('Next: wso2server.sh start throws the JVM'), text);
});

test('an ERROR before the crash is shown with its "Caused by", ahead of the last lines', async () => {
  const texts = [
    ...routine(10),
    at('ERROR', 'org.wso2.carbon.user.core.common.DefaultRealmService', 'Cannot initialize the user realm'),
    'org.wso2.carbon.user.core.UserStoreException: Cannot connect to jdbc:h2:./repository/database/WSO2CARBON_DB',
    '\tat org.wso2.carbon.user.core.jdbc.JDBCUserStoreManager.<init>(JDBCUserStoreManager.java:219)',
    'Caused by: java.sql.SQLException: Database may be already in use: "Locked by another process"',
    '\tat org.h2.message.DbException.getJdbcSQLException(DbException.java:345)',
    ...routine(30),
  ];
  const text = (await screen(failedView(texts, 'gone'))).join('\n');
  assert.ok(text.includes('The first ERROR (line 11, with what caused it):'), text);
  assert.match(text, /^ +14 Caused by: java\.sql\.SQLException: Database may be already in use:/m);
  assert.match(text, /The last lines before it exited/);
  // The last line logged (45) is the last one shown, right before the next step.
  assert.match(text, /^ +45 \d\d:\d\d:\d\d INFO [^\n]*\nNext:/m);
});

test('while waiting: the elapsed time and the limit from the view clock; degraded when the same warning keeps coming', async () => {
  const view: StartView = { ...baseView([]), phase: 'starting', startedAt: 1_000_000, now: 1_000_000 + 72_400, timeoutMs: 600_000 };
  assert.equal(startTitle(view, 'manager'), 'Starting the Gateway Manager… waiting 1:12 of 10:00');
  let text = (await screen(view, true)).join('\n');
  assert.ok(text.includes('Starting the Gateway Manager… waiting 1:12 of 10:00'), text);

  const w = new StartupWatch();
  const retry = at('WARN', 'org.wso2.carbon.apimgt.gateway.throttling.util.KeyTemplateRetriever', 'Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused). Retrying after 15 seconds...');
  const events = w.push([...routine(5), retry, ...routine(3), retry, retry]);
  const lines = events.flatMap((e) => (e.type === 'line' ? [e.line] : []));
  const degraded = { ...baseView(lines), phase: 'starting' as const, startedAt: 0, now: 600_000, timeoutMs: 600_000, degraded: w.degraded };
  text = (await screen(degraded, true)).join('\n');
  assert.ok(text.includes('The Gateway Manager started, but degraded… waiting 10:00 of 10:00'), text);
  assert.ok(text.replace(/\s+/g, ' ').includes('Degraded: it keeps retrying (3 times since line 6): KeyTemplateRetriever: Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused).'), text);
});

test('given up while degraded: the retried warning and the last lines, the last one being the last logged', async () => {
  const retry = at('WARN', 'org.wso2.carbon.apimgt.gateway.throttling.util.KeyTemplateRetriever', 'Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused). Retrying after 15 seconds...');
  const texts = [...routine(20), retry, ...routine(4), retry, ...routine(4), retry];
  const lines = await screen(failedView(texts, 'timeout'));
  const text = lines.join('\n');
  assert.ok(text.includes('not ready after 10 min'), text);
  assert.ok(text.includes('Retrying, 3 times since line 21:'), text);
  const numbered = lines.map((l) => /^ +(\d+) \d\d:\d\d:\d\d /.exec(l)?.[1]).filter(Boolean).map(Number);
  assert.equal(numbered.at(-1), 31, text);
  assert.ok(text.replace(/\s+/g, ' ').includes('Traffic Manager'), text);
});

test('ready but degraded: the headline says so in yellow, then what it retries and the next step, within 80×24', async () => {
  const retry = at('WARN', 'org.wso2.carbon.apimgt.gateway.throttling.util.KeyTemplateRetriever', 'Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused). Retrying after 15 seconds...');
  const w = new StartupWatch();
  const texts = [...routine(30), retry, ...routine(10), retry, at('INFO', 'org.wso2.carbon.core.internal.StartupFinalizerServiceComponent', 'WSO2 Carbon started in 41 sec')];
  const lines = w.push(texts).flatMap((e) => (e.type === 'line' ? [e.line] : []));
  const d = degradedAdvice(w.degraded!);
  const outcome: StartOutcome = {
    status: 'ready', headline: 'ready in 41 s, degraded — console at https://mgt.am.wso2.com:9443/carbon/', detail: `Carbon: "WSO2 Carbon started in 41 sec" (line 43). ${d.detail}`, next: d.next,
    evidence: w.degradedEvidence(), degraded: w.degraded, checks: [],
  };
  const text = (await screen({ ...baseView(lines), outcome })).join('\n');
  const flat = text.replace(/\s+/g, ' ');
  assert.ok(text.includes('ready in 41 s, degraded — console at https://mgt.am.wso2.com:9443/carbon/'), text);
  assert.ok(flat.includes('Degraded: it keeps retrying (2 times since line 31): KeyTemplateRetriever: Failed retrieving throttling data'), text);
  assert.ok(text.includes('Retrying, 2 times since line 31:'), text);
  assert.ok(flat.includes('Next: The gateway cannot fetch throttling data'), text);
});

test('the keys line is one row at 80 columns in every phase (the frame counts it as one)', () => {
  const views: StartView[] = [
    baseView([]),
    { ...baseView([]), outcome: { status: 'already-running', headline: 'not started: already running', evidence: [], checks: [] } },
    { ...baseView([]), firstStart: true, outcome: { status: 'ready', headline: 'ready in 3 s', evidence: [], checks: [] } },
  ];
  for (const v of views) for (const running of [true, false]) for (const full of [true, false]) {
    const keys = startKeys(v, running, full);
    assert.ok([...keys].length <= 80, `${keys.length}: ${keys}`);
  }
});
