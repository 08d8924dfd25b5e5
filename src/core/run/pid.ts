// Whether a process runs: used for the apply lock, nginx's pid file and the server's.
import { readFileSync } from 'node:fs';

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
