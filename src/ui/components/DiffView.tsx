// One file's unified diff, coloured like the headless report, scrolled inside a fixed
// number of rows. The lines come already wrapped to the frame (diffLines with a width): a
// long line is several rows, each broken one ending with ↵, and every row is one terminal line.
import { Text } from 'ink';
import { ScrollView } from './ScrollView.js';
import type { DiffLine } from './diff-lines.js';
import { CONTINUED } from './wrap.js';

function Row({ line }: { line: DiffLine }) {
  const text = line.text === '' ? ' ' : line.text;
  if (line.style === 'bold') return <Text bold wrap="truncate-end">{text}</Text>;
  if (line.style) return <Text color={line.style} wrap="truncate-end">{text}</Text>;
  return <Text wrap="truncate-end">{text}</Text>;
}

export function DiffView({ lines, offset, height }: { lines: DiffLine[]; offset: number; height: number }) {
  // Said where the rows are counted: a wrapped line needs no key, only to be recognised.
  const note = lines.some((l) => l.text.endsWith(CONTINUED)) ? `${CONTINUED} a long line goes on in the next row` : undefined;
  return <ScrollView count={lines.length} height={height} offset={offset} position note={note} renderRow={(i) => <Row line={lines[i]!} />} />;
}
