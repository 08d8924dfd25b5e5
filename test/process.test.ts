import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runProcess, type OutputLine } from '../src/core/run/process.js';

test('streams stdout and stderr line by line; \\r-terminated updates are progress', async () => {
  const lines: OutputLine[] = [];
  const r = await runProcess('bash', ['-c', 'printf "a\\nb"; printf " 10%%\\r 50%%\\r100%%\\n"; echo oops >&2; exit 3'], { onLine: (l) => lines.push(l) });
  assert.equal(r.exitCode, 3);
  assert.equal(r.ok, false);
  assert.deepEqual(
    lines.filter((l) => l.stream === 'stdout').map((l) => [l.text, l.progress]),
    [['a', false], ['b 10%', true], [' 50%', true], ['100%', false]],
  );
  assert.deepEqual(r.stderr, ['oops']);
  assert.deepEqual(r.stdout, ['a', '100%']);
});

test('arguments are passed as they are, never through a shell', async () => {
  const r = await runProcess('printf', ['%s|', '$(id)', 'a b', '`x`;']);
  assert.deepEqual(r.stdout, ['$(id)|a b|`x`;|']);
  assert.ok(r.ok);
});

test('a missing program, a time-out, an abort and a clean environment', async () => {
  const missing = await runProcess('/nonexistent/prog', []);
  assert.equal(missing.ok, false);
  assert.match(missing.startError ?? '', /ENOENT/);

  const slow = await runProcess('sleep', ['30'], { timeoutMs: 200, killGraceMs: 100 });
  assert.equal(slow.timedOut, true);

  const ac = new AbortController();
  const pending = runProcess('sleep', ['30'], { signal: ac.signal, killGraceMs: 100 });
  ac.abort();
  assert.equal((await pending).aborted, true);

  const env = await runProcess('/usr/bin/env', [], { cleanEnv: true, env: { ONLY: '1' } });
  assert.ok(env.stdout.includes('ONLY=1'));
  assert.ok(!env.stdout.some((l) => l.startsWith('HOME=')));
});
