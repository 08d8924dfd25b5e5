// --root is a jail: links are resolved inside the root like a chroot (core/node/jail.ts), and a
// relative --root means the same place whatever the directory a later run starts in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { resolveInRoot } from '../src/core/node/jail.js';
import { demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');

test('resolveInRoot: absolute targets are taken under the root, `..` stops at it, the last link kept when asked', async () => {
  const root = await tempDir();
  await mkdir(join(root, 'etc/nginx/sites-available'), { recursive: true });
  await mkdir(join(root, 'etc/nginx/sites-enabled'), { recursive: true });
  await symlink('/tmp/elsewhere/hosts', join(root, 'etc/hosts'));
  await symlink('../../../../../../tmp/x', join(root, 'etc/up'));
  await symlink('../sites-available/site', join(root, 'etc/nginx/sites-enabled/site'));
  await symlink('loop', join(root, 'etc/loop'));
  assert.equal(resolveInRoot(root, '/etc/hosts'), join(root, 'tmp/elsewhere/hosts'));
  assert.equal(resolveInRoot(root, '/etc/up'), join(root, 'tmp/x'));
  assert.equal(resolveInRoot(root, '/../../etc/hosts', false), join(root, 'etc/hosts'));
  assert.equal(resolveInRoot(root, '/etc/nginx/sites-enabled/site'), join(root, 'etc/nginx/sites-available/site'));
  assert.equal(resolveInRoot(root, '/etc/nginx/sites-enabled/site', false), join(root, 'etc/nginx/sites-enabled/site'));
  assert.throws(() => resolveInRoot(root, '/etc/loop'), (e: NodeJS.ErrnoException) => e.code === 'ELOOP');
  // A relative root is taken from the current directory, never left relative.
  assert.equal(resolveInRoot(relative(process.cwd(), root), '/etc/hosts'), join(root, 'tmp/elsewhere/hosts'));
});

test('apply with ROOT/etc/hosts and the conf folder as links out of the root writes nothing outside it', async () => {
  const outside = await tempDir('agw-outside-');
  await writeFile(join(outside, 'hosts'), '127.0.0.1 localhost\n');
  await mkdir(join(outside, 'conf'));
  await writeFile(join(outside, 'conf', 'carbon.xml'), '<Server/>\n');
  const before = await treeState(outside);

  const root = await demoSandbox();
  await rm(join(root, 'etc/hosts'));
  await symlink(join(outside, 'hosts'), join(root, 'etc/hosts'));
  const r = runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // As on the node, under the root: the link's absolute target, taken inside the root.
  assert.match(await readFile(join(root, outside, 'hosts'), 'utf8'), /BEGIN/);
  assert.equal(runCli(['rollback', '--answers', MANAGER, '--root', root]).code, 0);

  const root2 = await demoSandbox();
  const conf = join(root2, 'opt/wso2am-2.1.0/repository/conf');
  await rm(conf, { recursive: true });
  await symlink(join(outside, 'conf'), conf);
  const p = runCli(['apply', '--answers', MANAGER, '--root', root2, '--yes']);
  assert.notEqual(p.code, 0);
  assert.match(p.stdout + p.stderr, /carbon\.xml/);
  assert.deepEqual(await treeState(outside), before);
});

test('a relative --root given from one directory is recovered from another without leaving the root', async () => {
  const root = await demoSandbox();
  const cwd = join(root, '..');
  const outsideBefore = await treeState(REPO, { skip: ['node_modules', '.git', 'dist'] });
  const r = runCli(['apply', '--answers', MANAGER, '--root', relative(cwd, root), '--yes'], {}, cwd);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const back = runCli(['rollback', '--answers', MANAGER, '--root', root]);
  assert.equal(back.code, 0, back.stdout + back.stderr);
  assert.deepEqual(await treeState(REPO, { skip: ['node_modules', '.git', 'dist'] }), outsideBefore);
});
