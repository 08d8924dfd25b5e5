// Symbolic links a plan creates (Debian's sites-enabled/x → ../sites-available/x). The link
// is made under a temp name beside it and renamed into place, so it appears whole or not at
// all, and read back afterwards; restoring a created link removes it like any created file.
import { constants } from 'node:fs';
import { open, readlink, rename, rm, symlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { makeDirectories, WriteMismatchError } from './write.js';

export async function placeSymlink(path: string, target: string, onTempFile?: (tmp: string) => void | Promise<void>): Promise<void> {
  const dir = dirname(path);
  await makeDirectories(dir);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await symlink(target, tmp);
  try {
    await onTempFile?.(tmp);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const fd = await open(dir, constants.O_RDONLY);
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
  const now = await readlink(path);
  if (now !== target) throw new WriteMismatchError(`the link on disk points to ${now}, not to ${target} as written`);
}

/** The link's target, or undefined when there is no link at path. */
export async function linkTarget(path: string): Promise<string | undefined> {
  return readlink(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'EINVAL') return undefined;
    throw e;
  });
}
