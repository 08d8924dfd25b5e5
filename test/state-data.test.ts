// A checkpoint is data: a manifest naming a path the wizard could not have written is refused by
// name and nothing is touched. Plus the answers file's BOM, plan --out through a link, and the
// folders an apply created, removed by its rollback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onDisk, stateDir } from '../src/core/node/layout.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const manager = join(REPO, 'templates/examples/manager.json');
const ID = '2026-01-01T00-00-00-000Z-1';

for (const [name, file] of [
  ['escapes the root', '/../../../tmp/agw-canary'],
  ['is relative', 'etc/hosts'],
  ['has ..', '/etc/../etc/hosts'],
  ['has a NUL', '/etc/hosts\u0000x'],
  ['is not a file of this node', '/etc/shadow-agw-canary'],
] as const) {
  test(`a checkpoint whose path ${name} is refused by name; nothing is touched`, async () => {
    const root = await demoSandbox();
    assert.equal(runCli(['plan', '--answers', manager, '--root', root]).code, 2);
    const cp = join(onDisk(root, stateDir(DEMO_HOME)), 'checkpoints', ID);
    await mkdir(join(cp, 'files'), { recursive: true, mode: 0o700 });
    const manifest = { id: ID, createdAt: '2026-01-01T00:00:00.000Z', kind: 'apply', reason: 'apply (manager)', state: 'writing', files: [{ file, existed: false, written: 'x' }] };
    await writeFile(join(cp, 'manifest.json'), JSON.stringify(manifest), { mode: 0o600 });
    const before = await treeState(root);
    const r = runCli(['apply', '--answers', manager, '--root', root, '--yes']);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, new RegExp(ID));
    assert.deepEqual(await treeState(root), before, 'nothing changed');
    assert.ok(!existsSync('/tmp/agw-canary') && !existsSync('/etc/shadow-agw-canary'));
  });
}

test('an answers file with a UTF-8 BOM is read', async () => {
  const root = await demoSandbox();
  const file = join(await tempDir(), 'bom.json');
  await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await readFile(manager)]));
  const r = runCli(['plan', '--answers', file, '--root', root]);
  assert.equal(r.code, 2, r.stderr);
});

test('plan --out never writes through a link', async () => {
  const root = await demoSandbox();
  const dir = await tempDir();
  const target = join(dir, 'target');
  await writeFile(target, 'untouched\n');
  await symlink(target, join(dir, 'link.plan'));
  const r = runCli(['plan', '--answers', manager, '--root', root, '--out', join(dir, 'link.plan')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /link\.plan is a symbolic link/);
  assert.equal(await readFile(target, 'utf8'), 'untouched\n');
});

test('rollback removes the folders its apply created', async () => {
  const root = await demoSandbox();
  const answers = JSON.parse(await readFile(join(REPO, 'templates/examples/load-balancer.json'), 'utf8'));
  const file = join(await tempDir(), 'lb.json');
  await writeFile(file, JSON.stringify({ ...answers, selfSignedCertificate: true }));
  const ssl = join(root, 'etc/nginx/ssl');
  assert.ok(!existsSync(ssl));
  const applied = runCli(['apply', '--answers', file, '--root', root, '--yes']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.ok(existsSync(ssl), 'the apply made /etc/nginx/ssl');
  const r = runCli(['rollback', '--root', root]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(ssl), 'the rollback removed the folder its apply created');
});
