// Writing one file safely: temp file in the same directory, fsync, rename (write-file-atomic
// keeps mode and owner and follows a symlink to its target), then fsync of the directory so
// the rename survives a power cut. Files that cannot be renamed over (a bind-mounted
// /etc/hosts answers EBUSY) are rewritten in place instead.
import { constants } from 'node:fs';
import { mkdir, open, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, constants.O_RDONLY);
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

async function writeInPlace(path: string, bytes: Buffer): Promise<void> {
  const fd = await open(path, 'r+');
  try {
    await fd.truncate(0);
    await fd.write(bytes, 0, bytes.length, 0);
    await fd.sync();
  } finally {
    await fd.close();
  }
}

export interface WriteOptions {
  mode?: number;
  /** Told the temp file's name as soon as it exists, so an interrupted write can be cleaned up. */
  onTempFile?: (path: string) => void | Promise<void>;
}

export async function writeFileSafely(path: string, bytes: Buffer, opts: WriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const target = await realpath(path).catch(() => path);
  try {
    await writeFileAtomic(target, bytes, {
      ...(opts.mode === undefined ? {} : { mode: opts.mode }),
      ...(opts.onTempFile ? { tmpfileCreated: opts.onTempFile } : {}),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EXDEV') throw e;
    await writeInPlace(target, bytes);
  }
  await fsyncDir(dirname(target));
}
