// Is the server running? The pid in wso2carbon.pid must be alive and be this product's process
// (its command line names the product home: a pid file left by a crash may name a pid reused by
// something else). Launchers (the `sh bin/wso2server.sh` loop that `start` leaves behind, before
// the JVM has written the pid file) are found by their command line too. Linux /proc only.
import { readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerPaths } from './paths.js';

export interface ProcessInfo {
  pid: number;
  /** Arguments, as in /proc/PID/cmdline. */
  args: string[];
}

export async function readPid(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  const m = /^\s*(\d+)\s*$/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

import { pidAlive } from '../pid.js';

export { pidAlive };

export async function processArgs(pid: number): Promise<string[] | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (raw === undefined) return undefined;
  return raw.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
}

/** The product home as it may appear on a command line: as given, and with symlinks resolved. */
async function homeSpellings(paths: ServerPaths): Promise<string[]> {
  const real = await realpath(paths.homeOnDisk).catch(() => paths.homeOnDisk);
  return [...new Set([paths.homeOnDisk, real])];
}

function mentionsHome(args: readonly string[], homes: readonly string[]): boolean {
  return args.some((a) => homes.some((h) => a === `-Dcarbon.home=${h}` || a === `${h}/bin/wso2server.sh` || a.startsWith(`${h}/bin/wso2server.sh`)));
}

const CONTROL_WORDS = new Set(['start', '--start', '-start', 'stop', '--stop', '-stop', 'restart', '--restart', '-restart', 'version', '--version', '-version']);

/** Every process of this product home: the JVM (-Dcarbon.home=HOME) and the launcher loop; not a `wso2server.sh start|stop` call itself. */
export async function productProcesses(paths: ServerPaths): Promise<ProcessInfo[]> {
  const homes = await homeSpellings(paths);
  const out: ProcessInfo[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const args = await processArgs(Number(entry));
    if (!args || !mentionsHome(args, homes)) continue;
    if (args.some((a) => CONTROL_WORDS.has(a))) continue;
    out.push({ pid: Number(entry), args });
  }
  return out;
}

export interface Running {
  pid: number;
  /** The JVM's (or the simulated server's) arguments. */
  args: string[];
  since?: Date;
  /** -Dprofile=… given on its command line (workers: gateway-worker). */
  profile?: string;
}

/** The running server of this product home, by its pid file; undefined when it is not running. */
export async function runningServer(paths: ServerPaths): Promise<Running | undefined> {
  const pid = await readPid(paths.pidFile);
  if (pid === undefined || !pidAlive(pid)) return undefined;
  const args = await processArgs(pid);
  // Unreadable /proc entry (another user's process under hidepid): trust the pid file.
  if (args && !mentionsHome(args, await homeSpellings(paths))) return undefined;
  const profile = args?.map((a) => /^-Dprofile=(.+)$/.exec(a)?.[1]).find((p) => p !== undefined);
  return { pid, args: args ?? [], since: await processStart(pid), profile };
}

/** When the process started: /proc/PID/stat starttime (clock ticks after boot) plus the boot time. */
export async function processStart(pid: number): Promise<Date | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  const btime = /^btime (\d+)$/m.exec(await readFile('/proc/stat', 'utf8').catch(() => ''));
  if (!stat || !btime) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  // USER_HZ is 100 on every Linux platform the product runs on.
  return Number.isFinite(ticks) ? new Date((Number(btime[1]) + ticks / 100) * 1000) : undefined;
}

/** `pid` and every process below it. */
export async function processTree(pid: number): Promise<number[]> {
  const parent = new Map<number, number>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(join('/proc', entry, 'stat'), 'utf8').catch(() => undefined);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parent.set(Number(entry), ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, p] of parent) if (p === tree[i] && !tree.includes(child)) tree.push(child);
  }
  return tree;
}
