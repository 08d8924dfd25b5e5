// Step 5: the server starting, live. The checks before the start, the command, the log as it
// is written (coloured by level: the whole log goes to the terminal's scrollback through
// <Static>, the last lines stay in the frame), how long it has been waited for and the limit,
// then the verdict: ready with the console URL (or ready but degraded), or what failed, the
// lines that show it and what to do next. l switches to the full log, paged.
// The frame never grows past its rows: each part is measured in rows and, when they do not all
// fit, the most important ones are kept (the verdict, the deciding entry, the next step) and
// the live tail gives way first.
import { useEffect, useState } from 'react';
import { Box, Static, Text, useInput } from 'ink';
import Spinner from 'ink-spinner';
import { degradedAdvice } from '../../core/run/server/advice.js';
import { displayText, parseHeader } from '../../core/run/server/log-line.js';
import { waitingText, type Evidence, type LogHistory, type LogLine, type PreflightCheck } from '../../core/run/server/index.js';
import { wrapLog, wrapWords } from '../components/wrap.js';
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
 * line; made safe for the terminal (displayText). The scrollback and the full log keep the
 * lines as written.
 */
export function compactLine(text: string): string {
  const h = parseHeader(text);
  if (!h) return displayText(text);
  return displayText(`${h.time.slice(11, 19)} ${h.level.padEnd(5)} ${h.logger.split('.').at(-1)} ${h.message}`);
}

const LEVEL_COLOR: Partial<Record<string, string>> = { FATAL: 'red', ERROR: 'red', WARN: 'yellow' };

/** One row of the frame: at most `width` characters, already wrapped. */
interface Row {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

const levelStyle = (l: Pick<LogLine, 'level'>): Omit<Row, 'text'> => ({
  color: l.level ? LEVEL_COLOR[l.level] : undefined,
  dim: l.level === 'DEBUG' || l.level === 'TRACE',
});

/** A log line's rows: numbered ("  57 …") when `numbered`, continuation rows under the text. */
function lineRows(line: Pick<LogLine, 'text' | 'level' | 'n'>, width: number, numbered: boolean): Row[] {
  const gutter = numbered ? `${String(line.n).padStart(5)} ` : '';
  const text = wrapLog(compactLine(line.text), width - gutter.length);
  return text.map((t, i) => ({ text: (i === 0 ? gutter : ' '.repeat(gutter.length)) + t, ...levelStyle(line) }));
}

function prose(text: string, width: number, style: Omit<Row, 'text'> = {}, indent = 0): Row[] {
  const pad = ' '.repeat(indent);
  return wrapWords(text, Math.max(10, width - indent)).map((t) => ({ text: pad + t, ...style }));
}

/**
 * What a part shows in at most `max` rows: all of it, a shorter form, or nothing. Parts are
 * given rows in order of `priority` (1 first) and drawn in order of `order`.
 */
interface Part {
  order: number;
  priority: number;
  fit: (max: number) => Row[];
}

const whole = (rows: Row[]) => (max: number) => (rows.length <= max ? rows : []);

/** Lays the parts out in `rows`: the most important first, each in the room the ones before it left. */
export function layout(parts: readonly Part[], rows: number): Row[] {
  const given = new Map<Part, Row[]>();
  let left = rows;
  for (const p of [...parts].sort((a, b) => a.priority - b.priority)) {
    const r = left > 0 ? p.fit(left) : [];
    given.set(p, r);
    left -= r.length;
  }
  return [...parts].sort((a, b) => a.order - b.order).flatMap((p) => given.get(p)!);
}

/**
 * A group of evidence in `max` rows: its title, then whole lines; of 'last' the end is kept,
 * of the others the beginning, and the title says how many lines are not shown.
 */
function evidenceFit(e: Evidence, width: number): (max: number) => Row[] {
  const lines = e.lines.map((l) => lineRows(l, width, true));
  const frames = e.framesLeftOut ? prose(`(${e.framesLeftOut} stack frame${e.framesLeftOut === 1 ? '' : 's'} left out: l shows the full log)`, width, { dim: true }, 6) : [];
  const shortTitle = (kept: number, hidden: number) =>
    e.kind === 'last'
      ? `${e.title.replace(/:$/, '')}, the last ${kept} (↑ ${hidden} more: l shows the full log):`
      : `${e.title.replace(/:$/, '')} (↓ ${hidden} more line${hidden === 1 ? '' : 's'}: l shows the full log):`;
  const titleRows = (t: string) => wrapLog(t, width, 2).map((text) => ({ text, bold: true }));
  return (max) => {
    const total = lines.reduce((n, r) => n + r.length, 0);
    const full = titleRows(e.title);
    if (full.length + total + frames.length <= max) return [...full, ...lines.flat(), ...frames];
    if (full.length + total <= max) return [...full, ...lines.flat()];
    // Shortened: the title says how many lines are left out (counted at the most digits, so its rows do not grow).
    const budget = max - titleRows(shortTitle(lines.length, lines.length)).length;
    const kept: Row[][] = [];
    let used = 0;
    for (const r of e.kind === 'last' ? [...lines].reverse() : lines) {
      if (used + r.length > budget) break;
      kept.push(r);
      used += r.length;
    }
    if (kept.length === 0) return [];
    if (e.kind === 'last') kept.reverse();
    return [...titleRows(shortTitle(kept.length, lines.length - kept.length)), ...kept.flat()];
  };
}

const MARK: Record<PreflightCheck['status'], { sign: string; color: string }> = {
  ok: { sign: '✔', color: 'green' },
  warn: { sign: '!', color: 'yellow' },
  fail: { sign: '✖', color: 'red' },
};

/** The checks: the ones that passed on one line, each warning or failure on its own with what to do; short of rows, one line. */
function checksFit(checks: PreflightCheck[], width: number): (max: number) => Row[] {
  if (checks.length === 0) return whole(prose('Checking: launcher, Java, not running already, ports free…', width, { dim: true }));
  const ok = checks.filter((c) => c.status === 'ok');
  const other = checks.filter((c) => c.status !== 'ok');
  const okRows = ok.length ? prose(`${MARK.ok.sign} ${ok.map((c) => (c.id === 'script' ? 'launcher bin/wso2server.sh' : c.label)).join(' · ')}`, width, { color: 'green' }) : [];
  const otherRows = other.flatMap((c) => [
    ...wrapWords(`${MARK[c.status].sign} ${c.label}`, width).map((text) => ({ text, color: MARK[c.status].color })),
    ...(c.detail ? prose(c.detail, width, { dim: true }, 4) : []),
  ]);
  const all = [...okRows, ...otherRows];
  const counts = [ok.length && `${ok.length} passed`, other.filter((c) => c.status === 'warn').length && `${other.filter((c) => c.status === 'warn').length} warned`, other.filter((c) => c.status === 'fail').length && `${other.filter((c) => c.status === 'fail').length} failed`].filter(Boolean).join(', ');
  const short: Row = { text: `Checks: ${counts}`, color: other.some((c) => c.status === 'fail') ? 'red' : other.length ? 'yellow' : 'green' };
  return (max) => (all.length <= max ? all : max >= 1 ? [short] : []);
}

/** The live tail: a header line, then the newest lines (wrapped) in the rows left. */
function tailFit(view: StartView, width: number): (max: number) => Row[] {
  return (max) => {
    // A header over no line says nothing: both, or neither.
    if (max < 2 && view.tail.length) return [];
    if (max < 1) return [];
    const rows: Row[] = [];
    let shown = 0;
    for (let i = view.tail.length - 1; i >= 0 && rows.length < max - 1; i--) {
      const r = lineRows(view.tail[i]!, width, false);
      if (rows.length + r.length > max - 1) break;
      rows.unshift(...r);
      shown++;
    }
    const count = `── log: ${view.count} line${view.count === 1 ? '' : 's'}${view.count > shown ? ` (last ${shown} shown; l: the full log)` : ''} `;
    return [{ text: (count + '─'.repeat(width)).slice(0, width), dim: true }, ...rows];
  };
}

/** The verdict: headline, detail, the lines that matter, the next step, the offer. */
function outcomeParts(view: StartView, width: number): Part[] {
  const o = view.outcome;
  const parts: Part[] = [];
  if (view.stop && view.stop.status !== 'stopped' && view.stop.status !== 'not-running') {
    parts.push({ order: 50, priority: 1, fit: whole(prose(`Stop: ${view.stop.headline}`, width, { color: 'red', bold: true })) });
    if (view.stop.next) parts.push({ order: 51, priority: 2, fit: whole(prose(`Next: ${view.stop.next}`, width)) });
    return parts;
  }
  if (!o) return parts;
  const color = o.status === 'ready' && !o.degraded ? 'green' : o.status === 'ready' || o.status === 'interrupted' || o.status === 'already-running' ? 'yellow' : 'red';
  parts.push({ order: 50, priority: 1, fit: whole(prose(o.headline, width, { color, bold: true })) });
  // What to do and why come right after the headline in importance, then the groups of evidence in their order (the first takes the rows left).
  if (o.detail) parts.push({ order: 51, priority: 3, fit: whole(prose(o.detail, width, { dim: true })) });
  if (o.next && o.status !== 'already-running') parts.push({ order: 80, priority: 2, fit: whole(prose(`Next: ${o.next}`, width)) });
  o.evidence.forEach((e, i) => parts.push({ order: 60 + i, priority: i === 0 ? 4 : 6 + i, fit: evidenceFit(e, width) }));
  const offer = (text: string, c = 'cyan') => parts.push({ order: 81, priority: 2, fit: whole(prose(text, width, { color: c })) });
  if (o.status === 'already-running') offer('r restarts it (stop, then start) · q leaves it running');
  if (o.status === 'ready' && view.firstStart) offer('First start of this worker: WSO2 asks to restart a worker once after its first start. r restarts it now (stop, then start).');
  if (o.status === 'ready' && view.restartDone) offer('Restarted once after the first start, as WSO2 asks; the wizard remembers it.', 'green');
  return parts;
}

/** The parts of the frame under its title, in the order drawn. */
function startParts(view: StartView, running: boolean, width: number): Part[] {
  const parts: Part[] = [
    { order: 10, priority: 20, fit: checksFit(view.checks, width) },
    // The tail gives way to everything else.
    { order: 40, priority: 90, fit: tailFit(view, width) },
  ];
  if (view.command) {
    const command = wrapLog(`$ ${view.command}`, width, 4).map((text) => ({ text, dim: true }));
    parts.push({ order: 20, priority: 21, fit: (max) => (command.length <= max ? command : []) });
  }
  // What the script printed and the follower's notes matter until the log itself speaks.
  if (view.count === 0) {
    const said = view.said.slice(-2).flatMap((s) => wrapLog(`  ${displayText(s)}`, width, 4).map((text) => ({ text, dim: true })));
    parts.push({ order: 30, priority: 4, fit: whole(said) });
  }
  if (view.phase !== 'done' && view.degraded) {
    const d = degradedAdvice(view.degraded);
    parts.push({ order: 45, priority: 2, fit: whole(prose(d.detail, width, { color: 'yellow' })) });
    parts.push({ order: 46, priority: 6, fit: whole(prose(d.next, width, { dim: true })) });
  }
  if (view.aborted && running) {
    parts.push({ order: 47, priority: 1, fit: whole(prose('Ctrl-C: no longer watching the log. The server keeps starting in the background.', width, { color: 'yellow' })) });
  }
  return [...parts, ...outcomeParts(view, width)];
}

/** The title row's words: what is happening, and while waiting how long of how long. */
export function startTitle(view: StartView, role: 'manager' | 'worker'): string {
  const name = role === 'worker' ? 'Gateway Worker' : 'Gateway Manager';
  if (view.phase === 'stopping') return `Stopping the ${name} first…`;
  if (view.phase === 'done') return `The ${name}:`;
  const what = view.degraded ? `The ${name} started, but degraded…` : `Starting the ${name}…`;
  const wait = view.startedAt !== undefined && view.timeoutMs !== undefined ? ` ${waitingText((view.now ?? view.startedAt) - view.startedAt, view.timeoutMs)}` : '';
  return what + wait;
}

export function startKeys(view: StartView, running: boolean, full: boolean): string {
  // One row at 80 columns: the frame counts the keys as one.
  const log = full ? '↑/↓ PgUp/PgDn Home/End ←/→ scroll · l live tail' : 'l full log';
  if (running) return `${log} · Ctrl-C stop watching${full ? '' : ' (the server keeps starting)'}`;
  const o = view.outcome;
  const restart = o?.status === 'already-running' || (o?.status === 'ready' && view.firstStart) ? ' · r restart' : '';
  return `${log}${restart} · Enter or q exit`;
}

/** A row of the full log: numbered, from column `from` of the line (←/→); a line going on past the edge ends with …. */
function LogRow({ line, width, from }: { line: Pick<LogLine, 'text' | 'level' | 'n'>; width: number; from: number }) {
  const shown = [...compactLine(line.text)];
  const text = `${String(line.n).padStart(5)} ${from > 0 ? '…' : ''}${shown.slice(from > 0 ? from + 1 : 0).join('')}`;
  return (
    <Box width={width}>
      <Text {...levelProps(levelStyle(line))} bold wrap="truncate-end">
        {text}
      </Text>
    </Box>
  );
}

const levelProps = (r: Omit<Row, 'text'>) => ({ color: r.color, dimColor: r.dim });

/** The full log, paged; it starts at the newest lines and follows them until scrolled up. */
function FullLog({ history, count, width, rows }: { history: LogHistory | undefined; count: number; width: number; rows: number }) {
  const height = Math.max(1, rows - 1);
  const last = maxOffset(count, height);
  const [at, setAt] = useState<number | 'end'>('end');
  const offset = at === 'end' ? last : Math.min(at, last);
  // The page read, with where it starts: rows are numbered from the page itself, never from an offset it was not read at.
  const [page, setPageAt] = useState<{ at: number; lines: string[] }>({ at: 0, lines: [] });
  // Sideways, in steps of half a row, as far as the longest line of the page goes.
  const [from, setFrom] = useState(0);
  const step = Math.max(10, Math.floor((width - 6) / 2));
  const longest = Math.max(0, ...page.lines.map((t) => [...compactLine(t)].length));
  useInput((input, key) => {
    if (key.leftArrow) return setFrom((f) => Math.max(0, f - step));
    if (key.rightArrow) return setFrom((f) => (f + width - 6 < longest ? f + step : f));
    const next = scrollTarget(input, key, offset, count, height);
    // At the bottom it follows the newest lines again.
    if (next !== undefined) setAt(next >= last ? 'end' : next);
  });
  useEffect(() => {
    let live = true;
    if (!history) return;
    history.read(offset, height).then(
      (lines) => live && setPageAt({ at: offset, lines }),
      () => live && setPageAt({ at: offset, lines: ['(the log of this run is closed)'] }),
    );
    return () => {
      live = false;
    };
  }, [history, offset, height, count]);
  const end = Math.min(count, page.at + height);
  let level: string | undefined;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{`Full log: lines ${count ? page.at + 1 : 0}–${end} of ${count}${at === 'end' ? ' (following the end)' : ''}${from ? `, from column ${from + 1}` : ''}`}</Text>
      {page.lines.map((text, i) => {
        // A continuation line (a stack trace) keeps the colour of its entry.
        const header = parseHeader(text);
        if (header) level = header.level;
        return <LogRow key={page.at + i} line={{ n: page.at + i + 1, text, level: level as LogLine['level'] }} width={width} from={from} />;
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

  const staticLog = (
    <Static key={view.staticGen} items={view.chunks} style={{ width }}>
      {(chunk) => (
        <Box key={chunk.id} flexDirection="column">
          {chunk.lines.map((l, i) => (
            <Text key={i} color={l.level ? LEVEL_COLOR[l.level] : undefined}>
              {displayText(l.text)}
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

  // The title takes the first row; the parts share the others.
  const body = layout(startParts(view, running, width), Math.max(0, rows - 1));
  return (
    <Box flexDirection="column">
      {staticLog}
      <Text bold wrap="truncate-end">
        {running ? (
          <Text color="cyan">
            <Spinner type="dots" />{' '}
          </Text>
        ) : null}
        {startTitle(view, role)}
      </Text>
      {/* Keyed by row: a restart's stop and start number their lines from 1 each. */}
      {body.map((r, i) => (
        <Text key={i} color={r.color} bold={r.bold} dimColor={r.dim} wrap="truncate-end">
          {r.text === '' ? ' ' : r.text}
        </Text>
      ))}
    </Box>
  );
}
