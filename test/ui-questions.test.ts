// Questions: pre-filled values with their source, inline validation with the schema's
// messages, Enter/Esc, cross-field problems before the review, values from --answers/flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEMO_HOME, demoSandbox, REPO, treeState } from './helpers.js';
import { answerQuestions, flat, KEY, openQuestion, startWizard, type Wizard } from './ui-helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');

const q = (n: number) => new RegExp(`Questions ${n}/\\d+`);

async function atQuestions(values: Record<string, unknown> = {}): Promise<Wizard & { root: string }> {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME, ...values });
  await w.waitFor('Found');
  await w.press(KEY.enter);
  await w.waitFor('What is this node?');
  await w.press(KEY.enter);
  await w.waitFor(q(1));
  return Object.assign(w, { root });
}

/** Deletes what the open question holds (the cursor is at its end). */
async function clear(w: Wizard, text: string) {
  for (let i = 0; i < text.length; i++) await w.press(KEY.backspace);
}

test('a fresh manager: docs examples, defaults, and empty answers, each with its source', async () => {
  const w = await atQuestions();
  const f = w.frame();
  assert.ok(f.includes('❯ Cluster host name (the name API clients and workers use)'));
  assert.ok(f.includes('  > am.wso2.com'));
  assert.ok(f.includes('docs example · carbon.xml <HostName>'));
  assert.match(f, /· Management host name +mgt\.am\.wso2\.com +docs example/);
  assert.match(f, /· Manager address +\(empty\)/);
  assert.match(f, /· Proxy HTTP port +80 +default/);
  assert.match(f, /· Proxy HTTPS port +443 +default/);
  await w.unmount();
});

test('a wrong value: the schema message under the field after Enter, following the typing; Esc goes back one', async () => {
  const w = await atQuestions();
  await w.press(KEY.enter);
  await w.waitFor(q(2));
  await w.press(KEY.enter);
  await w.waitFor(q(3));
  await w.type('192.0.2.1x');
  await w.waitFor('> 192.0.2.1x');
  assert.ok(!w.frame().includes('✖'), 'no message while typing the first time');
  await w.press(KEY.enter);
  let f = await w.waitFor('✖ Manager address is not an IPv4 or IPv6 address');
  assert.match(f, q(3), 'Enter did not leave the question');
  await w.press(KEY.backspace);
  await w.type('0');
  f = await w.waitFor('> 192.0.2.10');
  assert.ok(!f.includes('✖'), 'the message goes once the value is right');
  await w.press(KEY.enter);
  f = await w.waitFor(q(4));
  assert.match(f, /✔ Manager address +192\.0\.2\.10 +typed/);

  await w.type('192.0.2.21, 192.0.2.300');
  await w.press(KEY.enter);
  await w.waitFor('✖ "192.0.2.300" is not an IPv4 or IPv6 address');
  await w.press(KEY.esc);
  f = await w.waitFor(q(3));
  assert.ok(f.includes('> 192.0.2.10'), 'the earlier answer is kept');
  await w.press(KEY.esc, KEY.esc);
  await w.waitFor(q(1));
  await w.press(KEY.esc);
  await w.waitFor('What is this node?');
  await w.unmount();
});

test('the manager\'s /etc/hosts address follows the first worker until typed; empty needs a worker', async () => {
  const w = await atQuestions();
  for (const n of [2, 3, 4]) {
    await w.press(KEY.enter);
    await w.waitFor(q(n));
  }
  await w.type('192.0.2.31, 192.0.2.32');
  await w.press(KEY.enter);
  let f = await w.waitFor(q(5));
  assert.ok(f.includes('> 192.0.2.31'));
  assert.ok(f.includes('default: the first worker'));
  await w.press(KEY.esc);
  await w.waitFor(q(4));
  await clear(w, '192.0.2.31, 192.0.2.32');
  await w.press(KEY.enter);
  f = await w.waitFor(q(5));
  assert.match(f, /^  > *$/m, 'no worker, nothing to derive');
  await w.press(KEY.enter);
  await w.waitFor('✖ Cluster name → address is needed for this role');
  await w.unmount();
});

test('the same name twice: shown before the review, on the question to fix; nothing written', async () => {
  const w = await atQuestions();
  const before = await treeState(w.root);
  await w.press(KEY.enter);
  await w.waitFor(q(2));
  await clear(w, 'mgt.am.wso2.com');
  await w.type('am.wso2.com');
  for (const n of [3, 4]) {
    await w.press(KEY.enter);
    await w.waitFor(q(n));
  }
  await w.type('192.0.2.21');
  await w.press(KEY.enter);
  await w.waitFor(q(5));
  await answerQuestions(w).catch(() => undefined);
  const f = await w.waitFor('Fix before the review:');
  assert.ok(flat(f).includes('✖ mgtHostName must differ from hostName'), f);
  assert.match(f, q(2), 'back on the management host name');
  await w.unmount();
  assert.deepEqual(await treeState(w.root), before);
});

test('--answers and flags pre-fill, and say so', async () => {
  const w = await atQuestions({ answers: MANAGER, 'host-name': 'api.example.com', 'proxy-https-port': '8443' });
  const f = w.frame();
  assert.ok(f.includes('  > api.example.com'));
  assert.ok(f.includes('--host-name · carbon.xml <HostName>'));
  assert.match(f, /Management host name +mgt\.am\.wso2\.com +--answers file/);
  assert.match(f, /Worker addresses +192\.0\.2\.21, 192\.0\.2\.22 +--answers file/);
  assert.match(f, /Proxy HTTPS port +8443 +--proxy-https-port/);
  await w.unmount();
});

test('a line pasted with its Enter (one chunk of input) is taken and submitted like typed-then-Enter', async () => {
  const w = await atQuestions();
  await w.press(KEY.enter);
  await w.waitFor(q(2));
  await w.press(KEY.enter);
  await w.waitFor(q(3));
  await w.type('192.0.2.10\r');
  const f = await w.waitFor(q(4));
  assert.match(f, /✔ Manager address +192\.0\.2\.10 +typed/);
  // A wrong pasted line stays on its question with the schema's message.
  await w.type('10.0.0\r');
  const g = await w.waitFor('✖ "10.0.0" is not an IPv4 or IPv6 address');
  assert.match(g, q(4));
  await w.unmount();
});

test('keys between renders on the question screen: Delete then the same letter again is kept, and Enter takes the line', async () => {
  const w = await atQuestions();
  await answerQuestions(w, { managerIp: '192.0.2.10' }, 'workerIps');
  await w.burst(...'192.0.2.21, 192.0.2.2xx', KEY.backspace, KEY.backspace, '2');
  await w.waitFor('> 192.0.2.21, 192.0.2.22');
  // Then keys with no render between them that bring the value back to the one last drawn:
  // each change must reach the answers, not only those that differ from the last frame.
  await w.burst(KEY.home, KEY.del, '1', KEY.end);
  let f = await w.waitFor('> 192.0.2.21, 192.0.2.22');
  assert.match(f, /· Cluster name → address +192\.0\.2\.21 /, 'the default that follows the workers is drawn from the whole line');
  await w.press(KEY.enter);
  f = await w.waitFor((x) => openQuestion(x)?.key !== 'workerIps', 'the question after workerIps');
  assert.match(f, /✔ Worker addresses +192\.0\.2\.21, 192\.0\.2\.22 +typed/);
  await w.unmount();
});

test('a wrong rsync target: its message names the entry once, wraps at words and paths, and the prompt is whole', async () => {
  const w = await atQuestions();
  await answerQuestions(w, { managerIp: '192.0.2.10', workerIps: '192.0.2.21, 192.0.2.22' }, 'syncTargets');
  const target = 'wso2carbon@192.0.2.21:/opt/wso2am-2.1.0/with space';
  await w.type(target);
  await w.waitFor((f) => openQuestion(f)?.text === target, 'the typed target');
  await w.press(KEY.enter);
  const f = await w.waitFor('✖ ');
  const message = flat(f.slice(f.indexOf('✖ ')));
  assert.equal(message.split('"wso2carbon@192.0.2.21:/opt/wso2am-2.1.0/with space"').length - 1, 1, `the entry once:\n${f}`);
  // The prompt wraps to the width rather than being cut.
  assert.ok(flat(f).includes('❯ Workers to push deployed artifacts to (user@host:/product/home, comma-separated; empty: no rsync)'), f);
  assert.ok(!f.split('\n').some((l) => l.trim() === 'and' || l.trim() === 'or'), `no word alone on a row:\n${f}`);
  await w.unmount();
});

test('keys typed ahead of the next question are its own: Enter then more keys with no render between, and a refused answer keeps them', async () => {
  const w = await atQuestions();
  await answerQuestions(w, {}, 'managerIp');
  // Two answers and their Enters, each key its own input event, before the screen redraws once.
  await w.burst(...'192.0.2.10\r192.0.2.21, 192.0.2.22\r');
  let f = await w.waitFor((x) => openQuestion(x)?.key === 'clusterHostIp', 'the question after workerIps');
  assert.match(f, /✔ Manager address +192\.0\.2\.10 +typed/);
  assert.match(f, /✔ Worker addresses +192\.0\.2\.21, 192\.0\.2\.22 +typed/);
  // A refused answer: the keys typed after its Enter stay on its line, after what was there.
  await w.press(KEY.esc);
  await w.waitFor((x) => openQuestion(x)?.key === 'workerIps');
  await w.burst(KEY.end, ...'x', '\r', ...'y');
  f = await w.waitFor((x) => openQuestion(x)?.text === '192.0.2.21, 192.0.2.22xy', 'the typed-ahead key on the refused line');
  assert.equal(openQuestion(f)?.key, 'workerIps');
  await w.unmount();
});
