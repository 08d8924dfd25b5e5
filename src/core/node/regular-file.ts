// Reading a node file that must be a plain file. A FIFO, a device (/dev/zero), a socket or a
// directory in the place of carbon.xml or /etc/hosts would hang the wizard or feed it endless
// bytes: it is opened without blocking, checked on the open descriptor (so a swap after the
// check cannot fool it) and refused at once, before a single byte is read.
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** Configuration files are kilobytes; a file this large is not one (and would be slow to diff). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export type NotReadableCode = 'ENOTREG' | 'ETOOBIG';

export class FileKindError extends Error {
  constructor(
    message: string,
    readonly code: NotReadableCode,
    readonly path: string,
  ) {
    super(message);
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a plain file';
}

const notRegular = (path: string, st: Stats) => new FileKindError(`${path} is ${kindOf(st)}, not a regular file; nothing was read from it`, 'ENOTREG', path);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;

const tooBig = (path: string, size: number | undefined, max: number) =>
  new FileKindError(
    `${path} is ${size === undefined ? `more than ${mb(max)}` : mb(size)}; a configuration file that large is not what the wizard expects (limit ${mb(max)}); nothing was read from it`,
    'ETOOBIG',
    path,
  );

/**
 * The whole file at path (links followed), when it is a regular file of at most maxBytes.
 * Otherwise an error naming the path and what it is (code ENOTREG or ETOOBIG); any other
 * file-system error (ENOENT, EACCES…) is passed on unchanged.
 */
export async function readRegularFile(path: string, opts: { maxBytes?: number } = {}): Promise<Buffer> {
  const max = opts.maxBytes ?? MAX_FILE_BYTES;
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    // A socket cannot be opened at all (ENXIO): say what it is instead.
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') {
      const st = await stat(path).catch(() => undefined);
      if (st && !st.isFile()) throw notRegular(path, st);
    }
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular(path, st);
    if (st.size > max) throw tooBig(path, st.size, max);
    // Read to the end, not to the size seen: a file may grow while it is read; never past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, 0) + 1, 1024 * 1024, max + 1 - total));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw tooBig(path, undefined, max);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}
