// The launcher runs the bundle through V8's code cache (bin/run-bundle.js). The cache may only
// ever make start-up faster: the output is the bundle's own, a cache of someone else's or one
// anybody can write is never loaded, a damaged one is replaced, and no cache folder (read-only,
// switched off) changes nothing but speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO, tempDir } from './helpers.js';

const PLAN = ['plan', '--demo', '--role', 'worker', '--host-name', 'am.wso2.com', '--mgt-host-name', 'mgt.am.wso2.com', '--manager-ip', '10.0.0.10'];

function run(env: NodeJS.ProcessEnv, args = PLAN) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CARBON_HOME: '', NO_COLOR: '1', ...env } });
}

/** What the bundle itself prints, run directly (no launcher, no cache). */
function direct(args = PLAN) {
  return spawnSync(process.execPath, [join(REPO, 'dist', 'cli.cjs'), ...args], { encoding: 'utf8', env: { ...process.env, CARBON_HOME: '', NO_COLOR: '1' } });
}

/** Same exit code and output as the bundle run directly; the plan names a temp sandbox, so its path is masked. */
function assertSameAsBundle(r: ReturnType<typeof run>, args = PLAN): void {
  const d = direct(args);
  const mask = (s: string) => s.replace(/\/tmp\/[^\s/]+/g, '<tmp>');
  assert.equal(r.status, d.status, r.stderr);
  assert.equal(mask(r.stdout), mask(d.stdout));
  assert.equal(mask(r.stderr), mask(d.stderr));
}

function cacheFiles(home: string): string[] {
  const dir = join(home, 'apim-gateway-wizard');
  return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
}

test('a first run writes a private cache, later runs load it unchanged; output is the bundle\'s own', async () => {
  const home = await tempDir();
  const first = run({ XDG_CACHE_HOME: home });
  assertSameAsBundle(first);
  const [file, ...more] = cacheFiles(home);
  assert.ok(file, 'no cache written');
  assert.deepEqual(more, []);
  assert.match(file, /\/verb-\d+-\d+-v\d+\.\d+\.\d+-\w+\.bin$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, 'apim-gateway-wizard')).mode & 0o777, 0o700);
  const before = statSync(file);
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
  // Accepted by V8: not written again (a rejected or skipped cache is replaced).
  const after = statSync(file);
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);
});

test('a cache anybody can write is not loaded (it is replaced), nor is a damaged one', async () => {
  const home = await tempDir();
  run({ XDG_CACHE_HOME: home });
  const [file] = cacheFiles(home);
  chmodSync(file!, 0o666);
  const inode = statSync(file!).ino;
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
  assert.notEqual(statSync(file!).ino, inode);
  assert.equal(statSync(file!).mode & 0o777, 0o600);

  // Bytes that are not a V8 cache at all: V8 rejects them, the run is unaffected, the file replaced.
  writeFileSync(file!, Buffer.alloc(200_000, 0x41), { mode: 0o600 });
  const damaged = statSync(file!).ino;
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
  assert.notEqual(statSync(file!).ino, damaged);
  assert.ok(statSync(file!).size !== 200_000);
});

test('a cache folder others can write, or a cache of another user, is not trusted', { skip: process.getuid?.() !== 0 && 'needs root (chown)' }, async () => {
  const home = await tempDir();
  run({ XDG_CACHE_HOME: home });
  const [file] = cacheFiles(home);
  chownSync(file!, 12345, 12345);
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
  assert.equal(statSync(file!).uid, 0, 'the other user\'s cache was not replaced');

  // A group-writable folder: nothing in it is read, nothing written.
  chmodSync(join(home, 'apim-gateway-wizard'), 0o770);
  const inode = statSync(file!).ino;
  writeFileSync(file!, Buffer.alloc(10, 0x41), { mode: 0o600 });
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
  assert.equal(statSync(file!).size, 10);
  assert.equal(statSync(file!).ino, inode);
});

test('no usable cache folder (a file in its place, switched off) changes nothing but speed', async () => {
  const dir = await tempDir();
  const notAFolder = join(dir, 'file');
  writeFileSync(notAFolder, 'x');
  assertSameAsBundle(run({ XDG_CACHE_HOME: notAFolder }));

  const off = await tempDir();
  assertSameAsBundle(run({ XDG_CACHE_HOME: off, APIM_GATEWAY_WIZARD_NO_CACHE: '1' }));
  assert.deepEqual(cacheFiles(off), []);

  // Errors come out the same way through the cache: a bad flag, exit 1.
  const bad = ['plan', '--demo', '--role', 'nobody'];
  assertSameAsBundle(run({ XDG_CACHE_HOME: off }, bad), bad);
  assert.equal(run({ XDG_CACHE_HOME: off }, bad).status, 1);
});

test('the wizard and the verbs keep separate caches; a new bundle replaces its kind\'s old cache', async () => {
  const home = await tempDir();
  run({ XDG_CACHE_HOME: home });
  const folder = join(home, 'apim-gateway-wizard');
  // As if an older bundle or Node had left one behind.
  const stale = join(folder, 'verb-1-1-v0.0.0-x64.bin');
  const wizardStale = join(folder, 'wizard-1-1-v0.0.0-x64.bin');
  writeFileSync(stale, 'old', { mode: 0o600 });
  writeFileSync(wizardStale, 'old', { mode: 0o600 });
  const [current] = cacheFiles(home).filter((f) => !f.includes('v0.0.0'));
  chmodSync(current!, 0o644 | 0o022); // not trusted → rewritten → old ones of this kind removed
  run({ XDG_CACHE_HOME: home });
  assert.ok(!existsSync(stale), 'the old verb cache is still there');
  assert.ok(existsSync(wizardStale), 'the wizard\'s cache was touched by a verb run');
});

test('a full disk under the cache folder: the run is unaffected and no partial cache file is left', { skip: process.getuid?.() !== 0 && 'needs root to mount a small file system' }, async () => {
  const home = await tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', home]);
  try {
    assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
    // The cache (hundreds of KiB) does not fit: nothing of it stays behind.
    assert.deepEqual(cacheFiles(home), []);
  } finally {
    execFileSync('umount', [home]);
  }
});
