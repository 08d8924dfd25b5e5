// The whole cluster's review in one screen: the counts, one row per node (its state and what
// would change), the selected node's line whole; Enter opens that node's diffs, Tab the next node's.
import { Box, Text } from 'ink';
import { ROLE_INFO } from '../../core/answers/schema.js';
import type { NodeOutcome } from '../../core/cluster/results.js';
import { nodeLine, reviewTitle } from '../../core/cluster/review.js';
import { DiffView } from '../components/DiffView.js';
import type { DiffLine } from '../components/diff-lines.js';
import { Paragraph, paragraphRows } from '../components/Paragraph.js';
import { ScrollView } from '../components/ScrollView.js';

const WORD: Record<NodeOutcome['state'], { word: string; color: string }> = {
  'in-sync': { word: 'in sync', color: 'green' },
  pending: { word: 'changes', color: 'yellow' },
  unreachable: { word: 'UNREACHABLE', color: 'red' },
  failed: { word: 'FAILED', color: 'red' },
};

/** What a row says after the state: how many files, or that nothing changes. */
function short(o: NodeOutcome): string {
  if (!o.document) return '';
  const n = o.document.files.filter((f) => f.status !== 'unchanged').length;
  const answers = o.document.answers.length;
  if (!n && !answers) return 'nothing to change';
  return [n ? `${n} file${n === 1 ? '' : 's'}` : '', answers ? `${answers} answer${answers === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
}

/** The rows above the diff: the node and its summary (the diff gets all the rest). */
export function diffHeading(o: NodeOutcome): string {
  return `${o.name} (${ROLE_INFO[o.role].title}, ${o.address}): ${o.document?.summary ?? WORD[o.state].word}`;
}

export interface ClusterReviewProps {
  outcomes: NodeOutcome[];
  selected: number;
  diff?: { offset: number; lines: DiffLine[]; rows: number };
  note?: string;
  width: number;
  rows: number;
}

export function ClusterReview({ outcomes, selected, diff, note, width, rows }: ClusterReviewProps) {
  const node = outcomes[selected]!;
  if (diff) {
    return (
      <Box flexDirection="column">
        <Paragraph bold width={width}>
          {diffHeading(node)}
        </Paragraph>
        <DiffView lines={diff.lines} offset={diff.offset} height={diff.rows} />
      </Box>
    );
  }
  const w = (get: (o: NodeOutcome) => string, min: number) => Math.max(min, ...outcomes.map((o) => get(o).length));
  const [name, role, addr] = [w((o) => o.name, 4), w((o) => ROLE_INFO[o.role].title, 4), w((o) => o.address, 7)];
  const title = reviewTitle(outcomes);
  const detail = `${node.name}: ${nodeLine(node)}`;
  const fixed = paragraphRows(title, width).length + 2 + paragraphRows(detail, width).length + 1 + (note ? paragraphRows(note, width, 0, '! ').length : 0);
  const tableRows = Math.max(1, rows - fixed);
  // The selected row stays in view: the table scrolls under it (a longer table gives a row to its position line).
  const room = outcomes.length > tableRows ? Math.max(1, tableRows - 1) : tableRows;
  const offset = Math.max(0, Math.min(selected - room + 1, outcomes.length - room));
  return (
    <Box flexDirection="column">
      <Paragraph bold width={width}>
        {title}
      </Paragraph>
      <Text bold wrap="truncate-end">{`  ${'node'.padEnd(name)}  ${'role'.padEnd(role)}  ${'address'.padEnd(addr)}  state`}</Text>
      <ScrollView
        count={outcomes.length}
        height={tableRows}
        offset={offset}
        position
        renderRow={(i) => {
          const o = outcomes[i]!;
          return (
            <Text wrap="truncate-end">
              <Text color="cyan">{i === selected ? '❯ ' : '  '}</Text>
              <Text bold={i === selected}>{o.name.padEnd(name)}</Text>
              {`  ${ROLE_INFO[o.role].title.padEnd(role)}  ${o.address.padEnd(addr)}  `}
              <Text color={WORD[o.state].color}>{WORD[o.state].word}</Text>
              {short(o) ? `  ${short(o)}` : ''}
            </Text>
          );
        }}
      />
      <Box marginTop={1} flexDirection="column">
        <Paragraph width={width} dimColor={node.state === 'in-sync'} color={node.state === 'failed' || node.state === 'unreachable' ? 'red' : undefined}>
          {detail}
        </Paragraph>
      </Box>
      {note ? (
        <Paragraph width={width} color="yellow" hang="! ">
          {note}
        </Paragraph>
      ) : null}
    </Box>
  );
}
