// Node files that are not regular files (a FIFO, /dev/zero, a socket, /dev/null) hung the wizard
// or fed it endless bytes. Now each is refused at once, before a byte is read, naming the file
// and what it is: readRegularFile itself, and the real CLI on every node file a plan reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { basename, join } from 'node:path';
import { FileKindError, MAX_FILE_BYTES, readRegularFile } from '../src/core/node/regular-file.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

type Kind = 'fifo' | 'dev-zero' | 'socket' | 'dev-null';
const KINDS: Record<Kind, string> = {
  fifo: 'a FIFO (named pipe)',
  'dev-zero': 'a character device',
  socket: 'a socket',
  'dev-null': 'a character device',
};

/** Puts a special file at path; returns what stops it (a socket needs its server kept open). */
async function makeSpecial(path: string, kind: Kind): Promise<() => Promise<void>> {
  await rm(path, { force: true });
  if (kind === 'fifo') execFileSync('mkfifo', [path]);
  // A device node of its own (as root): under --root, a link to /dev/zero is looked up inside the root.
  const device = { 'dev-zero': ['1', '5'], 'dev-null': ['1', '3'] }[kind as 'dev-zero' | 'dev-null'];
  if (device && process.getuid?.() === 0) execFileSync('mknod', [path, 'c', ...device]);
  else if (device) await symlink(kind === 'dev-zero' ? '/dev/zero' : '/dev/null', path);
  if (kind === 'socket') {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return () => new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return async () => {};
}

test('readRegularFile: a regular file whole; FIFO, devices, socket, directory refused at once; the size limit; other errors unchanged', async () => {
  const dir = await tempDir();
  const plain = join(dir, 'plain.xml');
  await writeFile(plain, 'x'.repeat(300_000));
  assert.equal((await readRegularFile(plain)).toString(), 'x'.repeat(300_000));
  await writeFile(join(dir, 'empty'), '');
  assert.equal((await readRegularFile(join(dir, 'empty'))).length, 0);
  await symlink('plain.xml', join(dir, 'link.xml'));
  assert.equal((await readRegularFile(join(dir, 'link.xml'))).length, 300_000, 'links are followed');

  for (const kind of Object.keys(KINDS) as Kind[]) {
    const path = join(dir, `${kind}.xml`);
    const stop = await makeSpecial(path, kind);
    try {
      await assert.rejects(readRegularFile(path), (e: Error) => {
        assert.ok(e instanceof FileKindError, `${kind}: ${e.message}`);
        assert.equal(e.code, 'ENOTREG');
        assert.equal(e.message, `${path} is ${KINDS[kind]}, not a regular file; nothing was read from it`);
        return true;
      });
    } finally {
      await stop();
    }
  }
  await mkdir(join(dir, 'folder'));
  await assert.rejects(readRegularFile(join(dir, 'folder')), { code: 'ENOTREG', message: `${join(dir, 'folder')} is a directory, not a regular file; nothing was read from it` });
  await assert.rejects(readRegularFile(plain, { maxBytes: 1024 }), (e: Error) => e instanceof FileKindError && e.code === 'ETOOBIG' && e.message.startsWith(`${plain} is 0.3 MB; a configuration file that large`));
  assert.equal(MAX_FILE_BYTES, 16 * 1024 * 1024);
  await assert.rejects(readRegularFile(join(dir, 'missing.xml')), (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && !(e instanceof FileKindError));
});

const CONF = join(DEMO_HOME, 'repository/conf');
const FILES = [join(CONF, 'carbon.xml'), join(CONF, 'tomcat/catalina-server.xml'), join(CONF, 'api-manager.xml'), join(CONF, 'axis2/axis2.xml'), '/etc/hosts'];

test('the CLI refuses each node file that is a FIFO, /dev/zero, a socket or /dev/null at once, naming it; exit 1, nothing changed', { timeout: 180_000 }, async () => {
  // A worker with hazelcast answered reads all five files.
  const answers = join(await tempDir(), 'worker.json');
  await writeFile(answers, JSON.stringify({ ...JSON.parse(await readFile(join(REPO, 'templates/examples/worker.json'), 'utf8')), hazelcast: false }));
  const clean = await demoSandbox();
  const ok = runCli(['plan', '--answers', answers, '--root', clean]);
  assert.equal(ok.code, 2, `the plan reads the files: ${ok.stderr}`);

  for (const file of FILES) {
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const root = await demoSandbox();
      const path = join(root, file);
      const stop = await makeSpecial(path, kind);
      try {
        // The special file itself is left out of the tree's hash (reading a FIFO would hang it),
        // and so is the wizard's own state folder (its record of the node is not a node file).
        const skip = [basename(file), 'apim-gateway-wizard', '.apim-gateway-wizard'];
        const before = await treeState(root, { skip });
        const r = runCli(['apply', '--answers', answers, '--root', root, '--yes']);
        assert.notEqual(r.code, null, `${file} as ${kind}: the CLI hung (killed after its timeout)`);
        assert.equal(r.code, 1, `${file} as ${kind}: ${r.stdout}${r.stderr}`);
        assert.ok(r.stderr.includes(`${path} is ${KINDS[kind]}, not a regular file; nothing was read from it`), `${file} as ${kind}:\n${r.stderr}`);
        assert.deepEqual(await treeState(root, { skip }), before, `${file} as ${kind}: nothing changed`);
        const st = await lstat(path);
        assert.ok(kind === 'fifo' ? st.isFIFO() : kind === 'socket' ? st.isSocket() : st.isCharacterDevice() || st.isSymbolicLink(), `${file} as ${kind} is left as it was`);
      } finally {
        await stop();
      }
    }
  }
});
