// Layout: every frame fits the terminal, the cluster picture fits 80 columns whatever the
// cluster, diffs are styled as the headless report styles them, typed text stays printable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterPicture, type ClusterModel } from '../src/ui/components/cluster-layout.js';
import { diffLines, expandTabs } from '../src/ui/components/diff-lines.js';
import { cleanTyped } from '../src/ui/components/line-editor.js';
import { wrapWords } from '../src/ui/components/Paragraph.js';
import { listWindow } from '../src/ui/screens/Questions.js';
import { tempDir } from './helpers.js';
import { frameFits, KEY, startWizard, toManagerReview, toQuestions } from './ui-helpers.js';

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
  assert.equal(lines.join(' ').replace(/ /g, ''), 'word'.repeat(40) + 'x'.repeat(130));
  assert.equal(cleanTyped('192.0.2.1x\u007f0'), '192.0.2.10');
  assert.equal(cleanTyped('am.wso2.com\r\n\t'), 'am.wso2.com');
  assert.equal(cleanTyped('ab\b\bcd'), 'cd');
});

test('the list of questions shows a window around the open one when the terminal is short', () => {
  assert.deepEqual(listWindow(9, 4, 20), [0, 9]);
  assert.deepEqual(listWindow(18, 0, 6), [0, 5]);
  assert.deepEqual(listWindow(18, 17, 6), [13, 18]);
  const [a, b] = listWindow(18, 9, 6);
  assert.ok(a <= 9 && 9 < b && b - a === 5);
});

test('every frame of a demo run fits 80×24, and a short terminal keeps the open question in view', async () => {
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

  const size = { columns: 80, rows: 12 };
  const short = await startWizard({ demo: true }, { env: { demoBase: await tempDir() }, size });
  await toQuestions(short);
  for (let n = 2; n <= 7; n++) {
    if (n === 4) await short.type('192.0.2.10');
    if (n === 5) await short.type('192.0.2.21');
    await short.press(KEY.enter);
    const f = await short.waitFor(`Questions ${n}/`);
    assert.ok(f.includes('❯ '), `question ${n} is in view:\n${f}`);
    assert.ok(f.includes('↑ ') || n < 4, 'says how many are above');
  }
  for (const frame of short.frames()) assert.equal(frameFits(frame, size), undefined, frame);
  await short.unmount();
});
