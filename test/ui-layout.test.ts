// Layout: every frame fits the terminal, the cluster picture fits 80 columns whatever the
// cluster, diffs are styled as the headless report styles them, typed text stays printable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterPicture, type ClusterModel } from '../src/ui/components/cluster-layout.js';
import { diffLines, expandTabs } from '../src/ui/components/diff-lines.js';
import { cleanTyped } from '../src/ui/components/line-editor.js';
import { wrapWords } from '../src/ui/components/wrap.js';
import { listWindow } from '../src/ui/screens/Questions.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unwrap } from '../src/ui/components/wrap.js';
import { tempDir } from './helpers.js';
import { answerQuestions, flat, frameFits, KEY, openQuestion, startWizard, toManagerReview, toQuestions } from './ui-helpers.js';

const text = (lines: ReturnType<typeof clusterPicture>) => lines.map((l) => l.map((s) => s.text).join(''));

test('the cluster picture: boxes with names and addresses, rsync from the manager, this node marked', () => {
  const model: ClusterModel = { role: 'manager', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '192.0.2.10', workerIps: ['192.0.2.21', '192.0.2.22'] };
  const lines = clusterPicture(model, 80);
  const rows = text(lines);
  assert.equal(rows.length, 7);
  assert.ok(rows[0]!.includes('┌ Load balancer (nginx) ─'));
  assert.ok(rows[1]!.includes('│ am.wso2.com → workers · mgt.am.wso2.com → manager │'));
  assert.ok(rows[3]!.startsWith('┌ Manager ★ this node ─'));
  assert.ok(rows[4]!.includes('│ mgt.am.wso2.com ') && rows[4]!.includes(' rsync '));
  assert.ok(rows[5]!.includes('│ 192.0.2.10 ') && rows[5]!.includes('──────▶') && rows[5]!.includes('│ 192.0.2.22 '));
  // The arrow goes from the manager (left) to the workers (right).
  assert.ok(rows[5]!.indexOf('192.0.2.10') < rows[5]!.indexOf('▶') && rows[5]!.indexOf('▶') < rows[5]!.indexOf('192.0.2.21'));
  const manager = lines[3]!.find((s) => s.text.includes('Manager'))!;
  assert.equal(manager.tone, 'this');
  assert.ok(!lines[3]!.some((s) => s.text.includes('Worker') && s.tone === 'this'));
});

test('many workers: a few boxes and "+N more", within 80 columns; a worker marks its own box', () => {
  const workerIps = Array.from({ length: 12 }, (_, i) => `192.0.2.${i + 21}`);
  const rows = text(clusterPicture({ role: 'manager', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '192.0.2.10', workerIps }, 80));
  assert.ok(rows.every((r) => [...r].length <= 80), rows.join('\n'));
  const shown = workerIps.filter((ip) => rows.some((r) => r.includes(`${ip} `)));
  assert.ok(shown.length >= 2, 'a few workers shown');
  assert.ok(rows.some((r) => r.includes(`+${12 - shown.length} more`)));

  const worker = clusterPicture({ role: 'worker', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '192.0.2.10' }, 80);
  assert.equal(worker[3]!.find((s) => s.text.includes('Worker ★ this node'))?.tone, 'this');
  assert.equal(worker[3]!.find((s) => s.text.includes('Gateway Manager'))?.tone, 'plain');

  const long = 'a-very-long-cluster-host-name.example.internal.corp';
  const odd = text(clusterPicture({ role: 'manager', hostName: long, mgtHostName: `mgt.${long}`, managerIp: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff', workerIps }, 80));
  assert.ok(odd.every((r) => [...r].length <= 80), odd.join('\n'));
  assert.ok(odd.some((r) => r.includes('…')), 'long names are cut with an ellipsis');
});

test('diff lines: coloured as the headless report, separator dropped, tabs expanded', () => {
  const lines = diffLines('===================================================================\n--- a/etc/hosts\n+++ b/etc/hosts\n@@ -1,2 +1,3 @@\n 127.0.0.1\tlocalhost\n-old\n+192.0.2.21\tam.wso2.com\r\n');
  assert.deepEqual(
    lines.map((l) => [l.style, l.text]),
    [
      ['bold', '--- a/etc/hosts'],
      ['bold', '+++ b/etc/hosts'],
      ['cyan', '@@ -1,2 +1,3 @@'],
      [undefined, ' 127.0.0.1      localhost'],
      ['red', '-old'],
      ['green', '+192.0.2.21     am.wso2.com'],
    ],
  );
  assert.equal(expandTabs('a\tb\t\tc'), 'a       b               c');
});

test('prose wraps at words and never past the width; typed control bytes do what the keys mean', () => {
  const lines = wrapWords('word '.repeat(40) + 'x'.repeat(130), 30);
  assert.ok(lines.every((l) => l.length <= 30));
  // A word longer than a row is split, each piece but the last marked ↵ (wrap.test.ts has the rules).
  assert.equal(lines.join(' ').replace(/ |↵/g, ''), 'word'.repeat(40) + 'x'.repeat(130));
  assert.equal(cleanTyped('192.0.2.1x\u007f0'), '192.0.2.10');
  assert.equal(cleanTyped('am.wso2.com\r\n\t'), 'am.wso2.com');
  assert.equal(cleanTyped('ab\b\bcd'), 'cd');
});

test('the list of questions shows a window around the open one when the terminal is short, and says what it hides', () => {
  const ones = (n: number) => Array<number>(n).fill(1);
  assert.deepEqual(listWindow(ones(9), 4, 20), [0, 9]);
  // 6 rows: the open question, four others and "↓ 13 more".
  assert.deepEqual(listWindow(ones(18), 0, 6), [0, 5]);
  assert.deepEqual(listWindow(ones(18), 17, 6), [13, 18]);
  // In the middle, a mark above and one below: four questions and two marks.
  const [a, b] = listWindow(ones(18), 9, 6);
  assert.ok(a <= 9 && 9 < b && b - a === 4, `${a}-${b}`);
  // Rows of different heights (a wrapped source, the open question's 6 rows) are counted as drawn.
  const heights = [1, 2, 1, 6, 1, 2, 1];
  const [c, d] = listWindow(heights, 3, 10);
  const used = heights.slice(c, d).reduce((n, h) => n + h, 0) + (c > 0 ? 1 : 0) + (d < heights.length ? 1 : 0);
  assert.ok(c <= 3 && 3 < d && used <= 10, `${c}-${d} uses ${used}`);
  // Not even the open question fits: it is shown alone (the frame says the window is too small).
  assert.deepEqual(listWindow([1, 9, 1], 1, 4), [1, 2]);
});

test('every frame of a demo run fits 80×24', async () => {
  const w = await startWizard({ demo: true }, { env: { demoBase: await tempDir() } });
  await toManagerReview(w);
  await w.press(KEY.enter);
  await w.waitFor('+++ b/');
  await w.press(KEY.pageDown, KEY.esc, 'a');
  await w.waitFor('· Summary');
  await w.press(KEY.enter);
  await w.waitFor('Done.');
  const frames = w.frames();
  assert.ok(frames.length > 20);
  for (const frame of frames) assert.equal(frameFits(frame), undefined, frame);

  await w.unmount();
});

test('a short terminal keeps the open question in view, with "↑ n more" / "↓ n more"; a screen that does not fit says so', async () => {
  const size = { columns: 80, rows: 12 };
  const short = await startWizard({ demo: true }, { env: { demoBase: await tempDir() }, size });
  // The welcome needs more rows than 12: its last row says so, and its keys still work.
  let f = await short.waitFor('This window is 80×12');
  assert.ok(f.includes('enlarge it'), f);
  await short.waitFor((x) => x.includes('This window is 80×12') && x.includes('Enter continue'));
  // Enter continues once the node is read (hidden below the cut here), then selects the role offered.
  await short.press(KEY.enter);
  await short.waitFor(/Choose the role/);
  await short.settle();
  await short.press(KEY.enter);
  await short.waitFor(/Questions 1\//);
  for (let n = 2; n <= 7; n++) {
    await short.press(KEY.enter);
    f = await short.waitFor(`Questions ${n}/`);
    assert.ok(f.includes('❯ ') && f.includes('\n  >'), `question ${n} and its input are in view:\n${f}`);
    // What is below is counted ("↓ 9 more") or, when the open question's help is too long for
    // 12 rows, the frame's last row says the window is too small: never cut silently.
    assert.ok(f.includes('↓ ') || f.includes('This window is 80×12'), `says what is hidden below:\n${f}`);
    assert.ok(f.includes('↑ ') || n < 4, `says how many are above:\n${f}`);
  }
  for (const frame of short.frames()) assert.equal(frameFits(frame, size), undefined, frame);
  await short.unmount();
});

test('at 60×20 nothing is cut silently: the text wraps to 60 columns, the keys keep "q quit", and q quits', async () => {
  const size = { columns: 60, rows: 20 };
  const w = await startWizard({ demo: true }, { env: { demoBase: await tempDir() }, size });
  const f = await w.waitFor((x) => x.includes('This window is 60×20') && x.includes('q quit'));
  assert.ok(flat(f).includes('This wizard configures one node of a WSO2 API Manager 2.x'), f);
  assert.ok(f.includes('Enter continue · q quit'), f);
  for (const frame of w.frames()) assert.equal(frameFits(frame, size), undefined, frame);
  await w.press('q');
  await w.waitFor(() => w.exitCode() !== undefined, 'q quits');
  await w.unmount();
});

/** The rows of a frame with the rows a long line was split into (ending in ↵) joined back. */
function joined(frame: string): string {
  return unwrap(frame.split('\n'));
}

test('at 80×24 long lines are whole: the rsync targets typed, their sources, the sync script\'s ssh command and its cron line', async () => {
  const base = await tempDir();
  const w = await startWizard({ demo: true }, { env: { demoBase: base } });
  await toQuestions(w);
  // The demo fills the rsync targets (long paths under the sandboxes) and the rest: the typed
  // text wraps at the edge (its rows after the first start with ┆), the sources are whole.
  // The row just answered, with its source whole (the long targets below may push it out of view).
  const after = await answerQuestions(w, {}, 'proxyHttpPort');
  assert.ok(after.includes('default: the first worker\n'), after);
  const q = await answerQuestions(w, {}, 'syncTargets');
  const targets = openQuestion(q)!.text.split(', ');
  assert.ok(targets.length === 2 && targets.every((t) => /^\S+@192\.0\.2\.2\d:\/\S+\/opt\/wso2am-2\.1\.0$/.test(t)), q);
  assert.ok(q.includes('  ┆ '), q);
  assert.ok(!q.includes('…') && !after.includes('…'), `nothing cut:\n${q}`);
  const review = await answerQuestions(w, {});
  assert.ok(review.includes('depsync.sh'), review);
  const seen: string[] = [];
  const open = async (name: string) => {
    for (let i = 0; i < 12 && !w.frame().split('\n').some((l) => l.startsWith('❯ ') && l.includes(name)); i++) await w.press(KEY.down);
    await w.press(KEY.enter);
    let f = await w.waitFor(/lines \d+–\d+ of \d+|\+\+\+ b\//);
    seen.push(joined(f));
    // A wrapped line cut by the page's end (its row ends with ↵ above the position line) is
    // read whole a row further down, as an admin would press ↓.
    const cutAtEnd = (x: string) => /↵\n↵ a long line goes on/.test(x);
    for (let i = 0; i < 40 && / · more below/.test(f); i++) {
      await w.press(cutAtEnd(f) ? KEY.down : KEY.pageDown);
      f = await w.waitFor(() => true);
      seen.push(joined(f));
    }
    await w.press(KEY.esc);
    await w.waitFor('Enter show diff');
  };
  await open('depsync.sh');
  await open('cron.d');
  // Applied, the files say what the lines are.
  await w.press('a');
  await w.waitFor('· Summary');
  for (const frame of w.frames()) assert.equal(frameFits(frame), undefined, frame);
  await w.unmount();

  // What the screen showed, joined, holds each long line of the planned files whole.
  const files = await readdir(base, { recursive: true });
  const script = files.find((f) => f.endsWith('depsync/apim-gateway-wizard-depsync.sh'));
  const cron = files.find((f) => f.endsWith('cron.d/apim-gateway-wizard-depsync'));
  const text = seen.join('\n');
  assert.ok(script && cron, files.join('\n'));
  const ssh = /^readonly SSH_COMMAND=.*$/m.exec(await readFile(join(base, script), 'utf8'))![0];
  assert.ok(ssh.length > 80, ssh);
  assert.ok(text.includes(`+${ssh}`), `the ssh command whole:\n${text}`);
  const cronLine = (await readFile(join(base, cron), 'utf8')).split('\n').find((l) => l.includes('depsync.sh'))!;
  assert.ok(cronLine.length > 80, cronLine);
  assert.ok(text.includes(`+${cronLine}`), `the cron line whole: ${cronLine}\n${text}`);
});
