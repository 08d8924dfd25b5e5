// A throw-away sshd on 127.0.0.1 for the sync tests: a random high port, its own host key and
// authorized_keys, started and stopped by the test. As root it needs /run/sshd (privilege
// separation) and lets root in with keys only.
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runProcess, type RunResult } from '../src/core/run/process.js';

export const SSHD = '/usr/sbin/sshd';
export const USER = userInfo().username;

export interface Sshd {
  port: number;
  dir: string;
  authorizedKeys: string;
  hostKey: string;
  log: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host, port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Polls until `check` holds or the deadline passes. */
export async function until(check: () => boolean | Promise<boolean>, what: string, deadlineMs = 15_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function newHostKey(dir: string, name = 'host_ed25519'): Promise<string> {
  const key = join(dir, name);
  const r = await runProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  if (!r.ok) throw new Error(`ssh-keygen: ${r.stderr.join(' ')}`);
  return key;
}

export interface SshdOptions {
  /** sshd ForceCommand: a wrapper every login runs through (slows or breaks the worker). */
  forceCommand?: string;
  hostKey?: string;
  port?: number;
  dir?: string;
  /** The loopback address to listen on (default 127.0.0.1): nodes of a test cluster each have their own. */
  listen?: string;
  /** sshd SetEnv: variables every login's session gets (fault points for the wizard a login runs). */
  setEnv?: Record<string, string>;
}

export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  // Loaded here so that a benchmark can use this helper without the test runner's hooks.
  const dir = opts.dir ?? (await (await import('./helpers.js')).tempDir('agw-sshd-'));
  const hostKey = opts.hostKey ?? (await newHostKey(dir));
  const authorizedKeys = join(dir, 'authorized_keys');
  await appendFile(authorizedKeys, '');
  await chmod(authorizedKeys, 0o600);
  const port = opts.port ?? (await freePort());
  const log = join(dir, `sshd-${opts.listen ?? '127.0.0.1'}-${port}.log`);
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const config = join(dir, `sshd-${opts.listen ?? '127.0.0.1'}-${port}.conf`);
  await writeFile(
    config,
    [
      `Port ${port}`,
      `ListenAddress ${opts.listen ?? '127.0.0.1'}`,
      `HostKey ${hostKey}`,
      'PidFile none',
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel VERBOSE',
      // As a real sshd: Ansible copies its modules over sftp.
      'Subsystem sftp internal-sftp',
      ...(opts.forceCommand ? [`ForceCommand ${opts.forceCommand}`] : []),
      ...(opts.setEnv ? [`SetEnv ${Object.entries(opts.setEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`] : []),
      '',
    ].join('\n'),
  );
  const ac = new AbortController();
  let ended: RunResult | undefined;
  // -E: the log goes to a file, so nothing fills a pipe while a test blocks in spawnSync.
  const running = runProcess(SSHD, ['-D', '-f', config, '-E', log], { signal: ac.signal, killGraceMs: 2000 }).then((r) => (ended = r));
  const host = opts.listen ?? '127.0.0.1';
  await until(async () => ended !== undefined || (await accepts(port, host)), `sshd on ${host}:${port}`);
  if (ended) throw new Error(`sshd did not start: ${(await readFile(log, 'utf8').catch(() => '')) || ended.stderr.join(' ')}`);
  return {
    port,
    dir,
    authorizedKeys,
    hostKey,
    log,
    stop: async () => {
      ac.abort();
      await running;
    },
  };
}

export async function authorize(sshd: Sshd, publicKeyFile: string): Promise<void> {
  await appendFile(sshd.authorizedKeys, await readFile(publicKeyFile, 'utf8'));
}
