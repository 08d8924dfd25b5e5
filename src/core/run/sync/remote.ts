// The worker side: one ssh login that checks everything a push needs (the directories exist
// and are writable, rsync is installed), then rsync itself, previewed or for real.
import { rsyncArgs, sshCommand, type SshSettings } from './commands.js';
import type { Emit } from './events.js';
import { explain, type ExplainContext } from './explain.js';
import { addItem, emptySummary, parseItem, parseProgress, type Summary } from './itemize.js';
import type { Runner } from './local.js';
import { parseTarget, type SyncTarget } from '../../answers/sync-target.js';
import { destination, guardDestination, type SyncPair } from './target.js';

export interface WorkerContext {
  /** user@host:/home as written in the answers. */
  worker: string;
  target: SyncTarget;
  ssh: SshSettings;
  /** How the key and known_hosts are named to the admin (paths as on the node). */
  keyName: string;
  knownHostsName: string;
  runner: Runner;
  emit: Emit;
  signal?: AbortSignal;
}

export function workerContext(worker: string, rest: Omit<WorkerContext, 'worker' | 'target'>): WorkerContext {
  const target = parseTarget(worker);
  if (typeof target === 'string') throw new Error(`syncTargets: ${target}`);
  return { worker, target, ...rest };
}

function explainContext(w: WorkerContext, dest?: string): ExplainContext {
  return { target: w.worker, user: w.target.user, host: w.target.host, port: w.ssh.port, key: w.keyName, knownHosts: w.knownHostsName, dest };
}

/** Plain words for a failed ssh or rsync run: the known explanation (and its id), else its last lines. */
export function failure(w: WorkerContext, lines: string[], fallback: string, dest?: string): { detail: string; reason?: string } {
  const known = explain(lines.join('\n'), explainContext(w, dest));
  if (known) return { detail: known.message, reason: known.id };
  const tail = lines.filter((l) => l.trim() !== '').slice(-3).join(' / ');
  return { detail: tail ? `${fallback}: ${tail}` : fallback };
}

const MARK = 'apim-gateway-wizard:';
const PROGRESS_EVERY_MS = 100;

/** POSIX sh, run by the worker user's login shell; paths are SAFE_PATH, so single quotes suffice. */
function remoteCheckScript(dirs: string[]): string {
  return [
    ...dirs.map(
      (d) =>
        `if [ -d '${d}' ]; then if [ -w '${d}' ]; then echo '${MARK} dir ok ${d}'; else echo '${MARK} dir read-only ${d}'; fi; else echo '${MARK} dir missing ${d}'; fi`,
    ),
    `if command -v rsync >/dev/null 2>&1; then echo "${MARK} rsync $(rsync --version 2>&1 | head -n 1)"; else echo '${MARK} rsync missing'; fi`,
  ].join('; ');
}

export interface PreflightResult {
  ok: boolean;
  /** What failed, in plain words. */
  problems: string[];
  /** The explanation id of an ssh failure (key-refused, host-key-changed, …; see explain.ts). */
  reason?: string;
}

/** ssh with BatchMode; then the destination directories and rsync on the worker. */
export async function preflight(w: WorkerContext, pairs: SyncPair[]): Promise<PreflightResult> {
  const { emit, worker } = w;
  const dests = pairs.map((p) => destination(w.target, p));
  for (const [i, d] of dests.entries()) {
    const refused = guardDestination(d, pairs[i]!);
    if (refused) {
      emit({ type: 'check', worker, name: 'destination', status: 'failed', detail: refused });
      return { ok: false, problems: [refused] };
    }
  }
  const host = w.target.host;
  // The demo cluster's stand-in for ssh (demo-shell.ts) says so instead of naming the key.
  const local = w.ssh.shell !== undefined && w.ssh.shell.argv[0] !== 'ssh';
  emit({ type: 'check', worker, name: 'ssh', status: 'running', detail: local ? `the demo's local shell in ${w.target.home}` : `ssh ${w.target.user}@${host} port ${w.ssh.port} (key ${w.keyName}, no prompts)` });
  const dirs = pairs.map((p) => `${w.target.home}/${p.dir}`);
  const timeoutMs = ((w.ssh.connectTimeout ?? 20) + 30) * 1000;
  const [program, args] = sshCommand(w.ssh, `${w.target.user}@${host}`, remoteCheckScript(dirs));
  const r = await w.runner.run(program, args, {
    timeoutMs,
    signal: w.signal,
    onLine: (l) => {
      if (l.stream === 'stderr' && /Permanently added/.test(l.text)) emit({ type: 'output', worker, text: `first contact: ${l.text.replace(/^Warning: /, '')} (${w.knownHostsName})` });
    },
  });
  const marks = r.stdout.filter((l) => l.startsWith(MARK)).map((l) => l.slice(MARK.length + 1));
  if (r.timedOut || (!r.ok && marks.length === 0)) {
    const { detail, reason } = r.timedOut
      ? { detail: `no answer from ${host} port ${w.ssh.port} within ${timeoutMs / 1000} s: a firewall drops the connection, or the address is wrong`, reason: 'timeout' }
      : failure(w, r.stderr, `ssh to ${host} failed (exit ${r.exitCode ?? r.signal})`);
    emit({ type: 'check', worker, name: 'ssh', status: 'failed', detail, ...(reason ? { reason } : {}) });
    return { ok: false, problems: [detail], ...(reason ? { reason } : {}) };
  }
  emit({ type: 'check', worker, name: 'ssh', status: 'ok', detail: local ? `the demo's local shell runs as ${w.target.user}` : `logged in as ${w.target.user} with the key` });
  const problems: string[] = [];
  for (const [i, dir] of dirs.entries()) {
    const state = marks.find((m) => m.startsWith('dir ') && m.endsWith(` ${dir}`))?.split(' ')[1];
    const name = pairs[i]!.dir;
    if (state === 'ok') emit({ type: 'check', worker, name, status: 'ok', detail: `${dir} exists and ${w.target.user} can write in it` });
    else {
      const detail =
        state === 'read-only'
          ? `${w.target.user} cannot write in ${dir} on ${host}: the ssh user must be the user that owns and runs API-M there`
          : `${dir} does not exist on ${host}: is the product home in syncTargets right? (the sync never creates it)`;
      emit({ type: 'check', worker, name, status: 'failed', detail });
      problems.push(detail);
    }
  }
  const rsync = marks.find((m) => m.startsWith('rsync '))?.slice('rsync '.length);
  if (rsync === undefined || rsync === 'missing') {
    const detail = `rsync is not installed on ${host}: install it there (apt-get install rsync, or yum install rsync)`;
    emit({ type: 'check', worker, name: 'rsync', status: 'failed', detail, reason: 'no-rsync' });
    problems.push(detail);
  } else {
    emit({ type: 'check', worker, name: 'rsync', status: 'ok', detail: rsync });
  }
  return { ok: problems.length === 0, problems };
}

export interface RsyncOutcome {
  ok: boolean;
  summary: Summary;
  detail?: string;
  /** The explanation id of a failure (see explain.ts). */
  reason?: string;
  exitCode?: number;
}

/** One pair to one worker: a dry run (the preview) or the real push with live progress. */
export async function rsyncPair(
  w: WorkerContext,
  pair: SyncPair,
  source: string,
  mode: { kind: 'dry-run' } | { kind: 'sync'; maxDelete: number },
): Promise<RsyncOutcome> {
  const dest = destination(w.target, pair);
  const refused = guardDestination(dest, pair);
  if (refused) return { ok: false, summary: emptySummary(), detail: refused };
  const summary = emptySummary();
  const phase = mode.kind === 'dry-run' ? 'preview' : 'sync';
  const other: string[] = [];
  // rsync reports progress about once per file: a screen needs a few updates a second, and the last.
  let shownAt = 0;
  const r = await w.runner.run('rsync', rsyncArgs(w.ssh, source, dest, mode), {
    signal: w.signal,
    keep: 50,
    onLine: (l) => {
      if (l.text.trim() === '') return;
      const progress = parseProgress(l.text);
      if (progress) {
        const now = Date.now();
        if (now - shownAt >= PROGRESS_EVERY_MS || progress.percent === 100) {
          shownAt = now;
          w.emit({ type: 'progress', worker: w.worker, dir: pair.dir, progress });
        }
        return;
      }
      const item = l.stream === 'stdout' ? parseItem(l.text) : undefined;
      if (item) {
        addItem(summary, item);
        w.emit({ type: 'item', worker: w.worker, dir: pair.dir, phase, item });
        return;
      }
      other.push(l.text);
      w.emit({ type: 'output', worker: w.worker, text: l.text });
    },
  });
  if (r.ok) return { ok: true, summary, exitCode: 0 };
  const { detail, reason } = r.aborted
    ? { detail: 'stopped (interrupted)', reason: 'interrupted' }
    : failure(w, [...other, ...r.stderr], `rsync to ${dest} failed (exit ${r.exitCode ?? r.signal})`, dest);
  return { ok: false, summary, detail, exitCode: r.exitCode, ...(reason ? { reason } : {}) };
}
