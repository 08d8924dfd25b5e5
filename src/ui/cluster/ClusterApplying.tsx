// The cluster apply, live: where the playbook is, one row per node (waiting, running, done,
// FAILED, UNREACHABLE, and how many of its tasks changed something), then its log, followed.
// Once it has ended: what came of it, and each node's last word (its summary, its start, why it failed).
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { ROLE_INFO } from '../../core/answers/schema.js';
import { progressCounts, progressWord, type ClusterProgress, type NodeProgress } from '../../core/cluster/progress.js';
import type { ClusterApplied } from '../../core/cluster/run.js';
import { safeMessage } from '../../core/messages/shown.js';
import { Paragraph, paragraphRows } from '../components/Paragraph.js';
import { ScrollView } from '../components/ScrollView.js';

const COLOR: Record<NodeProgress['state'], string | undefined> = { waiting: undefined, running: 'cyan', done: 'green', failed: 'red', unreachable: 'red' };

function NodeRows({ nodes }: { nodes: NodeProgress[] }) {
  const name = Math.max(4, ...nodes.map((n) => n.name.length));
  const role = Math.max(4, ...nodes.map((n) => ROLE_INFO[n.role].title.length));
  return (
    <Box flexDirection="column">
      {nodes.map((n) => (
        <Text key={n.name} wrap="truncate-end">
          {`  ${n.name.padEnd(name)}  ${ROLE_INFO[n.role].title.padEnd(role)}  `}
          <Text color={COLOR[n.state]} dimColor={n.state === 'waiting'}>
            {progressWord(n.state).padEnd(11)}
          </Text>
          {n.changed ? `  ${n.changed} changed` : ''}
        </Text>
      ))}
    </Box>
  );
}

/** `pushes`: the manager's first sync to the workers runs between its start and theirs. */
export const applyingHeading = (start: boolean, pushes: boolean) =>
  `Applying in WSO2's order: the manager, the workers in batches, the load balancer${start ? `; then the manager starts${pushes ? ', pushes to the workers,' : ''} and the workers start` : ' (not started: --no-start)'}.`;

export function ClusterApplying({ progress, log, start, pushes, quitting, width, rows }: { progress: ClusterProgress; log: string[]; start: boolean; pushes: boolean; quitting: boolean; width: number; rows: number }) {
  const heading = applyingHeading(start, pushes);
  const now = progress.play ? `Now: ${[progress.play, progress.task].filter(Boolean).join(' · ')}` : 'Starting ansible-playbook…';
  const footer = quitting ? 'Quitting once the apply has ended: no node is left half-written.' : 'q and Ctrl-C wait until the apply has ended: no node is left half-written.';
  const lines = log.flatMap((l) => paragraphRows(safeMessage(l), width, 0, '  ').map((r) => r));
  const fixed = paragraphRows(heading, width).length + paragraphRows(now, width, 0, '  ').length + progress.nodes.length + 2 + paragraphRows(footer, width).length;
  return (
    <Box flexDirection="column">
      <Paragraph width={width}>{heading}</Paragraph>
      <Box>
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>
        <Paragraph width={width - 2} hang=" ">
          {safeMessage(now)}
        </Paragraph>
      </Box>
      <NodeRows nodes={progress.nodes} />
      <Box marginTop={1}>
        <ScrollView count={lines.length} height={Math.max(1, rows - fixed - 1)} follow renderRow={(i) => <Text dimColor>{lines[i]}</Text>} />
      </Box>
      <Box marginTop={1}>
        <Paragraph width={width} color="yellow">
          {footer}
        </Paragraph>
      </Box>
    </Box>
  );
}

/** The end of the apply as rows: the verdict, then every node's state and last message, whole. */
export function appliedRows(applied: ClusterApplied, start: boolean, width: number): { text: string; color?: string }[] {
  const c = progressCounts(applied.progress);
  const n = applied.progress.nodes.length;
  const verdict = applied.ok
    ? `The cluster is applied${start ? ' and started' : ''}: ${n} nodes.`
    : `ansible-playbook exited ${applied.exit}: ${c.failed + c.unreachable} node${c.failed + c.unreachable === 1 ? '' : 's'} failed or could not be reached${c.waiting ? `, ${c.waiting} not reached by the playbook (left as they were)` : ''}. Fix it, then r checks again and a applies again: the nodes already done report no change.`;
  const rows: { text: string; color?: string }[] = paragraphRows(verdict, width).map((text) => ({ text, color: applied.ok ? 'green' : 'red' }));
  rows.push({ text: '' });
  for (const node of applied.progress.nodes) {
    const said = `${node.name} (${ROLE_INFO[node.role].title}): ${progressWord(node.state)}${node.changed ? `, ${node.changed} changed` : ''}${node.message ? ` — ${node.message}` : ''}`;
    const color = COLOR[node.state];
    rows.push(...paragraphRows(safeMessage(said), width, 0, '  ').map((text) => ({ text, ...(color ? { color } : {}) })));
  }
  for (const l of applied.ok ? [] : applied.stderr) rows.push(...paragraphRows(safeMessage(l), width).map((text) => ({ text, color: 'yellow' })));
  return rows;
}

export function ClusterApplied({ rows, offset, height }: { rows: { text: string; color?: string }[]; offset: number; height: number }) {
  return <ScrollView count={rows.length} height={height} offset={offset} position renderRow={(i) => <Text color={rows[i]!.color}>{rows[i]!.text || ' '}</Text>} />;
}
