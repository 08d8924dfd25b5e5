// Prose wrapped at word boundaries by us: Ink's own wrapping keeps the space it breaks at,
// which starts the next line with a blank.
import { Box, Text } from 'ink';

export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    // A single word longer than the line is cut, never allowed to overflow the frame.
    let w = word;
    while (w.length > width) {
      if (line) lines.push(line);
      lines.push(w.slice(0, width));
      line = '';
      w = w.slice(width);
    }
    line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

export interface ParagraphProps {
  children: string;
  width: number;
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
  /** Spaces before every line (and counted in the width). */
  indent?: number;
}

export function Paragraph({ children, width, indent = 0, ...style }: ParagraphProps) {
  const pad = ' '.repeat(indent);
  return (
    <Box flexDirection="column">
      {wrapWords(children, Math.max(10, width - indent)).map((l, i) => (
        <Text key={i} {...style}>
          {pad + l}
        </Text>
      ))}
    </Box>
  );
}
