// A full (or read-only) disk for real: the sandbox root is a small tmpfs, and another process
// fills it (or remounts it read-only) while apply is held at a fault point between two files.
// Every file must end old or new byte for byte, the message must say what happened, a file
// is called restored only when it is, and once there is room again the next run finishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, DEMO_HOME, REPO, runCli, tempDir, treeState } from './helpers.js';
import { templatesDir } from '../src/core/node/demo.js';
import { writeFileSafely } from '../src/core/apply/write.js';
import { describeFsError } from '../src/core/messages/fserror.js';

const isRoot = process.getuid?.() === 0;
const skip = isRoot ? false : 'needs root to mount a tmpfs';
if (!isRoot) console.log('# full-disk tests skipped: they mount tmpfs file systems, which needs root');

const MANAGER = join(REPO, 'templates/examples/manager.json');
const HOME = ['--home', DEMO_HOME];
const CARBON = `${DEMO_HOME}/repository/conf/carbon.xml`;
const CATALINA = `${DEMO_HOME}/repository/conf/tomcat/catalina-server.xml`;
// The wizard's own state (wherever helper A puts it under the root) and the test's filler.
const tree = (root: string) => treeState(root, { skip: ['.apim-gateway-wizard', 'apim-gateway-wizard', 'filler'] });
const apply = ['apply', '--answers', MANAGER, '--yes'];

function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
}
function umount(dir: string): void {
  execFileSync('umount', [dir]);
}
const freeBytes = (dir: string) => {
  const s = statfsSync(dir);
  return s.bfree * s.bsize;
};

/** Fills the file system of dir until exactly `leave` bytes are free. */
async function fillLeaving(dir: string, leave: number): Promise<void> {
  await writeFile(join(dir, 'filler'), Buffer.alloc(Math.max(0, freeBytes(dir) - leave)));
  assert.equal(freeBytes(dir), leave, 'the filler left the free space wanted');
}

/** The demo sandbox with a carbon.xml as large as a real one (26012 bytes; the demo's is shortened). */
async function sandboxInto(root: string): Promise<void> {
  await cp(join(templatesDir(), 'demo'), root, { recursive: true });
  const file = join(root, CARBON);
  const text = await readFile(file, 'latin1');
  const pad = 26012 - text.length - '    <!---->\n'.length;
  await writeFile(file, text.replace('</Server>', `    <!--${'x'.repeat(pad)}-->\n</Server>`), 'latin1');
  assert.equal((await stat(file)).size, 26012);
}

/** The tree after an uninterrupted apply, and the fault point labelled `label`. */
async function reference(root: string, label: string): Promise<{ after: Record<string, string>; point: number }> {
  const ref = await tempDir();
  await cp(root, ref, { recursive: true });
  const count = join(await tempDir(), 'points');
  const r = runCli([...apply, '--root', ref], { APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: count });
  assert.equal(r.code, 0, r.stderr);
  const line = (await readFile(count, 'utf8')).split('\n').find((l) => l.endsWith(label));
  assert.ok(line, `a fault point "${label}"`);
  return { after: await tree(ref), point: Number(line.split(' ')[0]) };
}

/** Runs apply held at fault point `point`; `meanwhile` runs while it waits there. */
async function applyPausedAt(root: string, point: number, meanwhile: () => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = await tempDir();
  const pause = join(dir, 'pause');
  const count = join(dir, 'points');
  await writeFile(pause, '');
  const child = spawn(process.execPath, [BIN, ...apply, '--root', root], {
    env: { ...process.env, CARBON_HOME: undefined, APIM_GATEWAY_WIZARD_TEST_PAUSE_AT: String(point), APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE: pause, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: count },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    // The count file gets point N's line just before the process starts waiting there.
    for (;;) {
      const lines = existsSync(count) ? (await readFile(count, 'utf8')).trim().split('\n').length : 0;
      if (lines >= point) break;
      if (child.exitCode !== null) assert.fail(`apply ended before point ${point}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await meanwhile();
  } finally {
    await rm(pause, { force: true });
  }
  return { code: await exited, stdout, stderr };
}

/** Every file is exactly its old or its new version; no stray file (no temp file left behind). */
function assertOldOrNew(now: Record<string, string>, before: Record<string, string>, after: Record<string, string>, where: string): void {
  for (const [file, state] of Object.entries(now)) {
    assert.ok(state === before[file] || state === after[file], `${where}: ${file} is neither the old nor the new version (or a stray file)`);
  }
  for (const file of Object.keys(before)) assert.ok(file in now, `${where}: ${file} disappeared`);
}

/** Files the message calls restored must be their old selves. */
function assertRestoredTrue(stderr: string, now: Record<string, string>, before: Record<string, string>, where: string): void {
  const m = /restored \d+ file\(s\) to what they were \(read back equal to the backup\): (.*)/.exec(stderr);
  for (const file of m ? m[1]!.split(', ') : []) {
    if (file === 'none') continue;
    const key = file.replace(/^\//, '');
    assert.equal(now[key], before[key], `${where}: ${file} is called restored but is not the original`);
  }
}

/** A failed restore names, per file, a backup that holds the original bytes, and keeps the checkpoint for the next run. */
async function assertBackupsNamed(stderr: string, root: string, original: Map<string, Buffer>, where: string): Promise<void> {
  const named = [...stderr.matchAll(/^(\S+): cannot put it back \((.*)\); its original bytes are in (\S+)$/gm)];
  assert.ok(named.length > 0, `${where}: no backup named:\n${stderr}`);
  for (const [, file, , backup] of named) {
    assert.ok(original.has(file!), `${where}: ${file}`);
    assert.deepEqual(await readFile(backup!), original.get(file!), `${where}: the backup of ${file} holds the original bytes`);
    assert.ok(stderr.includes(`cp --preserve=mode,ownership ${backup} ${join(root, file!)}`), `${where}: the command that puts ${file} back:\n${stderr}`);
  }
  const kept = /The checkpoint (\S+) is kept: the next `apim-gateway-wizard apply` or `rollback` puts/.exec(stderr);
  assert.ok(kept, `${where}: the checkpoint is said to be kept:\n${stderr}`);
  const manifest = JSON.parse(await readFile(join(kept[1]!, 'manifest.json'), 'utf8'));
  assert.equal(manifest.state, 'writing', `${where}: the checkpoint is left for the next run`);
}

/** With room again: apply finishes (restoring the interrupted one first), rollback returns the original. */
function assertRecovers(root: string, before: Record<string, string>, after: Record<string, string>, where: string): Promise<void> {
  return (async () => {
    const again = runCli([...apply, '--root', root]);
    assert.equal(again.code, 0, `${where}: the next apply: ${again.stderr}`);
    assert.deepEqual(await tree(root), after, `${where}: the next apply ends as an uninterrupted one`);
    const back = runCli(['rollback', '--root', root, ...HOME]);
    assert.equal(back.code, 0, `${where}: rollback: ${back.stderr}`);
    assert.deepEqual(await tree(root), before, `${where}: rollback returns every original byte`);
  })();
}

async function originals(root: string, files: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of files) out.set(f, await readFile(join(root, f)));
  return out;
}

for (const leaveKiB of [0, 8, 12]) {
  test(`the disk fills up between carbon.xml and catalina-server.xml (${leaveKiB} KiB left): nothing lost, nothing claimed that is not so; the next run finishes`, { skip }, async () => {
    const root = await tempDir();
    mountTmpfs(root, '1m');
    try {
      await sandboxInto(root);
      const before = await tree(root);
      const original = await originals(root, [CARBON, CATALINA, '/etc/hosts', `${DEMO_HOME}/repository/conf/api-manager.xml`]);
      const { after, point } = await reference(root, `before writing ${CATALINA}`);
      const r = await applyPausedAt(root, point, () => fillLeaving(root, leaveKiB * 1024));
      const where = `${leaveKiB} KiB left`;
      assert.equal(r.code, 1, `${where}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^error: apply failed: (\S+): cannot write it \(no space left on the device, ENOSPC: needs \d+ KiB, \d+ KiB free on the file system of /m, where);
      const now = await tree(root);
      assertOldOrNew(now, before, after, where);
      assertRestoredTrue(r.stderr, now, before, where);
      // carbon.xml (26 KiB) cannot be put back through a temp file on this disk: said so, with its backup.
      assert.doesNotMatch(r.stderr, new RegExp(`restored .*${CARBON}`), `${where}: carbon.xml is not restored, and must not be called so`);
      await assertBackupsNamed(r.stderr, root, original, where);

      await rm(join(root, 'filler'));
      if (leaveKiB === 0) {
        // rollback first restores the interrupted apply (there is no completed one to roll back).
        runCli(['rollback', '--root', root, ...HOME]);
        assert.deepEqual(await tree(root), before, `${where}: with room again, the interrupted apply is restored byte for byte`);
      }
      await assertRecovers(root, before, after, where);
    } finally {
      umount(root);
    }
  });
}

test('a disk too small from the start: refused before the first write, naming the file system and the sizes', { skip }, async () => {
  const root = await tempDir();
  mountTmpfs(root, '1m');
  try {
    await sandboxInto(root);
    const before = await tree(root);
    // Room for carbon.xml's temp file but not for it and its backup and the others.
    await fillLeaving(root, 40 * 1024);
    const r = runCli([...apply, '--root', root]);
    assert.equal(r.code, 1, r.stdout);
    const m = new RegExp(`^error: (\\S+)(?: \\(and \\d+ other file\\(s\\) there\\))?: not enough space on the file system of ${root} \\(needs (\\d+) KiB, (\\d+) KiB free\\); nothing was written$`, 'm').exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.ok(Number(m[3]) <= 40, `what is free, less the lock held meanwhile: ${m[0]}`);
    assert.ok(Number(m[2]) > 40, `needs more than is free: ${m[0]}`);
    assert.doesNotMatch(r.stdout, /^changed /m);
    assert.deepEqual(await tree(root), before, 'nothing changed');
    // It refused before the checkpoint: no backup was stored either.
    const stored = Object.keys(await treeState(root, { skip: ['filler'] })).filter((f) => f.includes('/checkpoints/'));
    assert.deepEqual(stored, [], 'no checkpoint stored');
  } finally {
    umount(root);
  }
});

test('a worker reset whose synapse-configs copy does not fit: refused before the first write, naming the copy', { skip }, async () => {
  const root = await tempDir();
  mountTmpfs(root, '2m');
  try {
    await sandboxInto(root);
    const synapse = join(root, DEMO_HOME, 'repository/deployment/server/synapse-configs/default/api');
    await mkdir(synapse, { recursive: true });
    await writeFile(join(synapse, 'big API.xml'), `<api>${'x'.repeat(600 * 1024)}</api>\n`);
    const before = await tree(root);
    // Room for the files, their backups and the checkpoint, not for a second copy of synapse-configs.
    await fillLeaving(root, 400 * 1024);
    const worker = join(REPO, 'templates/examples/worker.json');
    const r = runCli(['apply', '--answers', worker, '--reset-deployment', 'true', '--yes', '--root', root]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`^error: ${DEMO_HOME}/repository/deployment/server/synapse-configs/ \\(copied into the reset folder\\) \\(and \\d+ other file\\(s\\) there\\): not enough space on the file system of ${root} \\(needs \\d+ KiB, \\d+ KiB free\\); nothing was written$`, 'm'));
    assert.deepEqual(await tree(root), before, 'nothing changed, the deployment folder where it was');
  } finally {
    umount(root);
  }
});

test('the disk turns read-only between two files: EROFS named, the restore that cannot be done said so, the next run finishes', { skip }, async () => {
  const root = await tempDir();
  mountTmpfs(root, '1m');
  let readOnly = false;
  try {
    await sandboxInto(root);
    const before = await tree(root);
    const original = await originals(root, [CARBON]);
    const { after, point } = await reference(root, `before writing ${CATALINA}`);
    const r = await applyPausedAt(root, point, async () => {
      execFileSync('mount', ['-o', 'remount,ro', root]);
      readOnly = true;
    });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`${CATALINA}: cannot write it \\(the file system is read-only, EROFS\\)`));
    assert.match(r.stderr, new RegExp(`^${CARBON}: cannot put it back \\(the file system is read-only, EROFS\\); its original bytes are in `, 'm'));
    assertOldOrNew(await tree(root), before, after, 'read-only');
    await assertBackupsNamed(r.stderr, root, original, 'read-only');
    execFileSync('mount', ['-o', 'remount,rw', root]);
    readOnly = false;
    await assertRecovers(root, before, after, 'read-only');
  } finally {
    if (readOnly) execFileSync('mount', ['-o', 'remount,rw', root]);
    umount(root);
  }
});

test('writeFileSafely on a nearly full disk: ENOSPC with the sizes, the old file whole, no temp file left', { skip }, async () => {
  const dir = await tempDir();
  mountTmpfs(dir, '256k');
  try {
    const file = join(dir, 'carbon.xml');
    const old = Buffer.alloc(26012, 'o');
    await writeFile(file, old, { mode: 0o640 });
    // 4 KiB free: one write() of 26012 bytes returns 4096 (a short write, not an error).
    await fillLeaving(dir, 4096);
    const err = await writeFileSafely(file, Buffer.alloc(26012, 'n')).then(() => undefined, (e: unknown) => e);
    assert.ok(err, 'the write failed');
    assert.equal(describeFsError('/x/carbon.xml', 'write it', err), `/x/carbon.xml: cannot write it (no space left on the device, ENOSPC: needs 26 KiB, 4 KiB free on the file system of ${dir})`);
    assert.deepEqual(await readFile(file), old, 'the old file is whole');
    assert.deepEqual((await readdir(dir)).sort(), ['carbon.xml', 'filler'], 'no temp file left');
  } finally {
    umount(dir);
  }
});

test('writeFileSafely sets the mode meant whatever the umask, creates its temp file 0600, and reads the file back', { skip }, async () => {
  const dir = await tempDir();
  const was = process.umask(0);
  try {
    const file = join(dir, 'sub', 'new.conf');
    let tempMode = -1;
    await writeFileSafely(file, Buffer.from('x=1\n'), { mode: 0o640, onTempFile: async (tmp) => void (tempMode = (await stat(tmp)).mode & 0o7777) });
    assert.equal(tempMode, 0o600, 'the temp file is 0600 under umask 000');
    assert.equal((await stat(file)).mode & 0o7777, 0o640);
    assert.equal((await stat(join(dir, 'sub'))).mode & 0o7777, 0o755, 'a directory it creates is 0755 under umask 000');
    // An existing file keeps its mode and owner.
    await writeFile(file, 'old');
    execFileSync('chown', ['nobody:nogroup', file]);
    await writeFileSafely(file, Buffer.from('x=2\n'));
    const st = await stat(file);
    assert.equal(st.mode & 0o7777, 0o640);
    assert.equal(execFileSync('stat', ['-c', '%U:%G', file], { encoding: 'utf8' }).trim(), 'nobody:nogroup');
    assert.equal(await readFile(file, 'utf8'), 'x=2\n');
  } finally {
    process.umask(was);
  }
});

test('a bind-mounted file (rename answers EBUSY) on a full file system is refused in place, never truncated', { skip }, async () => {
  const full = await tempDir();
  const etc = await tempDir();
  mountTmpfs(full, '64k');
  try {
    const source = join(full, 'hosts');
    const old = Buffer.from('127.0.0.1\tlocalhost\n');
    await writeFile(source, old);
    await fillLeaving(full, 0);
    const hosts = join(etc, 'hosts');
    await writeFile(hosts, '');
    execFileSync('mount', ['--bind', source, hosts]);
    try {
      const err = await writeFileSafely(hosts, Buffer.alloc(8192, 'h')).then(() => undefined, (e: unknown) => e);
      assert.ok(err, 'refused');
      assert.match(describeFsError('/etc/hosts', 'write it', err), /^\/etc\/hosts: cannot write it \(no space left on the device, ENOSPC: needs 8 KiB, 0 KiB free on the file system of /);
      assert.deepEqual(await readFile(source), old, 'the file behind the mount is whole');
      assert.deepEqual((await readdir(etc)).sort(), ['hosts'], 'no temp file left');
    } finally {
      umount(hosts);
    }
  } finally {
    umount(full);
  }
});
