// Starting, stopping and asking about the node's server. A start runs `sh bin/wso2server.sh
// start` (workers add -Dprofile=gateway-worker) in a session of its own, so the server outlives
// the wizard and a Ctrl-C here never reaches it, then follows repository/logs/wso2carbon.log
// from where it ended and turns it into events: the screen and the headless verbs render the
// same stream. Following stops at readiness, at a failure, at the time-out, or when asked.
import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onPath, runProcess } from '../process.js';
import { prepareStateFolder } from '../../state/trust.js';
import { FileFollower, type FollowNote, type LogHistory } from './follow.js';
import { findJava } from './java.js';
import { serverPaths, type ServerPaths } from './paths.js';
import { startArgs, type ReleaseId } from '../../node/release.js';
import { busyPorts, listeningSockets, socketOwners, suggestOffset, type NodePort } from './ports.js';
import { preflight, type PreflightCheck } from './preflight.js';
import { pidAlive, productProcesses, readPid, runningServer } from './procs.js';
import { degradedAdvice, failureAdvice } from './advice.js';
import { StartupWatch, type Degraded, type Evidence, type FailReason, type LogLine, type Milestone, type Problem, type WatchEvent } from './watch.js';

export type ServerEvent =
  | { type: 'preflight'; checks: PreflightCheck[] }
  /** The command about to run, as an admin would type it; `at` is the start's clock time, from which the wait is counted. */
  | { type: 'command'; command: string; at?: number; timeoutMs?: number }
  /** What wso2server.sh itself printed. */
  | { type: 'output'; text: string }
  /** New log lines, in order, in batches (a burst arrives as few events). */
  | { type: 'lines'; lines: LogLine[] }
  | { type: 'milestone'; milestone: Milestone; line: LogLine; seconds?: number; url?: string; degraded?: Degraded }
  | { type: 'problem'; problem: Problem }
  | { type: 'note'; text: string };

export interface StartOutcome {
  status: 'ready' | 'failed' | 'preflight-failed' | 'already-running' | 'interrupted';
  /** One line: "ready in 57 s — console at https://…" or "failed: port 9443 is already in use". */
  headline: string;
  detail?: string;
  next?: string;
  reason?: FailReason | 'not-started';
  /** Seconds from the start command to the readiness line. */
  seconds?: number;
  /** Carbon's own "started in N sec". */
  carbonSeconds?: number;
  consoleUrl?: string;
  pid?: number;
  /** The log lines that matter, in groups, most important first. */
  evidence: Evidence[];
  /** Up (or on the way), but the same "… Retrying" warning keeps coming. */
  degraded?: Degraded;
  checks: PreflightCheck[];
}

export interface StartOptions {
  home: string;
  root?: string;
  role: string;
  /** Default 10 minutes. */
  timeoutMs?: number;
  /** How long to wait for "Mgt Console URL" after readiness. Default 5 s. */
  consoleGraceMs?: number;
  /** Added to the launcher's environment. */
  env?: Record<string, string | undefined>;
  /** Stops following (the server keeps starting). */
  signal?: AbortSignal;
  /** The clock the wait and its limit are counted on (Date.now; tests pass their own). */
  clock?: () => number;
  demo?: boolean;
  /** The `release` answer, when given: overrides what the product says (the start flags follow it). */
  release?: ReleaseId;
  onEvent(e: ServerEvent): void;
}

export interface ServerRun {
  done: Promise<StartOutcome>;
  /** Every line followed, read back on demand (the full-log view); readable until close(). */
  history: LogHistory;
  close(): Promise<void>;
}

const PROBE_MS = 250;
/** An entry is judged once the log has been quiet this long (its stack trace is complete). */
const QUIET_MS = 300;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function noteText(n: FollowNote): string {
  switch (n.kind) {
    case 'waiting':
      return `waiting for ${n.file} to appear`;
    case 'appeared':
      return `${n.file} appeared; following it`;
    case 'rotated':
      return `${n.file} was rotated; following the new file`;
    case 'truncated':
      return `${n.file} was truncated; following from its start`;
  }
}

/** Forwards what the watch makes of new lines: the lines as one batch, then what they mean. */
function forward(events: WatchEvent[], emit: (e: ServerEvent) => void): void {
  const lines: LogLine[] = [];
  for (const e of events) if (e.type === 'line') lines.push(e.line);
  if (lines.length) emit({ type: 'lines', lines });
  for (const e of events) if (e.type !== 'line') emit(e);
}

export function startServer(opts: StartOptions): ServerRun {
  const paths = serverPaths(opts.home, opts.root);
  let watch: StartupWatch | undefined;
  const pendingLines: string[][] = [];
  const follower = new FileFollower(paths.logFile, {
    onLines: (lines) => {
      if (watch) forward(watch.push(lines), opts.onEvent);
      else pendingLines.push(lines);
    },
    onNote: (n) => opts.onEvent({ type: 'note', text: noteText(n) }),
  });
  const done = runStart(opts, paths, follower, (w) => {
    watch = w;
    for (const lines of pendingLines.splice(0)) forward(w.push(lines), opts.onEvent);
  });
  return { done, history: follower.history, close: () => follower.close() };
}

/** Is any process of this start still there (the JVM by its pid file, or the launcher loop)? */
async function alive(paths: ServerPaths): Promise<boolean> {
  return (await runningServer(paths)) !== undefined || (await productProcesses(paths)).length > 0;
}

async function runStart(opts: StartOptions, paths: ServerPaths, follower: FileFollower, attach: (w: StartupWatch) => void): Promise<StartOutcome> {
  const emit = opts.onEvent;
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const clock = opts.clock ?? Date.now;
  const pre = await preflight({ paths, role: opts.role, demo: opts.demo, env: { ...process.env, ...opts.env }, root: opts.root, release: opts.release });
  emit({ type: 'preflight', checks: pre.checks });
  if (!pre.ok) {
    const failed = pre.checks.find((c) => c.status === 'fail')!;
    return {
      status: failed.id === 'running' && pre.running ? 'already-running' : 'preflight-failed',
      headline: `not started: ${failed.label}`,
      // The checks themselves were shown with the preflight event.
      detail: pre.checks.filter((c) => c.status === 'fail').length > 1 ? 'See the failed checks above.' : undefined,
      next: failed.detail,
      pid: pre.running?.pid,
      evidence: [],
      checks: pre.checks,
    };
  }
  if (opts.signal?.aborted) {
    return { status: 'interrupted', headline: 'stopped before starting: nothing was started', evidence: [], checks: pre.checks };
  }
  // A pid file naming a process that is gone, or not this server (the pid reused), makes the
  // script say "Process is already running" and start nothing: it goes first.
  const stale = await readPid(paths.pidFile);
  if (stale !== undefined) {
    await rm(paths.pidFile, { force: true });
    emit({ type: 'note', text: `removed a stale wso2carbon.pid (pid ${stale} is ${pidAlive(stale) ? 'another program' : 'gone'})` });
  }
  const watch = new StartupWatch(pre.ports);
  attach(watch);
  // Follow first, then start: no line of this start can be missed.
  await follower.start();
  const started = clock();
  // The preflight passed, so the release is known; the arguments are that release's (core/node/release.ts).
  const args = [paths.script, 'start', ...startArgs(pre.release!, opts.role as 'manager' | 'worker')];
  emit({ type: 'command', command: `sh ${args.join(' ')}`, at: started, timeoutMs });
  // setsid: the server gets a session of its own (no SIGINT from this terminal, no SIGHUP when it closes).
  const setsid = await onPath('setsid');
  const r = await runProcess(setsid ?? 'sh', setsid ? ['sh', ...args] : args, {
    cwd: paths.homeOnDisk,
    env: { ...opts.env, ...(pre.java ? { JAVA_HOME: pre.java.javaHome } : {}) },
    timeoutMs: 60_000,
    onLine: (l) => emit({ type: 'output', text: l.text }),
  });
  const said = [...r.stdout, ...r.stderr].join('\n');
  if (!r.ok || /Process is already running/.test(said)) {
    await follower.stop().catch(() => {});
    return {
      status: 'failed',
      reason: 'not-started',
      headline: 'failed: wso2server.sh start did not start the server',
      detail: r.startError ?? (r.ok ? `it said: ${said}` : `exit code ${r.exitCode ?? r.signal}${said ? `: ${said}` : ''}`),
      next: said.includes('JAVA_HOME') ? 'Set JAVA_HOME to a Java 8 JDK and start again.' : 'Read what the script printed (above) and start again.',
      evidence: [],
      checks: pre.checks,
    };
  }

  const outcome = await waitForVerdict(opts, paths, follower, watch, started, timeoutMs);
  await follower.stop().catch(() => {});
  return { ...outcome, checks: pre.checks };

  async function waitForVerdict(o: StartOptions, p: ServerPaths, f: FileFollower, w: StartupWatch, t0: number, limit: number): Promise<StartOutcome> {
    const grace = o.consoleGraceMs ?? 5000;
    let readyAt: number | undefined;
    /** The same moment on the start's clock (the seconds reported). */
    let readyClock: number | undefined;
    let goneOnce = false;
    let lastProbe = 0;
    for (;;) {
      if (o.signal?.aborted) {
        await f.drain();
        const running = await runningServer(p);
        return {
          status: 'interrupted',
          headline: 'stopped following the log; the server keeps starting in the background',
          detail: running ? `pid ${running.pid}` : undefined,
          next: `apim-gateway-wizard status tells when it is up; the log is ${p.logFile}`,
          pid: running?.pid,
          evidence: [],
          checks: [],
        };
      }
      if (Date.now() - f.lastData >= QUIET_MS) forward(w.flush(), emit);
      if (w.failure) return failed(w.failure.reason);
      if (w.readyInfo) {
        readyAt ??= Date.now();
        readyClock ??= clock();
        if (w.readyInfo.consoleUrl || Date.now() - readyAt >= grace) return ready(readyClock);
      }
      if (clock() - t0 > limit) {
        await f.drain();
        forward(w.flush(), emit);
        if (!w.failure && !w.readyInfo) w.timedOut();
        continue;
      }
      if (Date.now() - lastProbe >= 2 * PROBE_MS) {
        lastProbe = Date.now();
        if (!(await alive(p))) {
          // Gone: read what it wrote last before judging (twice, so a launcher between two processes is not mistaken).
          if (goneOnce) {
            await f.drain();
            forward(w.flush(), emit);
            if (w.readyInfo) return ready(readyClock ?? clock());
            w.gone();
            continue;
          }
          goneOnce = true;
        } else goneOnce = false;
      }
      await sleep(PROBE_MS / 5);
    }

    async function ready(at: number): Promise<StartOutcome> {
      const info = w.readyInfo!;
      const running = await runningServer(p);
      const seconds = Math.max(0, Math.round((at - t0) / 1000));
      const carbon = `Carbon: "WSO2 Carbon started in ${info.carbonSeconds} sec" (line ${info.line.n})${running ? `; pid ${running.pid}` : ''}`;
      const degraded = w.degraded ? degradedAdvice(w.degraded) : undefined;
      return {
        status: 'ready',
        headline: `ready in ${seconds} s${degraded ? ', degraded' : ''}${info.consoleUrl ? ` — console at ${info.consoleUrl}` : ''}`,
        detail: degraded ? `${carbon}. ${degraded.detail}` : carbon,
        next: degraded?.next,
        seconds,
        carbonSeconds: info.carbonSeconds,
        consoleUrl: info.consoleUrl,
        pid: running?.pid,
        evidence: w.degraded ? w.degradedEvidence() : [],
        degraded: w.degraded ? { ...w.degraded } : undefined,
        checks: [],
      };
    }

    async function failed(reason: FailReason): Promise<StartOutcome> {
      const fail = w.failure!;
      const running = await runningServer(p);
      let holder;
      let suggested: number | undefined;
      if (reason === 'port-in-use') {
        const listening = await listeningSockets();
        suggested = suggestOffset(pre.ports.map((x: NodePort) => x.base), new Set(listening.map((l) => l.port)), pre.offset);
        if (fail.port !== undefined) {
          const socket = (await busyPorts([fail.port])).get(fail.port);
          const owner = socket ? (await socketOwners(new Set([socket.inode]))).get(socket.inode) : undefined;
          // The server itself may hold it by now (the other address family); name only another program.
          if (owner && owner.pid !== running?.pid) holder = owner;
        }
      }
      const advice = failureAdvice(fail, { role: o.role, release: pre.release, ports: pre.ports, offset: pre.offset, pid: running?.pid, holder, suggestedOffset: suggested, timeoutMs: limit });
      return { status: 'failed', reason, ...advice, pid: running?.pid, evidence: fail.evidence, degraded: fail.degraded ? { ...fail.degraded } : undefined, checks: [] };
    }
  }
}

export interface StopOutcome {
  status: 'stopped' | 'not-running' | 'timeout' | 'failed';
  headline: string;
  next?: string;
  pid?: number;
  seconds?: number;
}

export interface StopOptions {
  home: string;
  root?: string;
  /** Default 2 minutes. */
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  onEvent(e: ServerEvent): void;
}

/** `wso2server.sh stop` (TERM to the pid in wso2carbon.pid), then waits until every process of the server is gone. */
export async function stopServer(opts: StopOptions): Promise<StopOutcome> {
  const paths = serverPaths(opts.home, opts.root);
  const running = await runningServer(paths);
  if (!running) {
    const launchers = await productProcesses(paths);
    if (launchers.length) {
      return {
        status: 'failed',
        headline: `a start is under way (pid ${launchers.map((l) => l.pid).join(', ')}) but Carbon has not written wso2carbon.pid yet`,
        next: 'Wait a few seconds and stop again.',
      };
    }
    return { status: 'not-running', headline: 'not running: nothing to stop' };
  }
  const watch = new StartupWatch();
  const follower = new FileFollower(paths.logFile, { onLines: (lines) => forward(watch.push(lines), opts.onEvent) });
  await follower.start();
  const t0 = Date.now();
  try {
    const args = [paths.script, 'stop'];
    opts.onEvent({ type: 'command', command: `sh ${args.join(' ')}` });
    // The script insists on JAVA_HOME even to stop; hand it the one preflight would find.
    const java = await findJava({ ...process.env, ...opts.env });
    const r = await runProcess('sh', args, {
      cwd: paths.homeOnDisk,
      env: { ...opts.env, ...('found' in java ? { JAVA_HOME: java.found.javaHome } : {}) },
      timeoutMs: 60_000,
      onLine: (l) => opts.onEvent({ type: 'output', text: l.text }),
    });
    if (!r.ok) {
      return { status: 'failed', headline: `wso2server.sh stop failed (exit code ${r.exitCode ?? r.signal})`, next: `Send TERM yourself: kill ${running.pid}`, pid: running.pid };
    }
    const limit = opts.timeoutMs ?? 120_000;
    while (Date.now() - t0 < limit) {
      if (!pidAlive(running.pid) && (await productProcesses(paths)).length === 0) {
        await follower.drain();
        forward(watch.flush(), opts.onEvent);
        const seconds = Math.round((Date.now() - t0) / 1000);
        return { status: 'stopped', headline: `stopped in ${seconds} s (pid ${running.pid} is gone)`, pid: running.pid, seconds };
      }
      await sleep(PROBE_MS);
    }
    return {
      status: 'timeout',
      headline: `still running ${Math.round(limit / 1000)} s after TERM (pid ${running.pid})`,
      next: `A shutdown hook may hang: the log says where. As a last resort: kill -KILL ${running.pid}`,
      pid: running.pid,
    };
  } finally {
    await follower.close();
  }
}

/** WSO2 asks to restart a worker once after its first start; this remembers that it was done. */
export function workerRestartMarker(paths: ServerPaths): string {
  return join(paths.state, 'worker-restarted');
}

export async function workerRestartPending(paths: ServerPaths): Promise<boolean> {
  return access(workerRestartMarker(paths)).then(() => false, () => true);
}

export async function markWorkerRestarted(paths: ServerPaths): Promise<void> {
  await prepareStateFolder(paths.state);
  await writeFile(workerRestartMarker(paths), `${new Date().toISOString()}\n`, { mode: 0o600 });
}

export { serverPaths };
