// The manager side of a sync run: ssh and rsync run as the cron user (so that the key, the
// known_hosts file and the lock are the ones cron uses), the key is checked or created, and
// the directories to push are checked before any worker is contacted.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { runProcess, type RunOptions, type RunResult } from '../process.js';
import { resolveOnHost } from '../../node/links.js';
import { readRegularFile } from '../../node/regular-file.js';
import type { InstallHint, KeyInfo } from './events.js';
import { CRON_FILE } from './paths.js';
import { renderCron, renderScript, renderWorkers, type SyncJob } from './render.js';

export interface Runner {
  /** The user the programs run as. */
  user: string;
  /** How, in words: "as wso2carbon (runuser)". */
  how: string;
  run(file: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

/** Runs programs as `user`: directly when this process is that user, through runuser when it is root. */
export function runnerFor(user: string): Runner | string {
  const me = userInfo().username;
  if (me === user) return { user, how: `as ${user}`, run: (f, a, o) => runProcess(f, a, o) };
  if (process.geteuid?.() === 0) {
    return { user, how: `as ${user} (runuser)`, run: (f, a, o) => runProcess('runuser', ['-u', user, '--', f, ...a], o) };
  }
  return `this runs as ${me}; run it as root or as ${user} (syncCronUser), so that ssh uses the key, known_hosts and lock that cron uses`;
}

export async function userExists(user: string): Promise<boolean> {
  return (await runProcess('id', ['-u', '--', user])).ok;
}

/** ssh-keygen -l's fingerprint of a public key line, computed the same way (SHA-256 of the key blob). */
export function fingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export type KeyState = { ok: true; key: KeyInfo } | { ok: false; missing: boolean; problem: string };

/** The private key: present, private to its owner, usable without a passphrase by the runner. */
export async function inspectKey(job: SyncJob, onDisk: (p: string) => string, runner: Runner, created = false): Promise<KeyState> {
  const path = onDisk(job.key);
  const st = await stat(path).catch(() => undefined);
  if (!st) return { ok: false, missing: true, problem: `the ssh key ${job.key} does not exist` };
  if (!st.isFile()) return { ok: false, missing: false, problem: `${job.key} is not a file` };
  if (st.mode & 0o077) {
    return { ok: false, missing: false, problem: `${job.key} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); ssh ignores such a key: chmod 600 ${job.key}` };
  }
  const pub = await runner.run('ssh-keygen', ['-y', '-P', '', '-f', path]);
  if (!pub.ok) {
    const text = [...pub.stderr, ...pub.stdout].join(' ');
    const why = /passphrase/i.test(text)
      ? 'it is protected by a passphrase, which cron cannot type: use a key without one'
      : `${runner.user} cannot read it (${text.trim() || `exit ${pub.exitCode}`}): it must belong to ${runner.user}`;
    return { ok: false, missing: false, problem: `the ssh key ${job.key} cannot be used: ${why}` };
  }
  const publicKey = pub.stdout.find((l) => l.trim() !== '')!.trim();
  return { ok: true, key: { path: job.key, publicKey, fingerprint: fingerprint(publicKey), created } };
}

/** The command that creates the key, as the admin would type it. */
export function keygenCommand(job: SyncJob): string {
  const as = userInfo().username === job.user ? '' : `runuser -u ${job.user} -- `;
  return `${as}ssh-keygen -t ed25519 -N '' -C apim-gateway-wizard-depsync@${hostname()} -f ${job.key}`;
}

/** ed25519, no passphrase (cron cannot type one), made by the cron user so that it owns it. */
export async function createKey(job: SyncJob, onDisk: (p: string) => string, runner: Runner): Promise<KeyState> {
  const path = onDisk(job.key);
  const dir = await runner.run('mkdir', ['-p', '-m', '700', dirname(path)]);
  if (!dir.ok) return { ok: false, missing: true, problem: `cannot create ${dirname(job.key)} as ${runner.user}: ${dir.stderr.join(' ')}` };
  const made = await runner.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `apim-gateway-wizard-depsync@${hostname()}`, '-f', path]);
  if (!made.ok) {
    return { ok: false, missing: true, problem: `ssh-keygen could not create ${job.key} as ${runner.user}: ${[...made.stderr, ...made.stdout].join(' ') || made.startError}` };
  }
  return inspectKey(job, onDisk, runner, true);
}

function destHost(worker: string): { user: string; host: string } {
  const at = worker.indexOf('@');
  const rest = worker.slice(at + 1);
  const host = rest.startsWith('[') ? rest.slice(1, rest.indexOf(']')) : rest.slice(0, rest.indexOf(':'));
  return { user: worker.slice(0, at), host };
}

export async function installHint(job: SyncJob, key: KeyInfo, onDisk: (p: string) => string = (p) => p): Promise<InstallHint> {
  // The key's .pub when it holds this key (ssh-keygen made it), else the key printed from the private one.
  // A plain file only, and small: the cron user owns the folder (a FIFO there must not hang root).
  // Without --root, through links root controls only (the cron user's link there is refused, as everywhere).
  const pubFile = `${job.key}.pub`;
  const readPub = async () => {
    if (onDisk(pubFile) === pubFile) resolveOnHost(pubFile);
    return readRegularFile(onDisk(pubFile), { maxBytes: 64 * 1024 });
  };
  const pub = (await readPub().catch(() => Buffer.alloc(0))).toString('utf8');
  const sameKey = pub.trim().split(/\s+/)[1] === key.publicKey.split(/\s+/)[1];
  return {
    publicKey: key.publicKey,
    // One command per worker login (two homes on one machine share it).
    commands: [
      ...new Map(
        job.targets.map((worker) => {
          const { user, host } = destHost(worker);
          return [`${user}@${host}`, { worker, command: `ssh-copy-id -i ${job.key}.pub -p ${job.port} ${user}@${host}` }] as const;
        }),
      ).values(),
    ],
    manual: `mkdir -p ~/.ssh && chmod 700 ~/.ssh && echo '${key.publicKey}' >> ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys`,
    print: sameKey ? `cat ${job.key}.pub` : `ssh-keygen -y -f ${job.key}`,
  };
}

export interface LocalProblem {
  name: string;
  detail: string;
  /** false: worth saying, the sync can still run. */
  blocking: boolean;
}

/** The directories to push, and the job's own directory, as the runner sees them. */
export async function checkSources(job: SyncJob, onDisk: (p: string) => string, runner: Runner): Promise<LocalProblem[]> {
  const problems: LocalProblem[] = [];
  for (const [i, pair] of job.pairs.entries()) {
    const dir = `${job.home}/${pair.dir}`;
    const st = await stat(onDisk(dir)).catch(() => undefined);
    if (!st?.isDirectory()) {
      problems.push({ name: 'source', detail: `${dir} does not exist on this manager`, blocking: true });
      continue;
    }
    const listed = await runner.run('ls', ['-A', onDisk(dir)]);
    if (!listed.ok) problems.push({ name: 'source', detail: `${runner.user} cannot read ${dir}: ${listed.stderr.join(' ')}`, blocking: true });
    else if (i === 0 && listed.stdout.filter((l) => l !== '').length === 0) {
      problems.push({ name: 'source', detail: `${dir} is empty; pushing it with --delete would empty every worker`, blocking: true });
    }
  }
  const writable = await runner.run('test', ['-d', onDisk(job.paths.dir), '-a', '-w', onDisk(job.paths.dir)]);
  if (!writable.ok) {
    problems.push({
      name: 'job directory',
      detail: `${job.paths.dir} is missing or ${runner.user} cannot write in it (lock, log, known_hosts): run apply first`,
      blocking: true,
    });
  }
  return problems;
}

/** The job on disk is the job of these answers; otherwise cron pushes something else than this run. */
export async function checkApplied(job: SyncJob, onDisk: (p: string) => string): Promise<LocalProblem[]> {
  const expected: [string, string][] = [
    [job.paths.script, renderScript(job)],
    [job.paths.workers, renderWorkers(job)],
    [CRON_FILE, renderCron(job)],
  ];
  const differ: string[] = [];
  for (const [file, text] of expected) {
    const now = await readFile(onDisk(file), 'utf8').catch(() => undefined);
    if (now !== text) differ.push(now === undefined ? `${file} (missing)` : file);
  }
  return differ.length
    ? [{ name: 'applied', detail: `the cron job on disk differs from these answers: ${differ.join(', ')}; apply them so that cron does what this run does`, blocking: false }]
    : [];
}
