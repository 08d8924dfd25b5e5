// File-system errors in the admin's words, always with the file they concern.
const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links (a symlink loop?)',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EBUSY: 'the file is busy',
  EIO: 'input/output error',
};

const kib = (n: number) => Math.ceil(n / 1024);

/** "<file>: cannot <action> (<what>, <CODE>[: needs N KiB, M KiB free on the file system of <dir>])". */
export function describeFsError(file: string, action: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words = (code && WORDS[code]) ?? (e as Error).message;
  // Set by write.ts on ENOSPC/EDQUOT: how much the write needed and what was left.
  const space = (e as { space?: { needed: number; free: number; mount: string } }).space;
  const facts = space && (code === 'ENOSPC' || code === 'EDQUOT') ? `: needs ${kib(space.needed)} KiB, ${kib(space.free)} KiB free on the file system of ${space.mount}` : '';
  return `${file}: cannot ${action} (${words}${code && WORDS[code] ? `, ${code}` : ''}${facts})`;
}
