// `cluster review`: the whole cluster's check in one screen, then its apply followed live. One
// store (state.ts) takes every key, event and result in order; the runs it asks for (the check,
// the apply) are started here, and their events reach it in batches, one render period apart.
import { basename } from 'node:path';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Text, useApp, useInput } from 'ink';
import { managerPushes, type Cluster } from '../../core/cluster/derive.js';
import type { ProgressEvent } from '../../core/cluster/progress.js';
import type { NodeOutcome } from '../../core/cluster/results.js';
import type { ApplyChoices, ClusterApplied as Applied } from '../../core/cluster/run.js';
import { Frame, frameChrome } from '../components/Frame.js';
import { nodeDiffLines } from './node-diff.js';
import { RENDER_MS } from '../hooks/useBatchedEvents.js';
import { useTerminalSize, type TerminalSize } from '../hooks/useTerminalSize.js';
import type { Interrupts } from '../App.js';
import { ClusterApplied, ClusterApplying, appliedRows } from './ClusterApplying.js';
import { ClusterReview, diffHeading } from './ClusterReview.js';
import { applyBlocker, clusterReducer, initialClusterState, type ClusterAction, type ClusterState, type ScrollRoom } from './state.js';
import { Paragraph, paragraphRows } from '../components/Paragraph.js';

/** The two runs, over Ansible (core/cluster/run.ts); tests hand in their own to drive the screens. */
export interface ClusterRuns {
  check: (signal: AbortSignal) => Promise<NodeOutcome[]>;
  apply: (onEvent: (e: ProgressEvent) => void) => Promise<Applied>;
}

export interface ClusterAppProps {
  cluster: Cluster;
  file: string;
  choices: ApplyChoices;
  runs: ClusterRuns;
  size?: TerminalSize;
  interrupts?: Interrupts;
  onExit: (code: number) => void;
}

function keysOf(s: ClusterState, outcomes: NodeOutcome[] | undefined, start: boolean): string {
  switch (s.phase) {
    case 'checking':
      return 'q quit';
    case 'check-failed':
      return 'r check again · q quit';
    case 'review': {
      const pending = outcomes?.some((o) => o.state === 'pending');
      const act = applyBlocker(s.outcomes) ? '' : pending ? (start ? 'a apply and start' : 'a apply') : start ? 'a start (nothing to write)' : '';
      const common = [act, 'r check again', 'q quit'].filter(Boolean).join(' · ');
      return s.diff ? `↑/↓ PgUp/PgDn scroll · Tab next node · Esc back to the nodes · ${common}` : `↑/↓ node · Enter its diffs · ${common}`;
    }
    case 'applying':
      return 'the apply runs to its end';
    case 'applied':
      return '↑/↓ scroll · r check again · q quit';
  }
}

export function ClusterApp({ cluster, file, choices, runs, size, interrupts, onExit }: ClusterAppProps) {
  const term = useTerminalSize(size);
  const { exit } = useApp();
  const width = Math.min(term.columns, 100);
  const reduce = useMemo(() => clusterReducer(cluster.nodes), [cluster]);
  const store = useRef<ClusterState>(initialClusterState);
  const [state, setState] = useState<ClusterState>(initialClusterState);
  // A quit with nothing else to draw still needs the render after which it exits.
  const [, redraw] = useState(0);
  const room = useRef<ScrollRoom>({ diffRows: 1, diffLength: () => 0, appliedRows: 1, appliedLength: 0 });
  const abort = useRef<AbortController | undefined>(undefined);
  const quitCode = useRef<number | undefined>(undefined);
  const exited = useRef(false);
  const queued = useRef<ProgressEvent[]>([]);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const runsRef = useRef(runs);
  runsRef.current = runs;

  // Reduced at once against the latest state; React only draws the result.
  const dispatch = useCallback(
    (a: ClusterAction) => {
      const r = reduce(store.current, a);
      store.current = r.state;
      setState(r.state);
      for (const e of r.effects) {
        // Quit after the state it came with is drawn: the screen left on the terminal is the verdict.
        if (e.type === 'quit') {
          quitCode.current ??= e.code;
          redraw((n) => n + 1);
        }
        else if (e.type === 'abort-check') abort.current?.abort();
        else if (e.type === 'check') startCheck();
        else startApply();
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [reduce],
  );
  const flush = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = undefined;
    const events = queued.current.splice(0);
    if (events.length) dispatch({ type: 'events', events });
  };
  function startCheck() {
    const controller = new AbortController();
    abort.current = controller;
    runsRef.current.check(controller.signal).then(
      (outcomes) => dispatch({ type: 'checked', outcomes }),
      (e: unknown) => dispatch({ type: 'check-error', error: (e as Error).message }),
    );
  }
  function startApply() {
    runsRef.current
      .apply((e) => {
        queued.current.push(e);
        timer.current ??= setTimeout(flush, RENDER_MS);
      })
      .then(
        (applied) => {
          // Every event before the verdict: the log ends with the playbook's last line.
          flush();
          dispatch({ type: 'applied', applied });
        },
        (e: unknown) => {
          flush();
          dispatch({ type: 'applied', applied: { ok: false, progress: store.current.phase === 'applying' ? store.current.progress : { nodes: [], finished: false }, exit: (e as Error).message, stderr: [] } });
        },
      );
  }
  useEffect(() => {
    startCheck();
    return () => {
      abort.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (quitCode.current === undefined || exited.current) return;
    exited.current = true;
    onExit(quitCode.current);
    exit();
  });

  useInput((input, key) => {
    if (key.ctrl && input === 'c') dispatch({ type: 'interrupt' });
    else dispatch({ type: 'key', input, key, room: room.current });
  });
  useEffect(() => {
    const interrupt = () => dispatch({ type: 'interrupt' });
    interrupts?.on('interrupt', interrupt);
    return () => {
      interrupts?.off('interrupt', interrupt);
    };
  }, [interrupts, dispatch]);

  const outcomes = state.phase === 'review' ? state.outcomes : undefined;
  const keys = keysOf(state, outcomes, choices.start);
  const body = term.rows - 1 - frameChrome(undefined, keys, width);
  const frame = (title: string, content: React.ReactNode) => (
    <Frame screen={`${title} · ${basename(file)}`} keys={keys} width={width} height={term.rows - 1} size={term}>
      {content}
    </Frame>
  );

  switch (state.phase) {
    case 'checking':
      return frame(
        'Cluster review',
        <Paragraph width={width}>
          {state.quitting
            ? 'Stopping the check…'
            : `Checking ${cluster.nodes.length} nodes at once over Ansible (check mode: each node plans; nothing is written there but the wizard itself)…`}
        </Paragraph>,
      );
    case 'check-failed':
      return frame(
        'Cluster review',
        <Paragraph width={width} color="red" hang="✖ ">
          {`The check could not run: ${state.error}`}
        </Paragraph>,
      );
    case 'review': {
      const node = state.outcomes[state.selected]!;
      const lines = nodeDiffLines(node, width);
      const diffRows = Math.max(3, body - paragraphRows(diffHeading(node), width).length);
      room.current = { ...room.current, diffRows: lines.length > diffRows ? diffRows - 1 : diffRows, diffLength: (i) => nodeDiffLines(state.outcomes[i]!, width).length };
      return frame(
        'Cluster review',
        <ClusterReview outcomes={state.outcomes} selected={state.selected} note={state.note} width={width} rows={body} {...(state.diff ? { diff: { offset: state.diff.offset, lines, rows: diffRows } } : {})} />,
      );
    }
    case 'applying':
      return frame('Cluster apply', <ClusterApplying progress={state.progress} log={state.log} start={choices.start} pushes={managerPushes(cluster)} quitting={state.quitting} width={width} rows={body} />);
    case 'applied': {
      const rows = appliedRows(state.applied, choices.start, width);
      room.current = { ...room.current, appliedRows: rows.length > body ? body - 1 : body, appliedLength: rows.length };
      return frame('Cluster apply', state.applied.progress.nodes.length ? <ClusterApplied rows={rows} offset={state.offset} height={body} /> : <Text color="red">{`The apply could not run: ${state.applied.exit}`}</Text>);
    }
  }
}
