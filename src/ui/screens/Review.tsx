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

function Warnings({ warnings }: { warnings: string[] }) {
  const shown = warnings.slice(0, MAX_WARNINGS);
  return (
    <>
      {shown.map((w) => (
        <Text key={w} color="yellow" wrap="truncate-end">{`! ${w}`}</Text>
      ))}
      {warnings.length > shown.length ? <Text color="yellow">{`! and ${warnings.length - shown.length} more (apim-gateway-wizard plan shows them all)`}</Text> : null}
    </>
  );
}

function FileList({ files, resets, selected }: { files: FileChange[]; resets: Plan['resets']; selected: number }) {
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
      <Text dimColor wrap="truncate-end">{`  why: ${files[selected]?.reasons.join('; ') ?? ''}`}</Text>
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
  const lines = useMemo(() => diffLines(diffText(change)), [change]);
  const conflicts = hasConflicts(plan);
  // The diff gets every row but its title and the why line; one more row is the position line.
  const diffRows = Math.max(3, rows - 2);
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
        <Text bold wrap="truncate-middle">{`${STATUS[change.status].word.trim()} ${change.file}`}</Text>
        <Text dimColor wrap="truncate-end">{`why: ${change.reasons.join('; ')}`}</Text>
        {lines.length ? (
          <DiffView lines={lines} offset={scroll.offset} height={diffRows} />
        ) : (
          <Text dimColor>This file is already as asked: no diff.</Text>
        )}
      </Box>
    );
  }

  const warningRows = Math.min(plan.warnings.length, MAX_WARNINGS + 1);
  const gateway = plan.answers.role === 'manager' || plan.answers.role === 'worker' ? plan.answers.role : undefined;
  // One row: the release and the start command it gets (the headless plan says why in full).
  const releaseRow = plan.release && gateway ? `API-M ${plan.release.release.id} · start: ${launcherCommand(plan.release.release, gateway, { program: 'wso2server.sh' })}` : undefined;
  const fixed = 1 + (releaseRow ? 1 : 0) + warningRows + files.length + (plan.resets?.length ?? 0) + 1 + 1 + (conflicts ? 1 : 0);
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
      <Warnings warnings={plan.warnings} />
      {showPicture ? (
        <Box marginTop={releaseRow ? 0 : 1}>
          <ClusterPicture model={cluster} width={width} />
        </Box>
      ) : null}
      <Box marginTop={1}>
        <FileList files={files} resets={plan.resets ?? []} selected={selected} />
      </Box>
      {conflicts ? (
        <Text color="red" wrap="truncate-end">
          EDITED: changed by hand since the wizard wrote it. k keeps those edits (the usual choice), r replaces them.
        </Text>
      ) : null}
    </Box>
  );
}
