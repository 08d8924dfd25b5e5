// Whether a process runs: used for the apply lock, nginx's pid file and the server's.
import { readFileSync, readlinkSync } from 'node:fs';

/** Alive and not a zombie (an exited process its parent, or a lazy init, has not reaped yet). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** What /proc says the process runs: its command line (NULs as spaces) and executable's name. */
export function processCommand(pid: number): { cmdline: string; exe?: string } | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
    let exe: string | undefined;
    try {
      exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '').split('/').pop();
    } catch {
      exe = undefined;
    }
    return { cmdline, exe };
  } catch {
    return undefined;
  }
}

/**
 * Is pid an nginx master process? Checked before any signal sent to the pid an nginx pid file
 * names: whoever can write that file must not be able to make the wizard signal another program.
 */
export function isNginxMaster(pid: number): boolean {
  const p = processCommand(pid);
  return p !== undefined && p.cmdline.startsWith('nginx: master process');
}
