// Step 5: the server starting, live. The checks before the start, the command, the log as it
// is written (coloured by level: the whole log goes to the terminal's scrollback through
// <Static>, the last lines stay in the frame), then the verdict: ready with the console URL, or
// what failed, the lines that show it and what to do next. l switches to the full log, paged.
import { useEffect, useState } from 'react';
import { Box, Static, Text, useInput } from 'ink';
import Spinner from 'ink-spinner';
import { parseHeader } from '../../core/run/server/log-line.js';
import type { LogHistory, LogLine, PreflightCheck } from '../../core/run/server/index.js';
import { Paragraph, wrapWords } from '../components/Paragraph.js';
import { maxOffset, scrollTarget } from '../hooks/useScroll.js';
import type { StartView } from '../hooks/useServerStart.js';

export interface StartProps {
  view: StartView;
  history: LogHistory | undefined;
  running: boolean;
  role: 'manager' | 'worker';
  width: number;
  rows: number;
  onRun: (kind: 'start' | 'restart') => void;
  onKeys: (keys: string) => void;
  onQuit: () => void;
}

/**
 * A log line as the frame shows it: "12:33:41 INFO  StartupFinalizerServiceComponent WSO2 Carbon
 * started in 4 sec" instead of the file format, whose first 60 columns are the same on every
 * line. The scrollback and the full log keep the lines as written.
 */
export function compactLine(text: string): string {
  const h = parseHeader(text);
  if (!h) return text;
  return `${h.time.slice(11, 19)} ${h.level.padEnd(5)} ${h.logger.split('.').at(-1)} ${h.message}`;
}

const LEVEL_COLOR: Partial<Record<string, string>> = { FATAL: 'red', ERROR: 'red', WARN: 'yellow' };

function LogRow({ line, width, marked = false, compact = true }: { line: Pick<LogLine, 'text' | 'level' | 'n'>; width: number; marked?: boolean; compact?: boolean }) {
  const color = line.level ? LEVEL_COLOR[line.level] : undefined;
  const dim = line.level === 'DEBUG' || line.level === 'TRACE';
  const shown = compact ? compactLine(line.text) : line.text;
  const text = marked ? `${String(line.n).padStart(5)} ${shown}` : shown;
  return (
    <Box width={width}>
      <Text color={color} dimColor={dim} bold={marked} wrap="truncate-end">
        {text === '' ? ' ' : text}
      </Text>
    </Box>
  );
}

const MARK: Record<PreflightCheck['status'], { sign: string; color: string }> = {
  ok: { sign: '✔', color: 'green' },
  warn: { sign: '!', color: 'yellow' },
  fail: { sign: '✖', color: 'red' },
};

/** The checks: the ones that passed on one line, each warning or failure on its own with what to do. */
function checkLines(checks: PreflightCheck[], width: number): { rows: number; node: React.ReactNode } {
  if (checks.length === 0) return { rows: 1, node: <Text dimColor>Checking: launcher, Java, not running already, ports free…</Text> };
  const ok = checks.filter((c) => c.status === 'ok');
  const other = checks.filter((c) => c.status !== 'ok');
  let rows = ok.length ? 1 : 0;
  const details = other.map((c) => (c.detail ? wrapWords(c.detail, width - 4).length : 0));
  rows += other.length + details.reduce((a, b) => a + b, 0);
  return {
    rows,
    node: (
      <Box flexDirection="column">
        {ok.length ? (
          <Text wrap="truncate-end">
            <Text color="green">✔ </Text>
            {ok.map((c) => (c.id === 'script' ? 'launcher bin/wso2server.sh' : c.label)).join(' · ')}
          </Text>
        ) : null}
        {other.map((c) => (
          <Box key={c.id} flexDirection="column">
            <Text wrap="truncate-end">
              <Text color={MARK[c.status].color}>{`${MARK[c.status].sign} `}</Text>
              {c.label}
            </Text>
            {c.detail ? (
              <Paragraph width={width} indent={4} dimColor>
                {c.detail}
              </Paragraph>
            ) : null}
          </Box>
        ))}
      </Box>
    ),
  };
}

const EVIDENCE_MAX = 8;

interface Block {
  rows: number;
  node: React.ReactNode;
}

function paragraph(text: string, width: number, style: { color?: string; bold?: boolean; dimColor?: boolean } = {}, indent = 0): Block {
  return { rows: wrapWords(text, Math.max(10, width - indent)).length, node: <Paragraph width={width} indent={indent} {...style}>{text}</Paragraph> };
}

/** The verdict under the log: headline, detail, the lines that matter, the next step, the offer. */
function outcomeBlocks(view: StartView, width: number, room: number): Block[] {
  const o = view.outcome;
  const out: Block[] = [];
  if (view.stop && view.stop.status !== 'stopped' && view.stop.status !== 'not-running') {
    out.push(paragraph(`Stop: ${view.stop.headline}`, width, { color: 'red', bold: true }));
    if (view.stop.next) out.push(paragraph(`Next: ${view.stop.next}`, width));
    return out;
  }
  if (!o) return out;
  const color = o.status === 'ready' ? 'green' : o.status === 'interrupted' || o.status === 'already-running' ? 'yellow' : 'red';
  out.push(paragraph(o.headline, width, { color, bold: true }));
  if (o.detail) out.push(paragraph(o.detail, width, { dimColor: true }));
  if (o.evidence.length) {
    const fixed = out.reduce((n, b) => n + b.rows, 0) + (o.next ? wrapWords(`Next: ${o.next}`, width).length : 0) + 2;
    const fit = Math.max(1, Math.min(EVIDENCE_MAX, room - fixed));
    const shown = o.evidence.slice(0, fit);
    const more = o.evidence.length - shown.length;
    out.push({
      rows: 1 + shown.length + (more ? 1 : 0),
      node: (
        <Box flexDirection="column">
          <Text bold>The lines that matter:</Text>
          {shown.map((l) => (
            <LogRow key={l.n} line={l} width={width} marked />
          ))}
          {more ? <Text dimColor>{`  … and ${more} more (l shows the full log)`}</Text> : null}
        </Box>
      ),
    });
  }
  // Already running: the check above says so, and r offers what its advice says to type.
  if (o.next && o.status !== 'already-running') out.push(paragraph(`Next: ${o.next}`, width));
  if (o.status === 'already-running') out.push(paragraph('r restarts it (stop, then start) · q leaves it running', width, { color: 'cyan' }));
  if (o.status === 'ready' && view.firstStart) {
    out.push(paragraph('First start of this worker: WSO2 asks to restart a worker once after its first start. r restarts it now (stop, then start).', width, { color: 'cyan' }));
  }
  if (o.status === 'ready' && view.restartDone) out.push(paragraph('Restarted once after the first start, as WSO2 asks; the wizard remembers it.', width, { color: 'green' }));
  return out;
}

export function startKeys(view: StartView, running: boolean, full: boolean): string {
  const log = full ? '↑/↓ PgUp/PgDn Home/End scroll · l live tail' : 'l full log';
  if (running) return `${log} · Ctrl-C stop watching (the server keeps starting)`;
  const o = view.outcome;
  const restart = o?.status === 'already-running' || (o?.status === 'ready' && view.firstStart) ? ' · r restart' : '';
  return `${log}${restart} · Enter or q exit`;
}

/** The full log, paged; it starts at the newest lines and follows them until scrolled up. */
function FullLog({ history, count, width, rows }: { history: LogHistory | undefined; count: number; width: number; rows: number }) {
  const height = Math.max(1, rows - 1);
  const last = maxOffset(count, height);
  const [at, setAt] = useState<number | 'end'>('end');
  const offset = at === 'end' ? last : Math.min(at, last);
  const [page, setPage] = useState<string[]>([]);
  useInput((input, key) => {
    const next = scrollTarget(input, key, offset, count, height);
    // At the bottom it follows the newest lines again.
    if (next !== undefined) setAt(next >= last ? 'end' : next);
  });
  useEffect(() => {
    let live = true;
    if (!history) return;
    history.read(offset, height).then(
      (lines) => live && setPage(lines),
      () => live && setPage(['(the log of this run is closed)']),
    );
    return () => {
      live = false;
    };
  }, [history, offset, height, count]);
  const end = Math.min(count, offset + height);
  let level: string | undefined;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{`Full log: lines ${count ? offset + 1 : 0}–${end} of ${count}${at === 'end' ? ' (following the end)' : ''}`}</Text>
      {page.map((text, i) => {
        // A continuation line (a stack trace) keeps the colour of its entry.
        const header = parseHeader(text);
        if (header) level = header.level;
        return <LogRow key={offset + i} line={{ n: offset + i + 1, text, level: level as LogLine['level'] }} width={width} marked />;
      })}
    </Box>
  );
}

export function Start({ view, history, running, role, width, rows, onRun, onKeys, onQuit }: StartProps) {
  const [full, setFull] = useState(false);
  const keys = startKeys(view, running, full);
  useEffect(() => onKeys(keys), [keys, onKeys]);
  useInput((input, key) => {
    if (input === 'l') return setFull((f) => !f);
    if (full && key.escape) return setFull(false);
    if (running) return;
    const o = view.outcome;
    if (input === 'r' && (o?.status === 'already-running' || (o?.status === 'ready' && view.firstStart))) {
      setFull(false);
      return onRun('restart');
    }
    if (input === 'q' || (key.return && !full)) onQuit();
  });

  const name = role === 'worker' ? 'Gateway Worker' : 'Gateway Manager';
  const title = view.phase === 'stopping' ? `Stopping the ${name} first…` : view.phase === 'done' ? `The ${name}:` : `Starting the ${name}…`;
  const staticLog = (
    <Static key={view.staticGen} items={view.chunks} style={{ width }}>
      {(chunk) => (
        <Box key={chunk.id} flexDirection="column">
          {chunk.lines.map((l, i) => (
            <Text key={i} color={l.level ? LEVEL_COLOR[l.level] : undefined}>
              {l.text}
            </Text>
          ))}
        </Box>
      )}
    </Static>
  );

  if (full) {
    return (
      <Box flexDirection="column">
        {staticLog}
        <FullLog history={history} count={view.count} width={width} rows={rows} />
      </Box>
    );
  }

  const checks = checkLines(view.checks, width);
  // What the script printed and the follower's notes matter until the log itself speaks.
  const said = view.count === 0 ? view.said.slice(-2) : [];
  const aborted = view.aborted && running ? paragraph('Ctrl-C: no longer watching the log. The server keeps starting in the background.', width, { color: 'yellow' }) : undefined;
  const head = 1 + checks.rows + (view.command ? 1 : 0) + said.length + 1 + (aborted?.rows ?? 0);
  const blocks = outcomeBlocks(view, width, rows - head - 2);
  const blockRows = blocks.reduce((n, b) => n + b.rows, 0);
  const tailRows = Math.max(0, rows - head - blockRows);
  const tail = tailRows > 0 ? view.tail.slice(-tailRows) : [];
  return (
    <Box flexDirection="column">
      {staticLog}
      <Text bold wrap="truncate-end">
        {running ? (
          <Text color="cyan">
            <Spinner type="dots" />{' '}
          </Text>
        ) : null}
        {title}
      </Text>
      {checks.node}
      {view.command ? (
        <Text dimColor wrap="truncate-middle">{`$ ${view.command}`}</Text>
      ) : null}
      {said.map((s, i) => (
        <Text key={i} dimColor wrap="truncate-end">{`  ${s}`}</Text>
      ))}
      <Text dimColor wrap="truncate-end">{`── log: ${view.count} line${view.count === 1 ? '' : 's'}${view.count > tail.length ? ` (last ${tail.length} shown; l: the full log)` : ''} ${'─'.repeat(width)}`}</Text>
      {/* Keyed by row: a restart's stop and start number their lines from 1 each. */}
      {tail.map((l, i) => (
        <LogRow key={i} line={l} width={width} />
      ))}
      {aborted?.node}
      {blocks.map((b, i) => (
        <Box key={i}>{b.node}</Box>
      ))}
    </Box>
  );
}

