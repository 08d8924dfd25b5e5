// The review: the plan's summary line first, its warnings, the cluster, then the files with
// their status. Enter opens a file's diff (scrolling inside the frame); a applies, b goes
// back to the answers, q quits without writing.
import { useMemo, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { listed, pending, type FileChange, type Plan } from '../../core/plan/plan.js';
import { ClusterPicture } from '../components/ClusterPicture.js';
import { PICTURE_ROWS, type ClusterModel } from '../components/cluster-layout.js';
import { DiffView } from '../components/DiffView.js';
import { diffLines } from '../components/diff-lines.js';
import { Paragraph, paragraphRows } from '../components/Paragraph.js';
import { useScroll } from '../hooks/useScroll.js';
import { launcherCommand } from '../../core/node/release.js';

export interface ReviewProps {
  plan: Plan;
  cluster: ClusterModel;
  width: number;
  rows: number;
  onApply: () => void;
  /** A generated file was edited by hand: keep those edits, or replace them with the wizard's version. */
  onConflict: (choice: 'keep' | 'replace') => void;
  onDiffOpen: (open: boolean) => void;
  onBack: () => void;
  onQuit: () => void;
}

export function hasConflicts(plan: Plan): boolean {
  return plan.changes.some((c) => c.status === 'conflict');
}

export function reviewKeys(plan: Plan, diffOpen: boolean): string {
  const nothing = pending(plan).length === 0;
  const act = hasConflicts(plan) ? 'k keep hand edits · r replace them' : nothing ? 'a finish (nothing to write)' : 'a apply';
  if (diffOpen) return `↑/↓ PgUp/PgDn scroll · Esc back to the files · ${act} · q quit`;
  return `↑/↓ file · Enter show diff · ${act} · b back to the answers · q quit`;
}

const STATUS: Record<FileChange['status'], { word: string; color?: string }> = {
  change: { word: 'change   ', color: 'yellow' },
  create: { word: 'create   ', color: 'green' },
  unchanged: { word: 'unchanged' },
  conflict: { word: 'EDITED   ', color: 'red' },
};

const MAX_WARNINGS = 2;

/** Rows of a wrapped text (Paragraph), for sizing the picture and the diff around it. */
const rowsOf = (text: string, width: number, hang = '', indent = 0) => paragraphRows(text, width, indent, hang).length;

function Warnings({ warnings, width }: { warnings: string[]; width: number }) {
  const shown = warnings.slice(0, MAX_WARNINGS);
  return (
    <>
      {shown.map((w) => (
        <Paragraph key={w} color="yellow" width={width} hang="! ">
          {w}
        </Paragraph>
      ))}
      {warnings.length > shown.length ? <Text color="yellow">{`! and ${warnings.length - shown.length} more (apim-gateway-wizard plan shows them all)`}</Text> : null}
    </>
  );
}

const whyText = (c: FileChange | undefined) => c?.reasons.join('; ') ?? '';

/** Changed answers shown under the files, one per key; more are counted on one more row (plan lists them all). */
const MAX_ANSWERS = 3;

/** The saved answers are part of the plan: "answers: workerIps + 192.0.2.23", each whole (wrapped). */
function answerLines(plan: Plan): string[] {
  const all = plan.answersChanges ?? [];
  if (all.length <= MAX_ANSWERS) return all;
  return [...all.slice(0, MAX_ANSWERS - 1), `and ${all.length - MAX_ANSWERS + 1} more (apim-gateway-wizard plan lists them)`];
}

function Answers({ lines, width }: { lines: string[]; width: number }) {
  return (
    <>
      {lines.map((l) => (
        <Paragraph key={l} color="yellow" width={width} indent={2} hang="answers: ">
          {l}
        </Paragraph>
      ))}
    </>
  );
}

function FileList({ files, resets, selected, width }: { files: FileChange[]; resets: Plan['resets']; selected: number; width: number }) {
  return (
    <Box flexDirection="column">
      {files.map((c, i) => (
        <Text key={c.file} wrap="truncate-middle">
          <Text color="cyan">{i === selected ? '❯ ' : '  '}</Text>
          <Text color={STATUS[c.status].color} dimColor={c.status === 'unchanged'}>{STATUS[c.status].word}</Text>
          <Text bold={i === selected}>{` ${c.file}`}</Text>
        </Text>
      ))}
      {resets.map((r) => (
        <Text key={r.dir} wrap="truncate-end">
          <Text color="yellow">{'  reset    '}</Text>
          <Text>{` ${r.dir}/ → backup; reset`}</Text>
        </Text>
      ))}
      <Paragraph dimColor width={width} indent={2} hang="why: ">
        {whyText(files[selected])}
      </Paragraph>
    </Box>
  );
}

/** A hand-edited file shows what was edited by hand, then the wizard's version. */
function diffText(change: FileChange | undefined): string {
  if (!change) return '';
  if (!change.localEdits) return change.diff;
  return `# edited by hand since the wizard wrote it:\n${change.localEdits}\n# the wizard's version (r replaces the file with it):\n${change.diff}`;
}

export function Review({ plan, cluster, width, rows, onApply, onConflict, onDiffOpen, onBack, onQuit }: ReviewProps) {
  const files = listed(plan);
  const [selected, setSelected] = useState(0);
  const [open, setOpenState] = useState(false);
  const setOpen = (o: boolean) => {
    setOpenState(o);
    onDiffOpen(o);
  };
  const change = files[selected];
  // Wrapped to the frame: a long line goes on in the next rows (marked ↵), so the scroll counts rows.
  const lines = useMemo(() => diffLines(diffText(change), width), [change, width]);
  const conflicts = hasConflicts(plan);
  // The diff gets every row but its title and the why lines; one more row is the position line.
  const titleText = change ? `${STATUS[change.status].word.trim()} ${change.file}` : '';
  const diffRows = Math.max(3, rows - rowsOf(titleText, width) - rowsOf(whyText(change), width, 'why: '));
  const scroll = useScroll(lines.length, lines.length > diffRows ? diffRows - 1 : diffRows);
  const nothing = pending(plan).length === 0;

  useInput((input, key) => {
    if (input === 'q') return onQuit();
    if (conflicts && (input === 'k' || input === 'r')) return onConflict(input === 'k' ? 'keep' : 'replace');
    if (input === 'a' && !conflicts) return onApply();
    if (open) {
      if (key.escape || key.return || key.leftArrow) setOpen(false);
      else scroll.handleKey(input, key);
      return;
    }
    if (input === 'b' || key.escape) onBack();
    else if (key.upArrow) setSelected((s) => Math.max(0, s - 1));
    else if (key.downArrow) setSelected((s) => Math.min(files.length - 1, s + 1));
    else if (key.return && change) {
      scroll.reset();
      setOpen(true);
    }
  });

  if (open && change) {
    return (
      <Box flexDirection="column">
        <Paragraph bold width={width}>
          {titleText}
        </Paragraph>
        <Paragraph dimColor width={width} hang="why: ">
          {whyText(change)}
        </Paragraph>
        {lines.length ? (
          <DiffView lines={lines} offset={scroll.offset} height={diffRows} />
        ) : (
          <Text dimColor>This file is already as asked: no diff.</Text>
        )}
      </Box>
    );
  }

  const warningRows = plan.warnings.slice(0, MAX_WARNINGS).reduce((n, w) => n + rowsOf(w, width, '! '), 0) + (plan.warnings.length > MAX_WARNINGS ? 1 : 0);
  const gateway = plan.answers.role === 'manager' || plan.answers.role === 'worker' ? plan.answers.role : undefined;
  // One row: the release and the start command it gets (the headless plan says why in full).
  const releaseRow = plan.release && gateway ? `API-M ${plan.release.release.id} · start: ${launcherCommand(plan.release.release, gateway, { program: 'wso2server.sh' })}` : undefined;
  // The longest why of the list: the picture stays (or stays away) while ↑/↓ moves through the files.
  const whyRows = Math.max(1, ...files.map((f) => rowsOf(whyText(f), width, 'why: ', 2)));
  const answers = answerLines(plan);
  const answerRows = answers.reduce((n, l) => n + rowsOf(l, width, 'answers: ', 2), 0);
  const fixed = 1 + (releaseRow ? 1 : 0) + warningRows + answerRows + files.length + (plan.resets?.length ?? 0) + 1 + whyRows + (conflicts ? 1 : 0);
  // The release row stands where the blank line above the picture would: it costs the picture no row.
  const showPicture = rows - fixed >= PICTURE_ROWS + (releaseRow ? 0 : 1);
  return (
    <Box flexDirection="column">
      <Text bold color={nothing ? 'green' : undefined}>
        {plan.summary}
      </Text>
      {releaseRow ? (
        <Text dimColor>
          {releaseRow}
        </Text>
      ) : null}
      <Warnings warnings={plan.warnings} width={width} />
      {showPicture ? (
        <Box marginTop={releaseRow ? 0 : 1}>
          <ClusterPicture model={cluster} width={width} />
        </Box>
      ) : null}
      <Box marginTop={1}>
        <FileList files={files} resets={plan.resets ?? []} selected={selected} width={width} />
      </Box>
      <Answers lines={answers} width={width} />
      {conflicts ? (
        <Text color="red" wrap="truncate-end">
          EDITED: changed by hand since the wizard wrote it. k keeps those edits (the usual choice), r replaces them.
        </Text>
      ) : null}
    </Box>
  );
}
