// After apply: what changed, where the backups are, where the answers were saved, the
// command for the next node, and the cluster with this node marked.
import { Box, Text, useInput } from 'ink';
import type { ApplyResult } from '../../core/apply/apply.js';
import { ClusterPicture } from '../components/ClusterPicture.js';
import { PICTURE_ROWS, type ClusterModel } from '../components/cluster-layout.js';
import { Paragraph, wrapWords } from '../components/Paragraph.js';

export interface Outcome {
  result: ApplyResult;
  /** The answers file the apply wrote. */
  savedFile?: string;
  nextCommand?: string;
  /** What the steps said while applying, other than the files written (nginx reloaded, or not running and how to start it). */
  notes?: string[];
}

/** The apply's progress lines that are not one per file: what a step's activate or a directory reset said. */
export function applyNotes(log: readonly string[]): string[] {
  return log.filter((l) => !/^(created|changed) /.test(l) && !l.startsWith('backup: '));
}

const LABEL = 11;

function Line({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Box>
      <Box width={LABEL} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Box flexShrink={1}>{children}</Box>
    </Box>
  );
}

/** The answers line: the saved file is the one the next-node command names, so it is not repeated. */
export const SAVED_NOTE = 'saved (mode 600). On the next node, with that file copied there, run:';
/** After the load balancer, the last node in WSO2's order, there is no next node to suggest. */
export const SAVED_LAST = 'saved (mode 600). The load balancer is the last node in WSO2\'s order: manager, workers, load balancer.';

/** In the demo cluster the next node is the next sandbox on this machine: nothing to copy. */
export const SAVED_DEMO_NOTE = 'saved (mode 600). The next node of the demo cluster, on this machine:';

const savedNote = (outcome: Outcome) =>
  outcome.savedFile ? (outcome.nextCommand ? (/ --demo-node /.test(outcome.nextCommand) ? SAVED_DEMO_NOTE : SAVED_NOTE) : SAVED_LAST) : undefined;

/**
 * What fits in `rows`: the paths and the next command always; the picture when at least a
 * few written files can still be listed above it (the gap before it only when there is room);
 * the rest of the files as "… and N more".
 */
export function summaryLayout(outcome: Outcome, width: number, rows: number): { shown: number; picture: boolean; gap: boolean } {
  const lines = (s: string | undefined) => (s ? wrapWords(s, width - LABEL).length : 0);
  const fixed =
    1 +
    lines(outcome.result.backupDir) +
    lines(savedNote(outcome)) +
    lines(outcome.nextCommand) +
    (outcome.notes ?? []).reduce((n, note) => n + lines(note), 0);
  const count = outcome.result.written.length;
  const fits = (room: number) => (count <= room ? count : Math.max(0, room - 1));
  const room = rows - fixed - PICTURE_ROWS;
  if (room - 1 >= count) return { shown: count, picture: true, gap: true };
  if (room >= Math.min(count, 3)) return { shown: fits(room), picture: true, gap: false };
  return { shown: fits(rows - fixed), picture: false, gap: false };
}

export function Summary({ outcome, cluster, width, rows }: { outcome: Outcome; cluster: ClusterModel; width: number; rows: number }) {
  const { result } = outcome;
  const written = result.written;
  const { shown, picture, gap } = summaryLayout(outcome, width, rows);
  return (
    <Box flexDirection="column">
      {written.length ? (
        <>
          <Text bold color="green">{`Applied: ${written.length} file${written.length === 1 ? '' : 's'} written.`}</Text>
          {written.slice(0, shown).map((f) => (
            <Text key={f} wrap="truncate-middle">{`  ✔ ${f}`}</Text>
          ))}
          {shown < written.length ? <Text dimColor>{`  … and ${written.length - shown} more (the review listed them; so does the backup)`}</Text> : null}
        </>
      ) : (
        <Text bold color="green">Nothing to change: no file was written.</Text>
      )}
      <Box flexDirection="column">
        {result.backupDir ? (
          <Line label="Backups">
            <Paragraph width={width - LABEL}>{result.backupDir}</Paragraph>
          </Line>
        ) : null}
        {(outcome.notes ?? []).map((note, i) => (
          <Line key={`note-${i}`} label={i === 0 ? 'Said' : ''}>
            <Paragraph color={/not running|could not|failed/.test(note) ? 'yellow' : undefined} width={width - LABEL}>
              {note}
            </Paragraph>
          </Line>
        ))}
        {outcome.savedFile ? (
          <Line label="Answers">
            <Box flexDirection="column">
              <Paragraph width={width - LABEL}>{savedNote(outcome)!}</Paragraph>
              {outcome.nextCommand ? <Paragraph color="cyan" width={width - LABEL}>{outcome.nextCommand}</Paragraph> : null}
            </Box>
          </Line>
        ) : null}
      </Box>
      {picture ? (
        <Box marginTop={gap ? 1 : 0}>
          <ClusterPicture model={cluster} width={width} />
        </Box>
      ) : null}
    </Box>
  );
}

export interface SummaryScreenProps {
  outcome: Outcome;
  cluster: ClusterModel;
  width: number;
  rows: number;
  /** The manager lists workers to push to: p syncs them (Step 3). */
  canSync: boolean;
  /** A Gateway node with a product home: s starts the server (Step 5). */
  canStart: boolean;
  onSync: () => void;
  onStart: () => void;
  onQuit: () => void;
}

/** The summary with what can be done next: p syncs the workers, s starts the server, Enter or q exits. */
export function SummaryScreen({ canSync, canStart, onSync, onStart, onQuit, rows, ...shown }: SummaryScreenProps) {
  useInput((input, key) => {
    if (input === 'p' && canSync) onSync();
    else if (input === 's' && canStart) onStart();
    else if (key.return || input === 'q') onQuit();
  });
  if (!canStart) return <Summary {...shown} rows={rows} />;
  return (
    <Box flexDirection="column">
      <Summary {...shown} rows={rows - 2 - (canSync ? 1 : 0)} />
      <Box marginTop={1} flexDirection="column">
        {canSync ? <Text bold color="cyan" wrap="truncate-end">Push the deployment to the workers? p previews it first (rsync --dry-run)</Text> : null}
        <Text bold color="cyan" wrap="truncate-end">Start the server now? s starts it (bin/wso2server.sh start) and shows its log</Text>
      </Box>
    </Box>
  );
}

/** The keys line of the summary, with the offers the screen makes. */
export function summaryKeys(canSync: boolean, canStart: boolean): string {
  return canStart ? `${canSync ? 'p sync the workers · ' : ''}s start the server · Enter or q: exit` : 'Enter or q: exit';
}
