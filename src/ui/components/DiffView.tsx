// One file's unified diff, coloured like the headless report, scrolled inside a fixed
// number of rows. Long lines are cut at the frame's edge rather than wrapped, so the rows
// on screen are the rows of the diff.
import { Text } from 'ink';
import { ScrollView } from './ScrollView.js';
import type { DiffLine } from './diff-lines.js';

function Row({ line }: { line: DiffLine }) {
  const text = line.text === '' ? ' ' : line.text;
  if (line.style === 'bold') return <Text bold wrap="truncate-end">{text}</Text>;
  if (line.style) return <Text color={line.style} wrap="truncate-end">{text}</Text>;
  return <Text wrap="truncate-end">{text}</Text>;
}

export function DiffView({ lines, offset, height }: { lines: DiffLine[]; offset: number; height: number }) {
  return <ScrollView count={lines.length} height={height} offset={offset} position renderRow={(i) => <Row line={lines[i]!} />} />;
}
