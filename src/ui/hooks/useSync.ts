// Step 3 on the manager's screen: drives core's runSync and turns its events into lines. Checks
// are shown when they start and replaced when they end; rsync's progress replaces one line per
// worker; the preview lists every path --delete would remove; the push waits for the admin's
// yes (a promise the screen resolves). Renders are batched (~20 a second) like the start's log.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useBatchedEvents } from './useBatchedEvents.js';
import type { Answers } from '../../core/answers/schema.js';
import type { InstallHint, SyncEvent, SyncStage, WorkerPreview } from '../../core/run/sync/events.js';
import { describeSummary, plural } from '../../core/run/sync/itemize.js';
import { deletions, runSync, type SyncResult } from '../../core/run/sync/session.js';
import type { DemoSync } from '../../core/run/sync/demo-shell.js';

export interface SyncLine {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  /** Wrapped on screen instead of cut at the edge (what went wrong and what to do). */
  wrap?: boolean;
  /** A failed check's or result's explanation id (key-refused, …): the finished screen says shared advice once. */
  reason?: string;
  /** A worker's result: the finished screen shows it in its own rows instead. */
  result?: boolean;
}

export interface SyncView {
  stage?: SyncStage;
  lines: SyncLine[];
  /** worker → its live progress line (rsync --info=progress2), replaced in place. */
  progress: Record<string, string>;
  /** Set while runSync waits for the admin: create the missing key, or push. */
  ask?: { kind: 'create-key'; path: string; command: string } | { kind: 'confirm'; previews: WorkerPreview[] };
  hint?: InstallHint;
  keyRefused: boolean;
  result?: SyncResult;
  /** The worker whose itemised lines are coming in. */
  pushing?: string;
}

const EMPTY: SyncView = { lines: [], progress: {}, keyRefused: false };
const MAX_LINES = 5000;

const CHECK_MARK = { running: { sign: '…', color: 'cyan' }, ok: { sign: '✔', color: 'green' }, warning: { sign: '!', color: 'yellow' }, failed: { sign: '✖', color: 'red' } } as const;

/** The preview of one worker: its summary line per directory, then every deletion, in red. */
export function previewLines(p: WorkerPreview): SyncLine[] {
  const out: SyncLine[] = [];
  const n = deletions(p);
  out.push({ text: `${p.worker}: ${n ? `--delete would remove ${plural(n, 'path')}` : 'nothing to delete'}`, bold: true, color: n ? 'red' : undefined, wrap: true });
  for (const { dir, summary } of p.pairs) {
    out.push({ text: `  ${dir}: ${describeSummary(summary)}`, wrap: true });
    for (const d of summary.deletions) out.push({ text: `    DELETE ${dir}${d}`, color: 'red', bold: true, wrap: true });
  }
  return out;
}

/** Folds events into the view (pure). `checkAt` remembers where a running check's line is, to replace it. */
export function foldSync(view: SyncView, events: readonly SyncEvent[], checkAt: Map<string, number>): SyncView {
  const v: SyncView = { ...view, lines: [...view.lines], progress: { ...view.progress } };
  for (const e of events) {
    switch (e.type) {
      case 'stage':
        v.stage = e.stage;
        v.lines.push({ text: e.title, bold: true });
        break;
      case 'check': {
        const key = `${e.worker ?? ''}|${e.name}`;
        const mark = CHECK_MARK[e.status];
        const line: SyncLine = { text: `${mark.sign} ${e.worker ? `${e.worker} ` : ''}${e.name}: ${e.detail}`, color: e.status === 'ok' ? undefined : mark.color, dim: e.status === 'running', wrap: e.status === 'failed' || e.status === 'warning', ...(e.reason ? { reason: e.reason } : {}) };
        const at = checkAt.get(key);
        if (at !== undefined && v.lines[at]) v.lines[at] = line;
        else {
          if (e.status === 'running') checkAt.set(key, v.lines.length);
          v.lines.push(line);
        }
        if (e.status !== 'running') checkAt.delete(key);
        if (e.reason === 'key-refused') v.keyRefused = true;
        break;
      }
      case 'key':
        v.lines.push({ text: `✔ key ${e.key.path} (${e.key.fingerprint})${e.key.created ? ': created now' : ''}` });
        if (e.key.created) v.keyRefused = true; // a new key is in no authorized_keys yet
        break;
      case 'key-missing':
        v.lines.push({ text: `✖ key ${e.path} does not exist (it can be made with: ${e.command})`, color: 'red', wrap: true });
        break;
      case 'install-key':
        v.hint = e.hint;
        break;
      case 'output':
        v.lines.push({ text: `  ${e.worker}: ${e.text}`, dim: true, wrap: true });
        break;
      case 'item':
        if (e.phase !== 'sync') break;
        // The worker once, above its items: its name is longer than most paths.
        if (v.pushing !== e.worker) v.lines.push({ text: `Pushing to ${e.worker}:`, bold: true, wrap: true });
        v.pushing = e.worker;
        v.lines.push({ text: `  ${e.item.code} ${e.dir}${e.item.path}`, color: e.item.kind === 'delete' ? 'red' : undefined, wrap: true });
        break;
      case 'preview':
        v.lines.push(...previewLines(e.preview));
        break;
      case 'progress':
        v.progress[e.worker] = `${e.worker} ${e.dir}: ${e.progress.percent}% · ${e.progress.bytes} bytes · ${e.progress.rate} · ${e.progress.time}`;
        break;
      case 'result':
        delete v.progress[e.worker];
        v.lines.push({ text: `${e.ok ? '✔' : '✖'} ${e.worker}: ${e.detail}`, color: e.ok ? 'green' : 'red', bold: true, wrap: true, result: true, ...(e.reason ? { reason: e.reason } : {}) });
        if (e.reason === 'key-refused') v.keyRefused = true;
        break;
    }
  }
  if (v.lines.length > MAX_LINES) {
    // Keep the newest; a line a running check will replace may have been dropped with them.
    const drop = v.lines.length - MAX_LINES;
    v.lines = v.lines.slice(drop);
    for (const [k, at] of checkAt) checkAt.set(k, at - drop);
  }
  return v;
}

export interface Sync {
  view: SyncView;
  running: boolean;
  start: () => void;
  /** The admin's answer to the open question (create the key / push). */
  answer: (yes: boolean) => void;
  /** Ctrl-C: stops what runs (rsync is ended; the next cron run starts over). false when idle. */
  abort: () => boolean;
}

/** `demo`: set only for the demo cluster (the wizard's --demo): its workers are reached by a local shell. */
export function useSync(answers: Answers | undefined, root: string | undefined, demo?: DemoSync): Sync {
  const checkAt = useRef(new Map<string, number>());
  const { view, emit, settle, setView, live } = useBatchedEvents<SyncEvent, SyncView>(EMPTY, (v, events) => foldSync(v, events, checkAt.current));
  const [running, setRunning] = useState(false);
  const resolver = useRef<((yes: boolean) => void) | undefined>(undefined);
  const ac = useRef<AbortController | undefined>(undefined);

  useEffect(
    () => () => {
      ac.current?.abort();
      resolver.current?.(false);
    },
    [],
  );

  const ask = useCallback(
    async (question: NonNullable<SyncView['ask']>): Promise<boolean> => {
      await settle();
      if (!live.current) return false;
      return new Promise<boolean>((resolve) => {
        resolver.current = resolve;
        setView((v) => ({ ...v, ask: question }));
      });
    },
    [settle],
  );

  const start = useCallback(() => {
    if (!answers || ac.current) return;
    const controller = new AbortController();
    ac.current = controller;
    checkAt.current = new Map();
    setView(() => EMPTY);
    setRunning(true);
    void (async () => {
      let result: SyncResult;
      try {
        result = await runSync(answers, {
          root,
          emit,
          ...(demo ? { demo } : {}),
          signal: controller.signal,
          // The demo's key stays in its sandbox and is used by no ssh: made without asking.
          createKey: demo ? true : (missing) => ask({ kind: 'create-key', ...missing }),
          confirm: (previews) => ask({ kind: 'confirm', previews }),
        });
      } catch (e) {
        result = { status: 'blocked', workers: [], problems: [(e as Error).message] };
      }
      await settle();
      ac.current = undefined;
      if (live.current) {
        setView((v) => ({ ...v, result, ask: undefined, progress: {} }));
        setRunning(false);
      }
    })();
  }, [answers, root, demo, emit, ask, settle]);

  const answer = useCallback((yes: boolean) => {
    const r = resolver.current;
    resolver.current = undefined;
    setView((v) => ({ ...v, ask: undefined }));
    r?.(yes);
  }, []);

  const abort = useCallback(() => {
    if (!ac.current) return false;
    resolver.current?.(false);
    resolver.current = undefined;
    ac.current.abort();
    return true;
  }, []);

  return { view, running, start, answer, abort };
}
