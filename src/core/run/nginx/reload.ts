// Reloading nginx once the site is installed: only a running nginx is reloaded (systemd's
// reload when systemd runs it, else `nginx -s reload`; under --root, the rehearsal's own nginx
// named by the pid file under the root gets the same signal). A reload that nginx refuses is
// not reported by the signal: success is seen as the master starting new worker processes.
import { readdir, readFile } from 'node:fs/promises';
import { onDisk } from '../../node/layout.js';
import { runProcess } from '../process.js';
import { nginxBuild } from './install.js';
import { isNginxMaster, pidAlive, processCommand } from '../pid.js';
import { readRegularFile } from '../../node/regular-file.js';

export interface RunningNginx {
  pid: number;
  pidFile: string;
}

/**
 * The nginx master named by the pid file (as on the node, read under root), when it runs. A pid
 * file naming another program is never trusted (`say` tells why nothing is signalled).
 */
export async function runningNginx(pidFile: string, root?: string, say?: (line: string) => void): Promise<RunningNginx | undefined> {
  const text = await readRegularFile(onDisk(root, pidFile), { maxBytes: 64 }).then((b) => b.toString('latin1'), () => '');
  const pid = Number(text.trim());
  if (!(Number.isInteger(pid) && pid > 1 && pidAlive(pid))) return undefined;
  if (!isNginxMaster(pid)) {
    const what = processCommand(pid);
    say?.(`${pidFile} names pid ${pid}, which is not an nginx master process (it runs ${JSON.stringify((what?.cmdline || what?.exe || '?').slice(0, 60))}); nothing was signalled`);
    return undefined;
  }
  return { pid, pidFile };
}

/** Child processes of pid (nginx's workers), from /proc; undefined where /proc cannot tell. */
export async function childrenOf(pid: number): Promise<Set<number> | undefined> {
  const entries = await readdir('/proc').catch(() => undefined);
  if (!entries) return undefined;
  const out = new Set<number>();
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces and brackets, so read after its last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.add(Number(name));
  }
  return out;
}

async function systemdRuns(pid: number): Promise<boolean> {
  const r = await runProcess('systemctl', ['show', '--property=MainPID', '--value', 'nginx.service'], { timeoutMs: 10_000 });
  return r.ok && Number(r.stdout.join('').trim()) === pid;
}

/** How long a reload may take to start new workers (tests of a refused reload shorten it). */
const reloadWaitMs = () => Number(process.env.APIM_GATEWAY_WIZARD_TEST_RELOAD_WAIT_MS) || 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reloads the running nginx and waits until it has started new workers. Returns how it was
 * reloaded; throws when the reload was refused (nginx keeps its old configuration then).
 */
export async function reloadNginx(running: RunningNginx, root?: string, waitMs = reloadWaitMs()): Promise<string> {
  if (!isNginxMaster(running.pid)) throw new Error(`pid ${running.pid} of ${running.pidFile} is no longer an nginx master process; nothing was signalled`);
  const before = await childrenOf(running.pid);
  let how: string;
  if (!root && (await systemdRuns(running.pid))) {
    const r = await runProcess('systemctl', ['reload', 'nginx.service'], { timeoutMs: 60_000 });
    if (!r.ok) throw new Error(`systemctl reload nginx failed: ${[...r.stderr, ...r.stdout].join(' ').trim()}`);
    how = 'systemctl reload nginx';
  } else if (!root) {
    const build = await nginxBuild();
    if (!build.binary) throw new Error(`cannot reload: ${build.problem}`);
    const r = await runProcess(build.binary, ['-s', 'reload'], { timeoutMs: 30_000 });
    if (!r.ok) throw new Error(`nginx -s reload failed: ${[...r.stderr, ...r.stdout].join(' ').trim()}`);
    how = 'nginx -s reload';
  } else {
    process.kill(running.pid, 'SIGHUP');
    how = `SIGHUP to the nginx of ${running.pidFile} (what nginx -s reload sends)`;
  }
  if (!before) return how;
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    const now = await childrenOf(running.pid);
    if (!now) return how;
    if ([...now].some((p) => !before.has(p))) return how;
    if (!pidAlive(running.pid)) throw new Error(`nginx (pid ${running.pid}) stopped during the reload`);
    await sleep(100);
  }
  throw new Error(`nginx (pid ${running.pid}) did not take the new configuration within ${waitMs / 1000} s (it keeps the old one; its error log says why)`);
}
