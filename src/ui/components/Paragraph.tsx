// Prose wrapped by us (wrap.ts): Ink's own wrapping keeps the space it breaks at, which starts
// the next line with a blank, and it counts some symbols wider than the wrapping did.
import { Box, Text } from 'ink';
import { cellWidth, wrapHanging, wrapWords } from './wrap.js';

// The screens of other parts still import wrapWords from here; its home is wrap.ts.
export { wrapWords };

export interface ParagraphProps {
  children: string;
  width: number;
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
  /** Spaces before every line (and counted in the width). */
  indent?: number;
  /** Starts the first line ("✖ ", "! ", "❯ "); the next lines are indented as far, so the text lines up. */
  hang?: string;
}

/** The rows a Paragraph draws: what a screen counts when it sizes what is around it. */
export function paragraphRows(text: string, width: number, indent = 0, hang = ''): string[] {
  const pad = ' '.repeat(indent);
  const room = Math.max(10, width - indent);
  const rows = hang ? wrapHanging(hang, text, room) : wrapWords(text, room);
  return rows.map((l) => pad + l);
}

export function Paragraph({ children, width, indent = 0, hang, ...style }: ParagraphProps) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {paragraphRows(children, width, indent, hang).map((l, i) => (
        <Text key={i} {...style}>
          {cellWidth(l) ? l : ' '}
        </Text>
      ))}
    </Box>
  );
}
