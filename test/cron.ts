// Reads an /etc/cron.d entry and runs its command the way cron does: an empty environment
// but for the file's variables (PATH, SHELL) and the user's HOME and LOGNAME, through SHELL -c.
import { userInfo } from 'node:os';
import { runProcess, type RunOptions, type RunResult } from '../src/core/run/process.js';

export interface CronEntry {
  env: Record<string, string>;
  schedule: string;
  user: string;
  command: string;
}

export function parseCron(text: string): CronEntry {
  const env: Record<string, string> = {};
  const jobs: CronEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (assign) {
      env[assign[1]!] = assign[2]!;
      continue;
    }
    const nick = /^(@\w+)\s+(\S+)\s+(.*)$/.exec(line);
    const m = nick ?? /^(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not a cron line: ${line}`);
    jobs.push({ env: { ...env }, schedule: m[1]!, user: m[2]!, command: m[3]! });
  }
  if (jobs.length !== 1) throw new Error(`expected one job, found ${jobs.length}`);
  return jobs[0]!;
}

/** Runs the entry as cron would, as the current user (the tests' cron user). */
export function runAsCron(entry: CronEntry, opts: RunOptions = {}): Promise<RunResult> {
  if (entry.user !== userInfo().username) throw new Error(`the entry runs as ${entry.user}; the test runs as ${userInfo().username}`);
  const shell = entry.env.SHELL ?? '/bin/sh';
  const env = { ...entry.env, HOME: userInfo().homedir, LOGNAME: entry.user, SHELL: shell };
  return runProcess('/usr/bin/env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), shell, '-c', entry.command], opts);
}
