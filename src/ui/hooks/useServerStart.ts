// Step 5 on screen: drives core's startServer (and stopServer for a restart) and turns its
// events into what the start screen draws. Events arrive in bursts (a start-up writes hundreds
// of lines a second); they are collected and handed to React at most ~20 times a second. The
// log lines go two ways: every batch to <Static> (the terminal's scrollback keeps the whole log)
// and the last few to a capped tail drawn inside the frame. The wait is counted on the start's
// clock (injectable): the view keeps when the command ran and reads the clock once a second.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useBatchedEvents } from './useBatchedEvents.js';
import type { ReleaseId } from '../../core/node/release.js';
import {
  markWorkerRestarted,
  serverPaths,
  startServer,
  stopServer,
  workerRestartPending,
  type Degraded,
  type LogHistory,
  type LogLine,
  type PreflightCheck,
  type ServerEvent,
  type ServerRun,
  type StartOutcome,
  type StopOutcome,
} from '../../core/run/server/index.js';

/** Renders per second at most while lines pour in. */
/** Log lines kept for the tail inside the frame. */
export const TAIL_CAP = 200;
/** Batches kept for <Static> before it starts a new generation (the printed ones are not needed again). */
const STATIC_CAP = 100;

export interface StaticChunk {
  id: number;
  lines: LogLine[];
}

export type StartPhase = 'idle' | 'stopping' | 'starting' | 'done';

export interface StartView {
  phase: StartPhase;
  /** What is being done: "start", "restart" (stop, then start). */
  kind: 'start' | 'restart';
  checks: PreflightCheck[];
  command?: string;
  /** What wso2server.sh printed, and the follower's notes. */
  said: string[];
  tail: LogLine[];
  /** Log lines seen in this run. */
  count: number;
  outcome?: StartOutcome;
  stop?: StopOutcome;
  /** A worker before its first start: WSO2 asks to restart it once after it. */
  firstStart: boolean;
  /** This run was the restart after a worker's first start; recorded when it came up. */
  restartDone: boolean;
  /** The follow was aborted (Ctrl-C): the server keeps starting. */
  aborted: boolean;
  /** For <Static>: a new generation remounts it with only the chunks not printed yet. */
  staticGen: number;
  chunks: StaticChunk[];
  /** When the start command ran and how long it will be waited for, on the start's clock. */
  startedAt?: number;
  timeoutMs?: number;
  /** The start's clock, read about once a second while waiting (elapsed = now - startedAt). */
  now?: number;
  /** The same "… Retrying" warning came again: up, or on the way, but degraded. */
  degraded?: Degraded;
}

export interface ServerStartOptions {
  home: string;
  root?: string;
  role: 'manager' | 'worker';
  demo: boolean;
  /** The `release` answer, when given (the start flags follow it). */
  release?: ReleaseId;
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  /** The clock the wait is counted on (Date.now; tests pass their own and move it). */
  clock?: () => number;
}

export interface ServerStart {
  view: StartView;
  /** The log of the current run, for the paged full-log view (undefined before the follow starts). */
  history: LogHistory | undefined;
  /** Starts; `restart` stops the running server first (already running, or the worker's restart). */
  run: (kind: 'start' | 'restart') => void;
  /** Ctrl-C: stops following (the server keeps starting). false when nothing was running. */
  abort: () => boolean;
  running: boolean;
}

const initial: StartView = {
  phase: 'idle',
  kind: 'start',
  checks: [],
  said: [],
  tail: [],
  count: 0,
  firstStart: false,
  restartDone: false,
  aborted: false,
  staticGen: 0,
  chunks: [],
};

/** Merges a burst of events into the view (pure: the tests feed it directly). */
export function applyEvents(view: StartView, events: readonly ServerEvent[], nextId: () => number): StartView {
  if (events.length === 0) return view;
  const v: StartView = { ...view };
  const batch: LogLine[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'preflight':
        v.checks = e.checks;
        break;
      case 'command':
        v.command = e.command;
        if (e.at !== undefined) {
          v.startedAt = e.at;
          v.now = e.at;
        }
        if (e.timeoutMs !== undefined) v.timeoutMs = e.timeoutMs;
        break;
      case 'output':
        v.said = [...v.said, `wso2server.sh: ${e.text}`].slice(-5);
        break;
      case 'note':
        v.said = [...v.said, e.text].slice(-5);
        break;
      case 'lines':
        batch.push(...e.lines);
        break;
      case 'milestone':
        if (e.milestone === 'degraded' && e.degraded) v.degraded = e.degraded;
        // The others show through the lines themselves and the outcome.
        break;
      case 'problem':
        break;
    }
  }
  if (batch.length) {
    v.count = view.count + batch.length;
    v.tail = [...view.tail, ...batch].slice(-TAIL_CAP);
    const chunk = { id: nextId(), lines: batch };
    if (view.chunks.length >= STATIC_CAP) {
      v.staticGen = view.staticGen + 1;
      v.chunks = [chunk];
    } else v.chunks = [...view.chunks, chunk];
  }
  return v;
}

export function useServerStart(opts: ServerStartOptions): ServerStart {
  const ids = useRef(0);
  const { view, emit: onEvent, settle, setView, live } = useBatchedEvents<ServerEvent, StartView>(initial, (v, events) => applyEvents(v, events, () => ++ids.current));
  const [history, setHistory] = useState<LogHistory>();
  const [running, setRunning] = useState(false);
  const abortRef = useRef<AbortController | undefined>(undefined);
  const runRef = useRef<ServerRun | undefined>(undefined);
  const busy = useRef(false);
  const optsRef = useRef(opts);
  optsRef.current = opts;

  useEffect(
    () => () => {
      abortRef.current?.abort();
      void runRef.current?.close();
    },
    [],
  );

  // While waiting, the elapsed time is redrawn once a second; its value is the start's clock.
  const waiting = running && view.phase === 'starting' && view.startedAt !== undefined;
  useEffect(() => {
    if (!waiting) return;
    const tick = setInterval(() => {
      const now = (optsRef.current.clock ?? Date.now)();
      setView((v) => (v.now === now ? v : { ...v, now }));
    }, 1000);
    return () => clearInterval(tick);
  }, [waiting, setView]);

  const run = useCallback(
    (kind: 'start' | 'restart') => {
      if (busy.current) return;
      busy.current = true;
      setRunning(true);
      const o = optsRef.current;
      const paths = serverPaths(o.home, o.root);
      void (async () => {
        try {
          const firstStart = o.role === 'worker' && (await workerRestartPending(paths));
          setView((v) => ({ ...initial, staticGen: v.staticGen + 1, kind, firstStart, phase: kind === 'restart' ? 'stopping' : 'starting' }));
          let stopped: StopOutcome | undefined;
          if (kind === 'restart') {
            stopped = await stopServer({ home: o.home, root: o.root, env: o.env, onEvent });
            await settle();
            if (stopped.status !== 'stopped' && stopped.status !== 'not-running') {
              if (live.current) setView((v) => ({ ...v, phase: 'done', stop: stopped }));
              return;
            }
            if (live.current) setView((v) => ({ ...v, stop: stopped, phase: 'starting' }));
          }
          const previous = runRef.current;
          runRef.current = undefined;
          await previous?.close();
          const ac = new AbortController();
          abortRef.current = ac;
          const started = startServer({ home: o.home, root: o.root, role: o.role, demo: o.demo, release: o.release, timeoutMs: o.timeoutMs, env: o.env, clock: o.clock, signal: ac.signal, onEvent });
          runRef.current = started;
          if (live.current) setHistory(started.history);
          const outcome = await started.done;
          await settle();
          // A restart of a worker waiting for it is the restart WSO2 asks for after the first start.
          const restartDone = outcome.status === 'ready' && firstStart && stopped?.status === 'stopped';
          if (restartDone) await markWorkerRestarted(paths);
          if (live.current) setView((v) => ({ ...v, phase: 'done', outcome, restartDone, firstStart: firstStart && !restartDone }));
        } catch (e) {
          await settle();
          const outcome: StartOutcome = { status: 'failed', headline: `failed: ${(e as Error).message}`, evidence: [], checks: [] };
          if (live.current) setView((v) => ({ ...v, phase: 'done', outcome }));
        } finally {
          abortRef.current = undefined;
          busy.current = false;
          if (live.current) setRunning(false);
        }
      })();
    },
    [onEvent, settle, setView, live],
  );

  const abort = useCallback(() => {
    if (!busy.current) return false;
    if (abortRef.current && !abortRef.current.signal.aborted) {
      abortRef.current.abort();
      setView((v) => ({ ...v, aborted: true }));
    }
    return true;
  }, [setView]);

  return { view, history, run, abort, running };
}
