// Step 3 on the manager: the first push of repository/deployment/server to every worker.
// The checks stream per worker as they run (ssh failures in plain words), then the dry-run
// preview with every path --delete would remove, a confirmation of its own (default no),
// then the push with its live progress and itemised lines, and a result per worker.
import { Box, Text, useInput } from 'ink';
import { deletions } from '../../core/run/sync/session.js';
import { plural } from '../../core/run/sync/itemize.js';
import { ScrollView } from '../components/ScrollView.js';
import { Paragraph, wrapWords } from '../components/Paragraph.js';
import { useScroll } from '../hooks/useScroll.js';
import { previewLines, type SyncLine, type SyncView } from '../hooks/useSync.js';

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
  const extra: React.ReactNode[] = [];
  let extraRows = 0;
  if (view.ask?.kind === 'create-key') {
    const text = `The ssh key ${view.ask.path} does not exist. c creates it now, as the cron user: ${view.ask.command}`;
    extraRows += wrapWords(text, width).length;
    extra.push(
      <Paragraph key="ask" width={width} color="cyan">
        {text}
      </Paragraph>,
    );
  }
  if (!running && view.hint && view.keyRefused) {
    const lines = [
      'Put the public key into ~USER/.ssh/authorized_keys of each worker\'s user, e.g. with one password login per worker:',
      ...view.hint.commands.map((c) => `  ${c.command}`),
      `or on the worker, as its user: ${view.hint.manual}`,
    ];
    for (const l of lines) extraRows += wrapWords(l, width).length;
    extra.push(
      <Box key="hint" flexDirection="column">
        {lines.map((l, i) => (
          <Paragraph key={i} width={width} color="yellow">
            {l}
          </Paragraph>
        ))}
      </Box>,
    );
  }
  if (view.result) {
    const r = view.result;
    const ok = r.status === 'done';
    const text =
      r.status === 'done'
        ? `Every worker is in sync (${plural(r.workers.length, 'worker')}); cron keeps them in sync from now on.`
        : r.status === 'declined'
          ? 'Nothing was pushed: not confirmed.'
          : r.status === 'blocked'
            ? `Stopped before contacting any worker: ${r.problems.join('; ')}`
            : `${plural(r.workers.filter((w) => !w.ok).length, 'worker')} failed (said above); the others were pushed to.`;
    extraRows += wrapWords(text, width).length + r.workers.length;
    extra.push(
      <Box key="result" flexDirection="column">
        {r.workers.map((wo) => (
          <Text key={wo.worker} color={wo.ok ? 'green' : r.status === 'declined' ? 'yellow' : 'red'} wrap="truncate-middle">
            {`${wo.ok ? '✔' : '✖'} ${wo.worker}: ${wo.ok ? `${wo.sent} sent, ${wo.deleted} deleted` : wo.detail}`}
          </Text>
        ))}
        <Paragraph width={width} bold color={ok ? 'green' : r.status === 'declined' ? 'yellow' : 'red'}>
          {text}
        </Paragraph>
      </Box>,
    );
  }
  const height = Math.max(1, rows - progress.length - extraRows);
  const shown = screenRows(view.lines, width);
  return (
    <Box flexDirection="column">
      <ScrollView count={shown.length} height={height} follow renderRow={(i) => <Row line={shown[i]!} />} />
      {progress.map(([worker, p]) => (
        <Text key={worker} color="cyan" wrap="truncate-end">{`⇅ ${p}`}</Text>
      ))}
      {extra}
    </Box>
  );
}
