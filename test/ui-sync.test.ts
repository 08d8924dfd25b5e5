// Step 3 on the manager's screen, for real: a throw-away sshd on 127.0.0.1 and two worker homes.
// After the summary, p runs the first sync: the missing key is offered (and made), the refused
// key is explained with the command that installs it, the preview lists every path --delete
// would remove, n pushes nothing, y pushes with a result per worker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { authorize, SSHD, startSshd, type Sshd } from './sshd-helpers.js';
import { managerNode } from './sync-helpers.js';
import { answerQuestions, flat, frameFits, KEY, startWizard } from './ui-helpers.js';
import { foldSync, type SyncView } from '../src/ui/hooks/useSync.js';
import { finishedRows, screenRows } from '../src/ui/screens/Sync.js';

const missing = [SSHD, '/usr/bin/rsync', '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/flock'].filter((p) => !existsSync(p));
const skip = missing.length ? `needs ${missing.join(', ')}` : false;

let sshd: Sshd;
before(async () => {
  if (!skip) sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
});

const STALE = 'repository/deployment/server/synapse-configs/stale API.xml';
const exists = (p: string) => access(p).then(() => true, () => false);
/** The frame's text with the rows a long path was wrapped at (after a `/`) joined again, whatever the path's length. */
const joined = (f: string) => flat(f).replace(/\/ /g, '/');

test('the manager syncs its workers from the wizard: key, plain-language refusal, every deletion previewed, n then y', { skip }, async () => {
  const node = await managerNode(sshd);
  assert.equal(node.cli(['apply', '--yes']).code, 0);
  const w = await startWizard({ root: node.root, answers: node.answersFile });
  await w.waitFor('Found');
  await w.press(KEY.enter);
  await w.waitFor('What is this node?');
  await w.press(KEY.enter);
  await w.waitFor('Gateway Manager · Questions 1/');
  let f = await answerQuestions(w);
  assert.ok(f.includes('Nothing to change'), f);
  await w.press('a');
  f = await w.waitFor('Push the deployment to the workers?');
  assert.ok(f.includes('p sync the workers · s start the server · Enter or q: exit'), f);
  assert.equal(frameFits(f), undefined, f);

  // No key yet: offered with the exact command.
  await w.press('p');
  f = await w.waitFor('c creates it now');
  assert.ok(f.includes('Step 3 of 5 · Gateway Manager · Sync the workers (rsync)'), f);
  assert.ok(flat(f).includes('ssh-keygen'), f);
  await w.press('c');
  // The workers do not know the key yet: said per worker, in plain words, with the fix.
  f = await w.waitFor('2 workers failed (said above)', 'the refusal');
  assert.ok(flat(f).includes('refused the key'), f);
  assert.ok(flat(f).includes('ssh-copy-id'), f);
  // The key itself is never cut across rows: the screen names the short command that prints it whole.
  assert.ok(!f.includes('AAAAC3'), f);
  assert.ok(flat(f).includes('.pub` prints here'), f);
  assert.equal(frameFits(f), undefined, f);
  // Whatever the paths' length: the header stays on top, nothing is cut, the shared advice is said once
  // (both workers are root@127.0.0.1: one ssh-copy-id) and each worker gets a row with its target and reason.
  assert.ok(f.split('\n')[0]!.includes('Step 3 of 5'), f);
  assert.ok(!f.includes('…'), f);
  assert.equal((flat(f).match(/ssh-copy-id/g) ?? []).length, 1, f);
  for (const worker of node.workers) assert.ok(joined(f).includes(`✖ root@127.0.0.1:${worker}: refused the key`), f);
  assert.ok(f.includes('r run again · Enter back to the summary · q quit'), f);

  await authorize(sshd, `${node.key}.pub`);
  await w.press('r');
  f = await w.waitFor('Push now?');
  assert.ok(flat(f).includes('--delete REMOVES 2 paths on 2 workers'), f);
  for (const worker of node.workers) assert.ok(f.includes(`${worker}`) || flat(f).includes(worker.slice(-20)), f);
  assert.equal((f.match(/DELETE repository\/deployment\/server\/synapse-configs\/stale API\.xml/g) ?? []).length, 2, f);
  assert.ok(f.includes('y push now · n, Enter or Esc: do not push (default)'), f);
  assert.equal(frameFits(f), undefined, f);
  await w.press(KEY.enter); // the default: no
  f = await w.waitFor('Nothing was pushed: not confirmed.');
  for (const worker of node.workers) assert.ok(await exists(join(worker, STALE)), 'not deleted');

  await w.press('r');
  await w.waitFor('Push now?');
  await w.press('y');
  f = await w.waitFor('Every worker is in sync (2 workers)');
  for (const worker of node.workers) assert.ok(joined(f).includes(`✔ root@127.0.0.1:${worker}: 6 sent, 1 deleted`), f);
  assert.equal((flat(f).match(/: 6 sent, 1 deleted/g) ?? []).length, 2, f);
  assert.ok(!f.includes('…'), f);
  for (const worker of node.workers) {
    assert.ok(!(await exists(join(worker, STALE))), 'deleted after the yes');
    assert.ok(await exists(join(worker, 'repository/deployment/server/webapps/readme.txt')));
  }
  assert.equal(frameFits(f), undefined, f);
  await w.press(KEY.enter);
  await w.waitFor('Push the deployment to the workers?');
  await w.press('q');
  await w.waitFor('Nothing was written.');
  assert.equal(w.exitCode(), 0);
});

test('the sync view: a check is replaced when it ends, progress replaces one line per worker, every deletion is listed', () => {
  const at = new Map<string, number>();
  let v: SyncView = { lines: [], progress: {}, keyRefused: false };
  const summary = { send: 2, mkdir: 0, links: 0, attributes: 0, other: 0, deletions: ['a.xml', 'b/'] };
  v = foldSync(v, [
    { type: 'stage', stage: 'preflight', title: 'Checking 1 worker' },
    { type: 'check', worker: 'w1', name: 'ssh', status: 'running', detail: 'ssh u@h port 22' },
    { type: 'check', worker: 'w2', name: 'ssh', status: 'running', detail: 'ssh u@h2 port 22' },
    { type: 'check', worker: 'w1', name: 'ssh', status: 'failed', detail: 'h refused the key', reason: 'key-refused' },
  ], at);
  assert.deepEqual(v.lines.map((l) => l.text), ['Checking 1 worker', '✖ w1 ssh: h refused the key', '… w2 ssh: ssh u@h2 port 22']);
  assert.ok(v.keyRefused);
  assert.ok(v.lines[1]!.wrap, 'a failure is wrapped, never cut');
  v = foldSync(v, [{ type: 'preview', preview: { worker: 'w2', pairs: [{ dir: 'repository/deployment/server/', summary }] } }], at);
  assert.deepEqual(v.lines.filter((l) => l.text.includes('DELETE ')).map((l) => l.text.trim()), ['DELETE repository/deployment/server/a.xml', 'DELETE repository/deployment/server/b/']);
  const progress = (percent: number) => ({ type: 'progress', worker: 'w2', dir: 'repository/deployment/server/', progress: { bytes: '1,000', percent, rate: '1MB/s', time: '0:00:01' } }) as const;
  v = foldSync(v, [progress(10), progress(60)], at);
  assert.deepEqual(Object.values(v.progress), ['w2 repository/deployment/server/: 60% · 1,000 bytes · 1MB/s · 0:00:01']);
  v = foldSync(v, [{ type: 'result', worker: 'w2', ok: true, detail: 'in sync', sent: 2, deleted: 2 }], at);
  assert.deepEqual(v.progress, {});
  assert.equal(screenRows([{ text: `  ${'x '.repeat(60)}`, wrap: true }], 40).every((r) => r.text.startsWith('  ') && r.text.length <= 40), true);
});


test('the finished sync gives way by priority: the outcome, the advice once, then worker rows, the rest counted', () => {
  const key = `/tmp/${'long-'.repeat(12)}/depsync/id_ed25519`;
  const workers = Array.from({ length: 9 }, (_, i) => ({ worker: `root@127.0.0.1:/tmp/${'long-'.repeat(10)}/worker${i}/wso2am-2.1.0`, ok: false, reason: 'key-refused', detail: `127.0.0.1 refused the key ${key} for root: add ${key}.pub …`, sent: 0, deleted: 0 }));
  const view: SyncView = {
    lines: workers.map((w) => ({ text: `✖ ${w.worker} ssh: ${w.detail}`, wrap: true, reason: 'key-refused' })),
    progress: {},
    keyRefused: true,
    hint: { publicKey: 'ssh-ed25519 AAAAC3xyz', commands: [{ worker: workers[0]!.worker, command: `ssh-copy-id -i ${key}.pub -p 22 root@127.0.0.1` }], manual: '', print: `cat ${key}.pub` },
  };
  const result = { status: 'failed' as const, workers, problems: [] };
  const text = (rows: number) => {
    const r = finishedRows(view, result, true, 80, rows);
    return { r, all: [...r.log, ...r.advice, ...r.workers, ...r.more, ...r.outcome].map((l) => l.text) };
  };
  const { r, all } = text(18);
  assert.ok(all.length <= 18, all.join('\n'));
  assert.equal(all.filter((l) => l.includes('ssh-copy-id')).length, 1, 'the advice once');
  assert.ok(r.outcome.map((l) => l.text).join(' ').includes('9 workers failed'));
  assert.ok(r.workers.length > 0 && r.workers.length % 2 === 0, 'whole workers only (each takes two rows here)');
  assert.match(r.more[0]!.text, /^↓ \d+ more workers \(\d+ failed\)/);
  assert.ok(all.every((l) => l.length <= 80 && !l.includes('…')), all.join('\n'));
  assert.equal(r.log.length, 0, 'no log lines: each one repeated the advice');
  // Too small for the advice: the outcome still; at 2 rows, the outcome and the count of the workers.
  const tiny = text(2);
  assert.deepEqual(tiny.r.advice, []);
  assert.ok(tiny.r.outcome.length > 0 && tiny.all.length <= 2, tiny.all.join('\n'));
  // Without the advice shown, a worker's row keeps its whole reason (nothing says it elsewhere).
  const bare = finishedRows(view, result, false, 80, 60);
  assert.ok(bare.workers.map((l) => l.text).join(' ').includes('ssh-copy-id') === false && bare.workers.map((l) => l.text.trim()).join(' ').includes('refused the key /tmp/'));
});
