// Is a folder one that only root (or the user running the wizard) can change, at every level of its path?
// The same rules as the code cache's (bin/run-bundle.js), in core's words: each folder from
// the one asked about up to / must be a real directory (never a link), owned by root or by
// this user, and not writable by its group or others unless sticky (/tmp). Anything else
// could be renamed or refilled by someone else between two of root's steps.
import { readFileSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export class StateTrustError extends Error {}

export const euid = () => process.geteuid?.() ?? process.getuid?.();

/** The user name of a uid, from /etc/passwd (the real one: it is only said). */
export function userName(uid: number): string | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === String(uid));
    return line?.split(':')[0];
  } catch {
    return undefined;
  }
}

const octal = (m: number) => (m & 0o7777).toString(8).padStart(4, '0');

/** Why a folder with these facts cannot be trusted (undefined: it can): the one rule of this file. */
export function folderStatProblem(dir: string, st: Stats): string | undefined {
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (st.uid !== 0 && st.uid !== euid()) {
    const name = userName(st.uid);
    return `${dir} is owned by uid ${st.uid}${name ? ` (${name})` : ''}`;
  }
  if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) {
    return `${dir} is writable by ${(st.mode & 0o002) !== 0 ? 'every user' : 'its group'} (mode ${octal(st.mode)})`;
  }
  return undefined;
}

/** Why this one folder cannot be trusted (undefined: it can). */
async function oneFolderProblem(dir: string): Promise<string | undefined> {
  const st = await lstat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (st instanceof Error) return `${dir} cannot be read (${st.code ?? st.message})`;
  return folderStatProblem(dir, st);
}

/** Why `dir` or a folder above it cannot be trusted, or undefined when all of them can. */
export async function folderChainProblem(dir: string): Promise<string | undefined> {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const problem = await oneFolderProblem(d);
    if (problem) return problem;
    if (d === dirname(d)) return undefined;
  }
}

const WHY = 'the state of the wizard must be writable only by root (or by the user running it)';

/**
 * Makes the state folder `dir` ready: the folders missing up to it created 0700 (chmod, so
 * the umask does not matter), those from `base` down tightened to 0700, then `dir` and every
 * folder above it checked. Refuses (StateTrustError) with the folder and the reason.
 */
export async function prepareStateFolder(dir: string, base = dir): Promise<void> {
  dir = resolve(dir);
  base = resolve(base);
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const st = await lstat(d).catch(() => undefined);
    if (st) {
      // Nothing is created inside a folder that cannot be trusted.
      await tightenable(d, base);
      const problem = await folderChainProblem(d);
      if (problem) throw new StateTrustError(`${problem}: ${WHY}; nothing was read or written there`);
      break;
    }
    missing.unshift(d);
    if (d === dirname(d)) break;
  }
  for (const d of missing) {
    await mkdir(d, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw new StateTrustError(`cannot create the wizard's state folder ${d}: ${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied (the wizard is run as root)' : e.message}`);
    });
    await chmod(d, 0o700);
  }
  // The wizard's own folders are tightened (an earlier run under umask 000 left them 0777).
  for (let d = dir; d.startsWith(base); d = dirname(d)) {
    await tightenable(d, base);
    if (d === base) break;
  }
  const problem = await folderChainProblem(dir);
  if (problem) throw new StateTrustError(`${problem}: ${WHY}; nothing was read or written there`);
}

/** A folder of the wizard's own (at or below base, a real directory of this user's) is set to 0700. */
async function tightenable(d: string, base: string): Promise<boolean> {
  if (d !== base && !d.startsWith(`${base}/`)) return false;
  const st = await lstat(d).catch(() => undefined);
  if (!st?.isDirectory() || st.uid !== euid()) return false;
  if ((st.mode & 0o7777) !== 0o700) await chmod(d, 0o700);
  return true;
}
