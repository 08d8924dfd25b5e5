// End to end in a real terminal: tmux runs the built executable in an 80×24 pane (CI unset:
// with CI set Ink writes only the last frame), keys go in with send-keys, screens come back
// with capture-pane, polled until a deadline. The files written must equal what the headless
// `apply --answers` writes for the same answers.
import { stateDir } from '../src/core/node/layout.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { rmSync } from 'node:fs';
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';
import { bare, openQuestion } from './screen-helpers.js';
import { serverPaths } from '../src/core/run/server/paths.js';
import { freeOffset, killServer } from './server-helpers.js';

const SOCKET = `agw-e2e-${process.pid}`;
// The wizard's state folder (core/node/layout.ts stateDir), relative to the root.
const STATE = stateDir('/opt/wso2am-2.1.0').slice(1);
const TMUX_ENV = { ...process.env, CI: undefined, LC_ALL: 'C.UTF-8', TERM: 'xterm-256color' } as NodeJS.ProcessEnv;
let config = '';
let work = '';

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, '-f', config, ...args], { encoding: 'utf8', env: TMUX_ENV });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Starts the wizard in a new 80×24 window. The pane stays after exit so its last frame can be
 * read; the shell records the exit status in a file, since tmux does not always reap its pane's
 * process promptly (seen as a <defunct> node with pane_dead still 0).
 */
function startPane(name: string, args: string[], env: Record<string, string> = {}): void {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const command = ['env', '-u', 'CI', '-u', 'CARBON_HOME', ...vars, process.execPath, BIN, ...args].map(quote).join(' ');
  tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', `${command}; echo $? > ${quote(statusFile(name))}`);
}

const statusFile = (name: string) => join(work, `${name}.status`);

const screen = (name: string) => tmux('capture-pane', '-p', '-t', name);
const keys = (name: string, ...k: string[]) => tmux('send-keys', '-t', name, ...k);
const typeText = (name: string, text: string) => tmux('send-keys', '-t', name, '-l', text);

async function waitScreen(name: string, pred: string | ((s: string) => boolean), what = String(pred)): Promise<string> {
  const test = typeof pred === 'string' ? (s: string) => s.includes(pred) : pred;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = screen(name);
    if (test(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // polling interval, not a wait for a result
  }
}

async function exitStatus(name: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await readFile(statusFile(name), 'utf8').catch(() => '');
    if (status.endsWith('\n')) return Number(status);
    if (Date.now() > deadline) throw new Error(`${name} still running; screen:\n${screen(name)}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // polling interval
  }
}

/** Walks the questions to the review (or to the question `stopAt`), replacing the text of the fields named in `values`. */
async function answerAll(name: string, values: Record<string, string>, stopAt?: string): Promise<string> {
  for (let step = 0; step < 60; step++) {
    const s = screen(name);
    if (s.includes('· Review')) return s;
    const open = openQuestion(s);
    if (!open) throw new Error(`no open question:\n${s}`);
    if (open.key === stopAt) return s;
    const want = values[open.key];
    if (want !== undefined && open.text !== want) {
      if (open.text) keys(name, ...Array<string>(open.text.length).fill('BSpace'));
      if (want) typeText(name, want);
      await waitScreen(name, (x) => openQuestion(x)?.text === want, `${open.key} = ${want}`);
    }
    keys(name, 'Enter');
    const next = await waitScreen(name, (x) => x.includes('· Review') || x.includes('✖') || openQuestion(x)?.key !== open.key, `after ${open.key}`);
    if (next.includes('✖')) throw new Error(`refused:\n${next}`);
  }
  throw new Error(`too many questions:\n${screen(name)}`);
}

async function nodeFiles(root: string): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await treeState(root)).filter(([p]) => !p.startsWith('var/lib/apim-gateway-wizard/')));
}

/** Rebuilds the bundle when a source file is newer (`npm test` builds first; a lone run may not). */
async function ensureBuilt(): Promise<void> {
  const built = await stat(join(REPO, 'dist/cli.cjs')).catch(() => undefined);
  let newest = 0;
  for (const entry of await readdir(join(REPO, 'src'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  if (built && built.mtimeMs >= newest) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  await ensureBuilt();
  work = await tempDir();
  config = join(work, 'tmux.conf');
  // No status line: the pane is the whole 80×24. Dead panes stay for their last frame and exit status.
  await writeFile(config, 'set -g status off\nset -g remain-on-exit on\n');
});
after(() => {
  const socket = spawnSync('tmux', ['-L', SOCKET, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8', env: TMUX_ENV }).stdout.trim();
  spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { env: TMUX_ENV });
  if (socket) rmSync(socket, { force: true });
});

const MANAGER = {
  role: 'manager',
  productHome: DEMO_HOME,
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  managerIp: '192.0.2.10',
  workerIps: ['192.0.2.21', '192.0.2.22'],
  hazelcast: false,
};

test('a Gateway Manager in an 80×24 terminal: review, apply, same files as apply --answers; a re-run changes nothing', async () => {
  const root = await demoSandbox();
  const args = ['--root', root, '--home', DEMO_HOME];
  startPane('first', args);
  let s = await waitScreen('first', 'Found');
  assert.match(s, /Found +WSO2 API Manager 2\.1\.0/);
  keys('first', 'Enter');
  await waitScreen('first', 'What is this node?');
  keys('first', 'Enter');
  await waitScreen('first', (x) => openQuestion(x)?.number === 1, 'the first question');
  s = await answerAll('first', { managerIp: MANAGER.managerIp, workerIps: MANAGER.workerIps.join(', '), syncTargets: '', hazelcast: 'no' });

  // The review fits the pane: its header is still the first line, the keys the last.
  const lines = s.replace(/\n+$/, '').split('\n');
  assert.equal(lines[0], 'Step 2 of 5 · Gateway Manager · Review');
  assert.match(lines[3]!, /^\d+ files? to change, \d+ to create, \d+ unchanged/);
  assert.ok(s.includes('┌ Manager ★ this node'));
  keys('first', 'Enter');
  s = await waitScreen('first', '+++ b/opt/wso2am-2.1.0/repository/conf/carbon.xml');
  assert.ok(s.includes('+    <HostName>am.wso2.com</HostName>'));
  // In colour, as the headless report: added lines green (SGR 32), removed ones red (31).
  const coloured = tmux('capture-pane', '-p', '-e', '-t', 'first');
  assert.ok(coloured.includes('\x1b[32m+    <HostName>am.wso2.com</HostName>'), coloured);
  assert.ok(coloured.includes('\x1b[31m-    <!--HostName>www.wso2.org</HostName-->'), coloured);
  keys('first', 'Escape');
  await waitScreen('first', 'why:');
  keys('first', 'a');
  s = await waitScreen('first', 'Enter or q: exit');
  assert.match(s, /Applied: \d+ files? written\./);
  keys('first', 'Enter');
  assert.equal(await exitStatus('first'), 0);
  // The last frame stays on the terminal (a "Pane is dead" line may scroll it up by one).
  // Then the next node's command on one physical line (-J joins what the terminal wrapped), to copy whole.
  s = tmux('capture-pane', '-p', '-J', '-t', 'first', '-S', '-6');
  const next = s.split('\n').find((l) => l.startsWith('Next node: '));
  assert.ok(next && next.includes(`--answers ${join(root, STATE, 'answers.json')}`) && next.trimEnd().endsWith('--role worker'), s);

  // The headless apply of the same answers on another copy writes the same bytes.
  const other = await demoSandbox();
  const answersFile = join(await tempDir(), 'manager.json');
  await writeFile(answersFile, JSON.stringify(MANAGER));
  const headless = runCli(['apply', '--answers', answersFile, '--root', other, '--yes']);
  assert.equal(headless.code, 0, headless.stderr);
  assert.deepEqual(await nodeFiles(root), await nodeFiles(other));
  const saved = join(root, STATE, 'answers.json');
  assert.equal(await readFile(saved, 'utf8'), await readFile(join(other, STATE, 'answers.json'), 'utf8'));
  assert.equal((await stat(saved)).mode & 0o777, 0o600);

  // Second run: every value pre-filled from the node, nothing to change, nothing written.
  const afterApply = await treeState(root);
  startPane('second', args);
  s = await waitScreen('second', 'This node');
  assert.ok(s.replace(/\s+/g, ' ').includes('already configured as a Gateway Manager'), s);
  keys('second', 'Enter');
  s = await waitScreen('second', 'What is this node?');
  assert.ok(s.includes('❯ Gateway Manager'));
  keys('second', 'Enter');
  s = await waitScreen('second', (x) => openQuestion(x)?.number === 1, 'the first question');
  assert.ok(s.includes('  > am.wso2.com'));
  assert.ok(s.includes('from carbon.xml'));
  assert.match(s, /Management host name +mgt\.am\.wso2\.com +from carbon\.xml/);
  assert.match(s, /Manager address +192\.0\.2\.10 +saved answers/);
  assert.match(s, /Worker addresses +192\.0\.2\.21, 192\.0\.2\.22 +saved answers/);
  assert.match(s, /Cluster name → address +192\.0\.2\.21 +from \/etc\/hosts/);
  assert.match(s, /Proxy HTTPS port +443 +from catalina-server\.xml/);
  s = await answerAll('second', {});
  assert.ok(s.includes('Nothing to change: '), s);
  keys('second', 'a');
  await waitScreen('second', 'Nothing to change: no file was written.');
  keys('second', 'Enter');
  assert.equal(await exitStatus('second'), 0);
  assert.deepEqual(await treeState(root), afterApply);
});

test('Ctrl-C in the questions quits with 130, says nothing was written, and writes nothing', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  startPane('interrupt', ['--root', root, '--home', DEMO_HOME]);
  await waitScreen('interrupt', 'Found');
  keys('interrupt', 'Enter');
  await waitScreen('interrupt', 'What is this node?');
  keys('interrupt', 'Enter');
  await waitScreen('interrupt', (x) => openQuestion(x)?.number === 1, 'the first question');
  typeText('interrupt', 'half');
  await waitScreen('interrupt', '> am.wso2.comhalf');
  keys('interrupt', 'C-c');
  assert.equal(await exitStatus('interrupt'), 130);
  assert.ok(screen('interrupt').includes('Interrupted. Nothing was written.'));
  assert.deepEqual(await treeState(root), before);
});

/** What --demo opens under a fresh $TMPDIR (the manager's sandbox), on a port offset free right now: for tests that start its server. */
async function demoOnFreePorts(): Promise<{ tmp: string; root: string; offset: number; paths: ReturnType<typeof serverPaths> }> {
  const tmp = await tempDir();
  const root = join(tmp, 'apim-gateway-wizard-demo');
  await cp(join(REPO, 'templates/demo'), root, { recursive: true });
  const offset = await freeOffset();
  const carbon = join(root, DEMO_HOME, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Offset>0</Offset>', `<Offset>${offset}</Offset>`), 'latin1');
  return { tmp, root, offset, paths: serverPaths(DEMO_HOME, root) };
}

test('a manager in the demo sandbox: applied, then started; log lines show before "ready"; stopped by the test', async () => {
  const { tmp, root, offset, paths } = await demoOnFreePorts();
  try {
    startPane('start', ['--demo'], { TMPDIR: tmp, APIM_DEMO_PACE_MS: '40' });
    let s = await waitScreen('start', 'Found');
    assert.ok(bare(s).includes(bare(`DEMO — writing under ${root}`)), s);
    keys('start', 'Enter');
    await waitScreen('start', 'What is this node?');
    keys('start', 'Enter');
    await waitScreen('start', (x) => openQuestion(x)?.number === 1, 'the first question');
    await answerAll('start', { managerIp: MANAGER.managerIp, workerIps: MANAGER.workerIps.join(', '), syncTargets: '', hazelcast: 'no' });
    keys('start', 'a');
    s = await waitScreen('start', 'Start the server now?');
    assert.match(s, /Applied: \d+ files? written\./);
    keys('start', 's');
    // The log while it comes up: compact lines in the frame, before the verdict.
    s = await waitScreen('start', (x) => /^\d\d:\d\d:\d\d INFO +\S+ /m.test(x) && !x.includes('ready in'), 'log lines before ready');
    assert.ok(s.includes('Step 5 of 5 · Gateway Manager · Start'), s);
    assert.ok(s.includes('Starting the Gateway Manager'), s);
    s = await waitScreen('start', 'ready in', 'ready');
    assert.match(s, new RegExp(`ready in \\d+ s — console at https://mgt\\.am\\.wso2\\.com:${9443 + offset}/carbon/`));
    const lines = s.replace(/\n+$/, '').split('\n');
    assert.ok(lines.length <= 24 && lines.every((l) => [...l].length <= 80), s);
    // The frame starts with the banner (more rows for a long sandbox path), nothing scrolled away.
    const step = lines.findIndex((l) => l.startsWith('Step 5 of 5'));
    assert.equal(bare(lines.slice(0, step).join('')), bare(`DEMO — writing under ${root}`), 'the frame starts with the banner, nothing scrolled');
    assert.equal(lines[step], 'Step 5 of 5 · Gateway Manager · Start', s);
    // The whole log went to the terminal's scrollback, as written.
    assert.ok(tmux('capture-pane', '-p', '-t', 'start', '-S', '-400').includes('TID: [-1234] []'));

    const stopped = runCli(['stop', '--root', root, '--home', DEMO_HOME]);
    assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
    assert.match(stopped.stdout, /stopped in \d+ s/);
    keys('start', 'q');
    assert.equal(await exitStatus('start'), 0);
  } finally {
    await killServer(paths);
  }
});

test('typing under load (a busy loop per core): every key kept, the saved answers hold exactly what was typed', async (t) => {
  const busy = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
  t.after(() => {
    for (const b of busy) b.kill('SIGKILL');
  });
  const root = await demoSandbox();
  startPane('loaded', ['--root', root, '--home', DEMO_HOME]);
  await waitScreen('loaded', 'Found');
  keys('loaded', 'Enter');
  await waitScreen('loaded', 'What is this node?');
  keys('loaded', 'Enter');
  await waitScreen('loaded', (x) => openQuestion(x)?.number === 1, 'the first question');
  // Walk to the workers' question, then type it a key per send-keys, with mistakes corrected as
  // an admin does (Backspace twice, Home, Delete, End), as fast as tmux sends.
  await answerAll('loaded', { managerIp: MANAGER.managerIp }, 'workerIps');
  for (const ch of '192.0.2.21, 192.0.2.2xx') typeText('loaded', ch);
  keys('loaded', 'BSpace');
  keys('loaded', 'BSpace');
  typeText('loaded', '2');
  keys('loaded', 'Home');
  keys('loaded', 'Delete');
  typeText('loaded', '1');
  keys('loaded', 'End');
  await waitScreen('loaded', (x) => openQuestion(x)?.text === '192.0.2.21, 192.0.2.22', 'the typed workers exactly');
  await answerAll('loaded', { syncTargets: '', hazelcast: 'no' });
  keys('loaded', 'a');
  await waitScreen('loaded', 'Enter or q: exit');
  keys('loaded', 'Enter');
  assert.equal(await exitStatus('loaded'), 0);
  const saved = JSON.parse(await readFile(join(root, STATE, 'answers.json'), 'utf8'));
  assert.deepEqual([saved.managerIp, saved.workerIps], [MANAGER.managerIp, ['192.0.2.21', '192.0.2.22']]);
});

test('a FATAL start in the demo at 80×24: the banner stays on top, the exception line whole with the file it names, the next step', async () => {
  const { tmp, root, paths } = await demoOnFreePorts();
  try {
    startPane('fatal', ['--demo'], { TMPDIR: tmp, APIM_DEMO_PACE_MS: '10', APIM_DEMO_SCENARIO: 'fatal' });
    await waitScreen('fatal', 'Found');
    keys('fatal', 'Enter');
    await waitScreen('fatal', 'What is this node?');
    keys('fatal', 'Enter');
    await waitScreen('fatal', (x) => openQuestion(x)?.number === 1, 'the first question');
    await answerAll('fatal', { managerIp: MANAGER.managerIp, workerIps: MANAGER.workerIps.join(', '), syncTargets: '', hazelcast: 'no' });
    keys('fatal', 'a');
    await waitScreen('fatal', 'Start the server now?');
    keys('fatal', 's');
    const s = await waitScreen('fatal', (x) => x.includes('The FATAL entry that decided it') && x.includes('Next:'), 'the failure');
    const lines = s.replace(/\n+$/, '').split('\n');
    assert.ok(lines.length <= 24 && lines.every((l) => [...l].length <= 80), s);
    // The banner on top (a long sandbox path wraps it over more rows), then the step line.
    const step = lines.findIndex((l) => l.startsWith('Step 5 of 5'));
    assert.equal(bare(lines.slice(0, step).join('')), bare(`DEMO — writing under ${root}`), `the banner on top:\n${s}`);
    assert.equal(lines[step], 'Step 5 of 5 · Gateway Manager · Start', s);
    assert.ok(s.includes('failed: FATAL error during start'), s);
    // Wrapped at a space, never inside a word: the path the exception names in one piece.
    assert.match(s, /^ +\d+ org\.wso2\.carbon\.CarbonException: Error while initializing the throttling$/m);
    assert.match(s, /^ +agent: invalid value in repository\/conf\/api-manager\.xml$/m);
    assert.ok(s.replace(/\s+/g, ' ').includes('then fix repository/conf/api-manager.xml'), s);
    keys('fatal', 'q');
    assert.equal(await exitStatus('fatal'), 1);
  } finally {
    await killServer(paths);
  }
});
