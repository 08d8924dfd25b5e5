// The launcher runs the bundle through V8's code cache (bin/run-bundle.js). The cache may only
// ever make start-up faster: the output is the bundle's own, a cache anybody else could have
// put there is never loaded, a stale or damaged one is not used, and no cache folder (read-only,
// full, switched off) changes nothing but speed.
//
// The trust tests plant a "poisoned" cache: V8 code compiled from a bundle of the same length
// whose version says 9.9.9. V8 accepts it for the real bundle (it checks only the length), so a
// run that prints 9.9.9 loaded it; the first test shows it does when the cache is trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFile } from '../bin/run-bundle.js';
import { BIN, REPO, tempDir } from './helpers.js';

const PLAN = ['plan', '--demo', '--role', 'worker', '--host-name', 'am.wso2.com', '--mgt-host-name', 'mgt.am.wso2.com', '--manager-ip', '10.0.0.10'];
const VERSION = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version as string;
const OTHER = VERSION.replace(/\d/g, '9');
/** Through the bundle, not the launcher's shortcut for a lone --version; a "wizard" cache. */
const SAY_VERSION = ['--version', '--no-color'];
const isRoot = process.getuid?.() === 0;

function run(env: NodeJS.ProcessEnv, args = PLAN, bin = BIN) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, CARBON_HOME: '', NO_COLOR: '1', ...env } });
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

/** A copy of the installed package (bin/ and dist/cli.cjs) whose bundle says `version`, same length. */
async function packageCopy(version: string): Promise<{ bin: string; bundle: string }> {
  const dir = await tempDir();
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  for (const f of readdirSync(join(REPO, 'bin'))) copyFileSync(join(REPO, 'bin', f), join(dir, 'bin', f));
  const source = readFileSync(join(REPO, 'dist', 'cli.cjs'), 'utf8');
  const quoted = JSON.stringify(VERSION);
  assert.equal(source.split(quoted).length, 2, 'the version appears once in the bundle');
  const bundle = join(dir, 'dist', 'cli.cjs');
  writeFileSync(bundle, source.replace(quoted, JSON.stringify(version)));
  return { bin: join(dir, 'bin', 'apim-gateway-wizard.js'), bundle };
}

/** Bytes of a cache V8 accepts for the real bundle but made from one that says OTHER. */
async function poisonedCache(): Promise<Buffer> {
  const copy = await packageCopy(OTHER);
  const home = await tempDir();
  assert.equal(run({ XDG_CACHE_HOME: home }, SAY_VERSION, copy.bin).stdout, `${OTHER}\n`);
  const [file] = cacheFiles(home);
  return readFileSync(file!);
}

/** Where the launcher looks for the real bundle's wizard cache under `home`. */
const realCacheFile = (home: string) => cacheFile(join(home, 'apim-gateway-wizard'), 'wizard', readFileSync(join(REPO, 'dist', 'cli.cjs'), 'utf8'));

function plant(home: string, bytes: Buffer): string {
  const file = realCacheFile(home);
  mkdirSync(join(home, 'apim-gateway-wizard'), { recursive: true, mode: 0o700 });
  writeFileSync(file, bytes, { mode: 0o600 });
  return file;
}

test('a first run writes a private cache, later runs load it unchanged; output is the bundle\'s own', async () => {
  const home = await tempDir();
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
  const [file, ...more] = cacheFiles(home);
  assert.ok(file, 'no cache written');
  assert.deepEqual(more, []);
  assert.match(file, /\/verb-[0-9a-f]{32}-v\d+\.\d+\.\d+-\w+\.bin$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, 'apim-gateway-wizard')).mode & 0o777, 0o700);
  const before = statSync(file);
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
  // Accepted by V8: not written again (a rejected or skipped cache is replaced).
  const after = statSync(file);
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);
});

test('a trusted cache is what runs: the poisoned one is loaded from a private folder (the control for the tests below)', async () => {
  const home = await tempDir();
  plant(home, await poisonedCache());
  assert.equal(run({ XDG_CACHE_HOME: home }, SAY_VERSION).stdout, `${OTHER}\n`);
});

test('a new bundle of the same size and date does not run the old bundle\'s cache', async () => {
  const copy = await packageCopy(VERSION);
  const home = await tempDir();
  assert.equal(run({ XDG_CACHE_HOME: home }, SAY_VERSION, copy.bin).stdout, `${VERSION}\n`);
  const st = statSync(copy.bundle);
  writeFileSync(copy.bundle, readFileSync(copy.bundle, 'utf8').replace(JSON.stringify(VERSION), JSON.stringify(OTHER)));
  utimesSync(copy.bundle, st.atime, st.mtime);
  assert.equal(statSync(copy.bundle).size, st.size);
  assert.equal(run({ XDG_CACHE_HOME: home }, SAY_VERSION, copy.bin).stdout, `${OTHER}\n`);
});

test('a cache anybody could have written is not loaded: writable file, writable folder, a folder above writable by others, a linked folder', async () => {
  const poison = await poisonedCache();
  const writableFile = await tempDir();
  chmodSync(plant(writableFile, poison), 0o666);

  const writableFolder = await tempDir();
  plant(writableFolder, poison);
  chmodSync(join(writableFolder, 'apim-gateway-wizard'), 0o770);

  const openAbove = await tempDir();
  plant(openAbove, poison);
  chmodSync(openAbove, 0o777); // no sticky bit: anybody could swap the folder

  const linked = await tempDir();
  const elsewhere = await tempDir();
  plant(elsewhere, poison);
  symlinkSync(join(elsewhere, 'apim-gateway-wizard'), join(linked, 'apim-gateway-wizard'));

  for (const home of [writableFile, writableFolder, openAbove, linked]) {
    assert.equal(run({ XDG_CACHE_HOME: home }, SAY_VERSION).stdout, `${VERSION}\n`, home);
  }
  // Through the link nothing is written or removed either.
  assert.deepEqual(readdirSync(join(elsewhere, 'apim-gateway-wizard')), [realCacheFile(elsewhere).split('/').at(-1)]);
  assert.deepEqual(readFileSync(realCacheFile(elsewhere)), poison);
});

test('a cache file of another user is not loaded', { skip: !isRoot && 'needs root (chown)' }, async () => {
  const home = await tempDir();
  const file = plant(home, await poisonedCache());
  chownSync(file, 12345, 12345);
  assert.equal(run({ XDG_CACHE_HOME: home }, SAY_VERSION).stdout, `${VERSION}\n`);
});

test('a damaged cache is not used and is replaced by a good one', async () => {
  const home = await tempDir();
  const file = plant(home, Buffer.alloc(200_000, 0x41));
  assertSameAsBundle(run({ XDG_CACHE_HOME: home }, SAY_VERSION), SAY_VERSION);
  assert.notEqual(statSync(file).size, 200_000);
  assert.equal(statSync(file).mode & 0o777, 0o600);
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

test('the wizard and the verbs keep separate caches; writing one removes only its own kind\'s old files', async () => {
  const home = await tempDir();
  const folder = join(home, 'apim-gateway-wizard');
  mkdirSync(folder, { mode: 0o700 });
  // As if an older bundle or Node had left them behind.
  const stale = join(folder, 'verb-1-1-v0.0.0-x64.bin');
  const wizardStale = join(folder, 'wizard-1-1-v0.0.0-x64.bin');
  writeFileSync(stale, 'old', { mode: 0o600 });
  writeFileSync(wizardStale, 'old', { mode: 0o600 });
  run({ XDG_CACHE_HOME: home });
  assert.ok(!existsSync(stale), 'the old verb cache is still there');
  assert.ok(existsSync(wizardStale), 'the wizard\'s cache was touched by a verb run');
});

test('a full disk under the cache folder: the run is unaffected and no partial cache file is left', { skip: !isRoot && 'needs root to mount a small file system' }, async () => {
  const home = await tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=700', 'tmpfs', home]);
  try {
    assertSameAsBundle(run({ XDG_CACHE_HOME: home }));
    // The cache (hundreds of KiB) does not fit: nothing of it stays behind.
    assert.deepEqual(cacheFiles(home), []);
  } finally {
    execFileSync('umount', [home]);
  }
});
