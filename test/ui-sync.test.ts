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
import { screenRows } from '../src/ui/screens/Sync.js';

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
  assert.equal(frameFits(f), undefined, f);

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
  for (const worker of node.workers) assert.ok(f.includes(`✔ root@127.0.0.1:${worker}: 6 sent, 1 deleted`) || f.includes(': 6 sent, 1 deleted'), f);
  assert.equal((f.match(/: 6 sent, 1 deleted/g) ?? []).length, 2, f);
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
