// The home's owner cannot steer root: a checkpoint planted by `nobody` in the old state folder is
// never restored, the files it names are never created or deleted, and nobody cannot reach the
// new state folder at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onDisk, stateDir } from '../src/core/layout.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const skip = isRoot ? false : 'needs root to act as nobody';
const manager = join(REPO, 'templates/examples/manager.json');

/** Runs a shell command as the unprivileged user nobody. */
function asNobody(script: string): { code: number | null; stderr: string } {
  const r = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', script], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

test('a checkpoint planted by the home owner (nobody) is never restored: no canary created, no file deleted', { skip }, async () => {
  const root = await demoSandbox();
  // The tree above the home is root's (as on a node); the home is the service user's.
  await chmod(root, 0o755);
  const home = join(root, DEMO_HOME);
  execFileSync('chown', ['-R', 'nobody:nogroup', home]);
  const outside = await tempDir();
  await chmod(outside, 0o755);
  const canary = join(outside, 'CANARY');
  const victim = join(outside, 'victim');
  await writeFile(victim, 'keep me\n');
  const id = '2026-01-01T00-00-00-000Z-1';
  const cp = join(home, '.apim-gateway-wizard/checkpoints', id);
  const manifest = {
    id, createdAt: '2026-01-01T00:00:00.000Z', kind: 'apply', reason: 'apply (manager)', state: 'writing',
    files: [{ file: canary.slice(root.length), existed: true, mode: 0o4755, uid: 65534, gid: 65534 }, { file: canary, existed: true, mode: 0o644, uid: 0, gid: 0 }],
  };
  const planted = asNobody(
    `mkdir -p '${cp}/files${canary}' '${cp}/files${canary.slice(root.length)}' && rmdir '${cp}/files${canary}' '${cp}/files${canary.slice(root.length)}' && ` +
      `echo planted > '${cp}/files${canary}' && echo planted > '${cp}/files${canary.slice(root.length)}' && ` +
      `printf '%s' '${JSON.stringify(manifest)}' > '${cp}/manifest.json' && printf '%s\\n' '${victim}' '${victim.slice(root.length)}' > '${cp}/tempfiles'`,
  );
  assert.equal(planted.code, 0, planted.stderr);

  for (const args of [['plan', '--answers', manager], ['apply', '--answers', manager, '--yes'], ['rollback', '--home', DEMO_HOME]]) {
    const r = runCli([...args, '--root', root]);
    assert.notEqual(r.code, null, `${args[0]} hung`);
    assert.ok(!existsSync(canary) && !existsSync(join(root, canary.slice(root.length))), `${args[0]}: the planted checkpoint was restored`);
    assert.equal(await readFile(victim, 'utf8'), 'keep me\n', `${args[0]}: a planted temp file name was deleted`);
    if (args[0] === 'apply') {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /old state folder .*\.apim-gateway-wizard is ignored/);
    }
  }
  // The state root relies on is root's, 0700, and nobody can neither read nor plant there.
  const state = onDisk(root, stateDir(DEMO_HOME));
  const st = await stat(state);
  assert.equal(st.uid, 0);
  assert.equal(st.mode & 0o777, 0o700);
  const tryPlant = asNobody(`mkdir -p '${state}/checkpoints/${id}'`);
  assert.notEqual(tryPlant.code, 0, 'nobody could write into the state folder');
});

test('a state folder under a folder nobody owns is refused, naming that folder; nothing is written', { skip }, async () => {
  const base = await tempDir();
  await chmod(base, 0o755);
  const theirs = join(base, 'theirs');
  await mkdir(theirs);
  execFileSync('chown', ['nobody:nogroup', theirs]);
  const root = join(theirs, 'root');
  await rename(await demoSandbox(), root);
  const r = runCli(['apply', '--answers', manager, '--root', root, '--yes']);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, new RegExp(`${theirs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(owned by|uid 65534|nobody)`));
  assert.match(await readFile(join(root, 'etc/hosts'), 'utf8'), /^(?![\s\S]*BEGIN apim-gateway-wizard)/, '/etc/hosts was written');
});

test('under umask 000 the state folder is 0700 and the saved answers 0600', async () => {
  const root = await demoSandbox();
  const r = spawnSync('bash', ['-c', `umask 000; exec "${process.execPath}" "${join(REPO, 'bin/apim-gateway-wizard.js')}" apply --answers "${manager}" --root "${root}" --yes`], {
    encoding: 'utf8', env: { ...process.env, CARBON_HOME: undefined } as NodeJS.ProcessEnv,
  });
  assert.equal(r.status, 0, r.stderr);
  const state = onDisk(root, stateDir(DEMO_HOME));
  assert.equal((await stat(state)).mode & 0o777, 0o700);
  assert.equal((await stat(join(state, 'answers.json'))).mode & 0o777, 0o600);
  assert.equal((await stat(join(state, 'checkpoints'))).mode & 0o777, 0o700);
});
