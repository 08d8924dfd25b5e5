// The start, stop and status verbs as an admin runs them: the built executable, headless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive, readPid } from '../src/core/run/server/procs.js';
import { runCli } from './helpers.js';
import { accepts, fakeJava, killServer, simHome } from './server-helpers.js';

const where = (h: { root: string; home: string }) => ['--root', h.root, '--home', h.home];

test('start → the server outlives the command; status; stop; status', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const env = { JAVA_HOME: await fakeJava(), APIM_DEMO_PACE_MS: '4' };
  const started = runCli(['start', ...where(h), '--role', 'manager'], env);
  assert.equal(started.code, 0, started.stdout + started.stderr);
  const out = started.stdout;
  assert.match(out, /^Gateway Manager at \/opt\/wso2am-2\.1\.0; role from --role$/m);
  assert.match(out, /^ {2}ok {3}Java 1\.8\.0_392: JAVA_HOME /m);
  assert.match(out, /^\$ sh .*\/bin\/wso2server\.sh start$/m);
  // The log lines come first, the verdict after them.
  const firstLine = out.indexOf('Starting WSO2 Carbon...');
  const verdict = out.search(/^ready in \d+ s — console at https:\/\/localhost:\d+\/carbon\/$/m);
  assert.ok(firstLine > 0 && verdict > firstLine, out);
  assert.ok(!out.includes('\x1b['), 'no colour when stdout is not a terminal');

  // The command has exited; the server has not.
  const pid = await readPid(h.paths.pidFile);
  assert.ok(pid !== undefined && pidAlive(pid));
  assert.equal(await accepts(h.httpsPort), true);

  const status = runCli(['status', ...where(h), '--role', 'manager']);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`^running: pid ${pid}, since `, 'm'));
  assert.match(status.stdout, new RegExp(`^listening: ${h.httpsPort} \\(127\\.0\\.0\\.1\\)$`, 'm'));
  assert.match(status.stdout, /^last start: .* — "WSO2 Carbon started in \d+ sec" at .*; console https:\/\/localhost:\d+\/carbon\/$/m);

  const again = runCli(['start', ...where(h), '--role', 'manager'], env);
  assert.equal(again.code, 1);
  assert.match(again.stdout, new RegExp(`FAIL already running \\(pid ${pid}`));

  const stopped = runCli(['stop', ...where(h), '--role', 'manager'], env);
  assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
  assert.match(stopped.stdout, /Halting JVM/);
  assert.match(stopped.stdout, new RegExp(`^stopped in \\d+ s \\(pid ${pid} is gone\\)$`, 'm'));
  assert.equal(pidAlive(pid!), false);
  assert.equal(await accepts(h.httpsPort), false);

  const down = runCli(['status', ...where(h), '--role', 'manager']);
  assert.equal(down.code, 3);
  assert.match(down.stdout, new RegExp(`^not running \\(wso2carbon\\.pid names ${pid}, which is gone\\)$`, 'm'));
  assert.equal(runCli(['stop', ...where(h), '--role', 'manager']).code, 0);
});

test('a worker: the first start suggests the restart; --restart-after-first-start does it once and remembers', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const env = { JAVA_HOME: await fakeJava(), APIM_DEMO_PACE_MS: '4' };
  const first = runCli(['start', ...where(h), '--role', 'worker'], env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /start -Dprofile=gateway-worker$/m);
  assert.match(first.stdout, /first start of this worker: WSO2 asks to restart a worker once/);
  assert.equal(runCli(['stop', ...where(h), '--role', 'worker'], env).code, 0);

  const restarted = runCli(['start', ...where(h), '--role', 'worker', '--restart-after-first-start'], env);
  assert.equal(restarted.code, 0, restarted.stdout + restarted.stderr);
  assert.equal(restarted.stdout.match(/^ready in \d+ s/gm)?.length, 2, 'started, then restarted');
  assert.match(restarted.stdout, /First start of this worker: restarting it once, as WSO2 asks/);
  assert.match(restarted.stdout, /Halting JVM/);
  assert.ok(existsSync(join(h.paths.state, 'worker-restarted')));

  // Done once: a later --restart is an ordinary restart, no hint.
  const later = runCli(['start', ...where(h), '--role', 'worker', '--restart'], env);
  assert.equal(later.code, 0, later.stdout + later.stderr);
  assert.doesNotMatch(later.stdout, /first start/i);
  assert.match(later.stdout, /^stopped in \d+ s/m);
});

test('failures exit 1 with the reason: a crash, a time-out, no Java, no role, a bad --timeout', async (t) => {
  const h = await simHome();
  t.after(() => killServer(h.paths));
  const java = await fakeJava();
  const crash = runCli(['start', ...where(h), '--role', 'manager'], { JAVA_HOME: java, APIM_DEMO_PACE_MS: '4', APIM_DEMO_SCENARIO: 'crash' });
  assert.equal(crash.code, 1);
  assert.match(crash.stdout, /^failed: the server process exited before it was ready$/m);
  assert.match(crash.stdout, /^Next: wso2server\.sh start throws the JVM's own output away/m);

  const slow = runCli(['start', ...where(h), '--role', 'manager', '--timeout', '1s'], { JAVA_HOME: java, APIM_DEMO_PACE_MS: '4', APIM_DEMO_SCENARIO: 'never-ready' });
  assert.equal(slow.code, 1);
  assert.match(slow.stdout, /^not ready after 1 s$/m);
  assert.match(slow.stdout, /^The lines that matter:$/m);
  await killServer(h.paths);

  const noJava = runCli(['start', ...where(h), '--role', 'manager'], { JAVA_HOME: undefined, PATH: '/nonexistent' });
  assert.equal(noJava.code, 1);
  assert.match(noJava.stdout, /FAIL Java not found/);
  assert.match(noJava.stdout, /JAVA_HOME is not set and there is no java on PATH/);

  const noRole = runCli(['status', ...where(h)]);
  assert.equal(noRole.code, 1);
  assert.match(noRole.stderr, /role unknown: give --role manager or --role worker/);

  const lb = join(h.root, 'lb.json');
  await writeFile(lb, JSON.stringify({ role: 'load-balancer' }));
  const wrong = runCli(['status', ...where(h), '--answers', lb]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /role is load-balancer \(from the answers file\): start, stop and status are for Gateway nodes/);

  const bad = runCli(['start', ...where(h), '--role', 'manager', '--timeout', 'soon'], { JAVA_HOME: java });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--timeout: "soon" is not a duration/);
});
