// Step 3 on the manager: the first push of repository/deployment/server to every worker.
// The checks stream per worker as they run (ssh failures in plain words), then the dry-run
// preview with every path --delete would remove, a confirmation of its own (default no),
// then the push with its live progress and itemised lines, and a result per worker.
import { Box, Text, useInput } from 'ink';
import { deletions, type SyncResult } from '../../core/run/sync/session.js';
import { plural } from '../../core/run/sync/itemize.js';
import { ScrollView } from '../components/ScrollView.js';
import { Paragraph, paragraphRows, wrapWords } from '../components/Paragraph.js';
import { wrapHanging } from '../components/wrap.js';
import { useScroll } from '../hooks/useScroll.js';
import { previewLines, type SyncLine, type SyncView } from '../hooks/useSync.js';
import type { InstallHint } from '../../core/run/sync/events.js';

export interface SyncProps {
  view: SyncView;
  running: boolean;
  width: number;
  rows: number;
  onAnswer: (yes: boolean) => void;
  onAgain: () => void;
  onDone: () => void;
  onQuit: () => void;
}

export function syncKeys(view: SyncView, running: boolean): string {
  if (view.ask?.kind === 'confirm') return 'y push now · n, Enter or Esc: do not push (default) · ↑/↓ PgUp/PgDn scroll';
  if (view.ask?.kind === 'create-key') return 'c create the key now · n, Enter or Esc: do not';
  if (running) return 'Ctrl-C stop (nothing half-pushed stays: the next run starts over)';
  return 'r run again · Enter back to the summary · q quit';
}

function Row({ line }: { line: SyncLine }) {
  return (
    <Text color={line.color} bold={line.bold} dimColor={line.dim} wrap="truncate-end">
      {line.text === '' ? ' ' : line.text}
    </Text>
  );
}

/** One row per terminal line: a line marked wrap becomes as many rows as it needs. */
export function screenRows(lines: readonly SyncLine[], width: number): SyncLine[] {
  return lines.flatMap((l) => {
    if (!l.wrap) return [l];
    const indent = /^ */.exec(l.text)![0];
    return wrapWords(l.text, Math.max(10, width - indent.length - 2)).map((text, i) => ({ ...l, text: `${indent}${i ? '  ' : ''}${text}` }));
  });
}

/**
 * How to put the key on the workers: ssh-copy-id per worker login, or by hand with the line a
 * short command prints on this manager, so that no key is cut across rows to be copied.
 */
export function hintLines(hint: InstallHint): string[] {
  return [
    "Add the key to ~/.ssh/authorized_keys of each worker's user, with one password login per worker:",
    ...hint.commands.map((c) => `  ${c.command}`),
    `or by hand: append the line \`${hint.print}\` prints here to that file (~/.ssh mode 700, the file 600)`,
  ];
}

function Confirm({ view, width, rows, onAnswer }: Pick<SyncProps, 'view' | 'width' | 'rows' | 'onAnswer'>) {
  const previews = view.ask?.kind === 'confirm' ? view.ask.previews : [];
  const lines = screenRows(previews.flatMap(previewLines), width);
  const total = previews.reduce((n, p) => n + deletions(p), 0);
  const withDeletes = previews.filter((p) => deletions(p) > 0).length;
  const head = total
    ? `Push to ${plural(previews.length, 'worker')}? --delete REMOVES ${plural(total, 'path')} on ${plural(withDeletes, 'worker')} (every one listed below, in red): they are not on this manager.`
    : `Push to ${plural(previews.length, 'worker')}? Nothing is deleted on any worker.`;
  const headRows = wrapWords(head, width).length;
  const height = Math.max(3, rows - headRows - 4);
  const scroll = useScroll(lines.length, lines.length > height ? height - 1 : height);
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') return onAnswer(true);
    if (input === 'n' || input === 'N' || key.return || key.escape) return onAnswer(false);
    scroll.handleKey(input, key);
  });
  return (
    <Box flexDirection="column">
      <Paragraph width={width} bold color={total ? 'red' : undefined}>
        {head}
      </Paragraph>
      <Box marginTop={1}>
        <ScrollView count={lines.length} height={height} offset={scroll.offset} position renderRow={(i) => <Row line={lines[i]!} />} />
      </Box>
      <Box marginTop={1}>
        <Text bold>Push now? </Text>
        <Text color="cyan">[y/N]</Text>
      </Box>
      <Text dimColor wrap="truncate-end">
        No pushes nothing; cron pushes to no worker whose first push was not confirmed.
      </Text>
    </Box>
  );
}

export function Sync({ view, running, width, rows, onAnswer, onAgain, onDone, onQuit }: SyncProps) {
  useInput(
    (input, key) => {
      if (view.ask?.kind === 'create-key') {
        if (input === 'c') onAnswer(true);
        else if (input === 'n' || key.return || key.escape) onAnswer(false);
        return;
      }
      if (running) return;
      if (input === 'r') onAgain();
      else if (input === 'q') onQuit();
      else if (key.return) onDone();
    },
    { isActive: view.ask?.kind !== 'confirm' },
  );
  if (view.ask?.kind === 'confirm') return <Confirm view={view} width={width} rows={rows} onAnswer={onAnswer} />;

  const progress = Object.entries(view.progress);
  const askRows: SyncLine[] = [];
  if (view.ask?.kind === 'create-key') {
    const text = `The ssh key ${view.ask.path} does not exist. c creates it now, as the cron user: ${view.ask.command}`;
    askRows.push(...paragraphRows(text, width).map((t) => ({ text: t, color: 'cyan' })));
  }
  // While it runs: the log follows its end, the live progress under it.
  if (!view.result) {
    const shown = screenRows(view.lines, width);
    const height = Math.max(1, rows - progress.length - askRows.length);
    return (
      <Box flexDirection="column">
        <ScrollView count={shown.length} height={height} follow renderRow={(i) => <Row line={shown[i]!} />} />
        {progress.map(([worker, p]) => (
          <Text key={worker} color="cyan" wrap="truncate-end">{`⇅ ${p}`}</Text>
        ))}
        {askRows.map((l, i) => (
          <Row key={`ask${i}`} line={l} />
        ))}
      </Box>
    );
  }
  const { outcome, advice, workers, more, log } = finishedRows(view, view.result, !running && !!view.hint && view.keyRefused, width, rows - progress.length - askRows.length);
  return (
    <Box flexDirection="column">
      {[...log, ...askRows, ...advice, ...workers, ...more, ...outcome].map((l, i) => (
        <Row key={i} line={l} />
      ))}
    </Box>
  );
}

/** A worker's row on the finished screen: what differs per worker, the advice shared by all is said once above. */
function workerText(wo: SyncResult['workers'][number], adviceShown: boolean): string {
  if (wo.ok) return `${wo.worker}: ${wo.sent} sent, ${wo.deleted} deleted`;
  if (adviceShown && wo.reason === 'key-refused') return `${wo.worker}: refused the key (add it as said above)`;
  return `${wo.worker}: ${wo.detail}`;
}

/**
 * The finished screen as rows that fit `rows`, given way by priority: the outcome always, then
 * the advice shared by every worker (once), then one row group per worker (failed first, the
 * rest counted), then the newest whole lines of the log. Nothing is cut: every row is wrapped.
 */
export function finishedRows(view: SyncView, r: SyncResult, withAdvice: boolean, width: number, rows: number) {
  const ok = r.status === 'done';
  const color = ok ? 'green' : r.status === 'declined' ? 'yellow' : 'red';
  const text =
    r.status === 'done'
      ? `Every worker is in sync (${plural(r.workers.length, 'worker')}); cron keeps them in sync from now on.`
      : r.status === 'declined'
        ? 'Nothing was pushed: not confirmed.'
        : r.status === 'blocked'
          ? `Stopped before contacting any worker: ${r.problems.join('; ')}`
          : `${plural(r.workers.filter((w) => !w.ok).length, 'worker')} failed (said above); the others were pushed to.`;
  const outcome: SyncLine[] = paragraphRows(text, width).map((t) => ({ text: t, color, bold: true }));
  let room = rows - outcome.length;
  const advice: SyncLine[] = [];
  if (withAdvice && view.hint) {
    const adviceRows = hintLines(view.hint).flatMap((l) => (l.startsWith('  ') ? wrapHanging('  ', l.trim(), width, '    ') : paragraphRows(l, width)));
    if (adviceRows.length <= room) {
      advice.push(...adviceRows.map((t) => ({ text: t, color: 'yellow' })));
      room -= adviceRows.length;
    }
  }
  const adviceShown = advice.length > 0;
  const ordered = [...r.workers.filter((w) => !w.ok), ...r.workers.filter((w) => w.ok)];
  const groups = ordered.map((wo) =>
    wrapHanging(wo.ok ? '✔ ' : '✖ ', workerText(wo, adviceShown), width).map((t): SyncLine => ({ text: t, color: wo.ok ? 'green' : r.status === 'declined' ? 'yellow' : 'red' })),
  );
  const workers: SyncLine[] = [];
  const more: SyncLine[] = [];
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (total <= room) {
    for (const g of groups) workers.push(...g);
    room -= total;
  } else if (room > 0) {
    let shown = 0;
    for (const g of groups) {
      if (workers.length + g.length > room - 1) break;
      workers.push(...g);
      shown++;
    }
    const rest = ordered.slice(shown);
    const failed = rest.filter((w) => !w.ok).length;
    more.push({ text: `↓ ${plural(rest.length, 'more worker')}${failed ? ` (${failed} failed)` : ''} not shown: the terminal is too small`, color, dim: true });
    room -= workers.length + 1;
  }
  // The log without what the rows below say again: the results, and the advice said once.
  const lines = view.lines.filter((l) => !l.result && !(adviceShown && l.reason === 'key-refused'));
  const log: SyncLine[] = [];
  let i = lines.length;
  while (i > 0 && room > 0) {
    const rowsOfLine = screenRows([lines[i - 1]!], width);
    const need = rowsOfLine.length + (i - 1 > 0 ? 1 : 0);
    if (need > room) break;
    log.unshift(...rowsOfLine);
    room -= rowsOfLine.length;
    i--;
  }
  if (i > 0 && room > 0) log.unshift({ text: `↑ ${plural(i, 'earlier line')} of the run not shown`, dim: true });
  return { outcome, advice, workers, more, log };
}
