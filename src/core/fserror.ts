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

export function describeFsError(file: string, action: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words = (code && WORDS[code]) ?? (e as Error).message;
  return `${file}: cannot ${action} (${words}${code && WORDS[code] ? `, ${code}` : ''})`;
}
