// Following a growing log file: from its end, partial lines, CRLF, a file that appears later,
// log4j's rotation (rename + new file), truncation, and the full log read back from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFollower, type FollowNote } from '../src/core/run/server/follow.js';
import { tempDir } from './helpers.js';
import { until } from './server-helpers.js';

async function follow(file: string, from: 'end' | 'start' = 'end') {
  const lines: string[] = [];
  const notes: FollowNote['kind'][] = [];
  const f = new FileFollower(file, { from, pollMs: 20, onLines: (l) => lines.push(...l), onNote: (n) => notes.push(n.kind) });
  await f.start();
  return { f, lines, notes };
}

test('from the end: only new lines; a partial line waits for its newline; CRLF is trimmed', async (t) => {
  const file = join(await tempDir(), 'wso2carbon.log');
  await writeFile(file, 'old 1\nold 2\n');
  const { f, lines } = await follow(file);
  t.after(() => f.close());
  await appendFile(file, 'new 1\nnew ');
  await until(() => lines.length === 1, 'the first new line');
  assert.deepEqual(lines, ['new 1']);
  await appendFile(file, '2\r\nnew 3\n');
  await until(() => lines.length === 3, 'the rest');
  assert.deepEqual(lines, ['new 1', 'new 2', 'new 3']);
  assert.deepEqual(await f.history.read(0, 10), ['new 1', 'new 2', 'new 3']);
});

test('a file that does not exist yet is waited for, then read from its start', async (t) => {
  const file = join(await tempDir(), 'wso2carbon.log');
  const { f, lines, notes } = await follow(file);
  t.after(() => f.close());
  assert.deepEqual(notes, ['waiting']);
  await writeFile(file, 'first\nsecond\n');
  await until(() => lines.length === 2, 'the lines of the new file');
  assert.deepEqual(lines, ['first', 'second']);
  assert.deepEqual(notes, ['waiting', 'appeared']);
});

test('rotation: the old file is read to its end, then the new one from its start; the full log spans both', async (t) => {
  const dir = await tempDir();
  const file = join(dir, 'wso2carbon.log');
  await writeFile(file, '');
  const { f, lines, notes } = await follow(file);
  t.after(() => f.close());
  await appendFile(file, 'a1\na2\n');
  await until(() => lines.length === 2, 'a1, a2');
  // log4j's DailyRollingFileAppender: rename, a last write may still land in the old file, then a new file.
  await rename(file, join(dir, 'wso2carbon.log.2017-04-30'));
  await appendFile(join(dir, 'wso2carbon.log.2017-04-30'), 'a3\n');
  await writeFile(file, 'b1\nb2\n');
  await until(() => lines.length === 5, 'a3 and the new file');
  assert.deepEqual(lines, ['a1', 'a2', 'a3', 'b1', 'b2']);
  assert.ok(notes.includes('rotated'));
  assert.deepEqual(await f.history.read(0, 100), ['a1', 'a2', 'a3', 'b1', 'b2']);
  assert.deepEqual(await f.history.read(2, 2), ['a3', 'b1']);
});

test('truncation (copytruncate): following restarts at 0; lines gone with it are marked in the full log', async (t) => {
  const file = join(await tempDir(), 'wso2carbon.log');
  await writeFile(file, '');
  const { f, lines, notes } = await follow(file);
  t.after(() => f.close());
  await appendFile(file, 'x1\nx2\n');
  await until(() => lines.length === 2, 'x1, x2');
  await truncate(file, 0);
  await until(() => notes.includes('truncated'), 'the truncation to be seen');
  await appendFile(file, 'y1\n');
  await until(() => lines.length === 3, 'y1');
  assert.deepEqual(lines, ['x1', 'x2', 'y1']);
  const full = await f.history.read(0, 10);
  assert.match(full[0]!, /gone: the log file was truncated/);
  assert.equal(full[2], 'y1');
});

test('a burst larger than one read, with multi-byte characters split across reads: every line, in order', async (t) => {
  const file = join(await tempDir(), 'wso2carbon.log');
  await writeFile(file, '');
  const lines: string[] = [];
  const f = new FileFollower(file, { pollMs: 20, chunkBytes: 1000, onLines: (l) => lines.push(...l) });
  await f.start();
  t.after(() => f.close());
  const written = Array.from({ length: 5000 }, (_, i) => `line ${i} · naïve café ${'x'.repeat(i % 97)}`);
  await appendFile(file, written.join('\n') + '\n');
  await until(() => lines.length === written.length, 'all 5000 lines');
  assert.deepEqual(lines, written);
  assert.deepEqual(await f.history.read(4990, 20), written.slice(4990));
  assert.deepEqual(await f.history.read(1234, 3), written.slice(1234, 1237));
});

test('stop hands on a last line without newline; drain reads everything written so far', async () => {
  const file = join(await tempDir(), 'wso2carbon.log');
  await writeFile(file, '');
  const lines: string[] = [];
  const f = new FileFollower(file, { pollMs: 10_000, onLines: (l) => lines.push(...l) });
  await f.start();
  await appendFile(file, 'one\ntwo\nunfinished');
  // A long poll interval: only drain() can have read this.
  await f.drain();
  assert.deepEqual(lines, ['one', 'two']);
  await f.stop();
  assert.deepEqual(lines, ['one', 'two', 'unfinished']);
  await f.close();
});
