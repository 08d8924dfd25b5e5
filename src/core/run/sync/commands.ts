// The ssh and rsync arguments, declared once: the cron script is rendered from them and the
// wizard's own preflight and first sync run them, so both push the same way.

import type { RemoteShell } from './demo-shell.js';

export interface SshSettings {
  /** What stands for ssh: ssh itself, but in the demo cluster (demo-shell.ts). */
  shell?: RemoteShell;
  key: string;
  knownHosts: string;
  port: number;
  /** Seconds to wait for the TCP connection and the ssh banner. */
  connectTimeout?: number;
}

export const DEFAULT_CONNECT_TIMEOUT = 20;

/**
 * BatchMode: nothing can wait for a password or a yes/no. accept-new records a worker's host
 * key on first contact and refuses a changed one (WSO2's script turns checking off).
 * IdentitiesOnly: only this key, never an agent's, so a test from a shell proves what cron will do.
 */
export function sshOptions(s: SshSettings): string[] {
  return [
    '-i', s.key,
    '-p', String(s.port),
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'StrictHostKeyChecking=accept-new',
    '-o', `UserKnownHostsFile=${s.knownHosts}`,
    '-o', `ConnectTimeout=${s.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT}`,
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=4',
  ];
}

/** rsync -e value. Every path in it is checked to need no quoting (SAFE_PATH). */
export function remoteShell(s: SshSettings): string {
  return [s.shell?.rsh ?? 'ssh', ...sshOptions(s)].join(' ');
}

/** The program and arguments of one ssh login running `command` (the worker check). */
export function sshCommand(s: SshSettings, login: string, command: string): [string, string[]] {
  const [program, ...lead] = s.shell?.argv ?? ['ssh'];
  return [program!, [...lead, ...sshOptions(s), login, command]];
}

/** --delete: the worker mirrors the manager. --timeout: a stalled link fails instead of holding the lock forever. */
export const RSYNC_OPTIONS = ['--archive', '--delete', '--itemize-changes', '--timeout=120'] as const;

export type RsyncMode = { kind: 'dry-run' } | { kind: 'sync'; maxDelete: number };

/** The wizard's rsync: the cron options, plus a dry run, or live progress and a deletion cap. */
export function rsyncArgs(s: SshSettings, source: string, dest: string, mode: RsyncMode): string[] {
  const extra =
    mode.kind === 'dry-run'
      ? ['--dry-run']
      : // --no-inc-recursive: the total is known up front, so the percentage means something.
        // --max-delete: never delete more than the admin saw in the preview.
        ['--info=progress2', '--no-inc-recursive', `--max-delete=${mode.maxDelete}`];
  return [...RSYNC_OPTIONS, ...extra, '-e', remoteShell(s), source, dest];
}
