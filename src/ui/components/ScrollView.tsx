// A window of `height` rows over `count` rows of content, for diffs and, with `follow`,
// for logs (the tail stays in view). Each row must render as one terminal line.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { maxOffset } from '../hooks/useScroll.js';

export interface ScrollViewProps {
  count: number;
  height: number;
  offset?: number;
  /** Keep the last rows in view (a log). */
  follow?: boolean;
  renderRow: (index: number) => ReactNode;
  /** Show "lines 1–20 of 84" under the window when the content is longer than it. */
  position?: boolean;
  /** Said before the position ("↵ a long line goes on in the next row"). */
  note?: string;
}

export function visibleRange(count: number, height: number, offset: number, follow: boolean): [number, number] {
  const start = follow ? maxOffset(count, height) : Math.min(offset, maxOffset(count, height));
  return [start, Math.min(count, start + height)];
}

export function ScrollView({ count, height, offset = 0, follow = false, renderRow, position = false, note }: ScrollViewProps) {
  const room = Math.max(1, position ? height - 1 : height);
  const [start, end] = visibleRange(count, room, offset, follow);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) rows.push(<Box key={i}>{renderRow(i)}</Box>);
  return (
    <Box flexDirection="column">
      {rows}
      {position && count > room ? (
        <Text dimColor wrap="truncate-end">{`${note ? `${note} · ` : ''}lines ${start + 1}–${end} of ${count}${end < count ? ' · more below' : ''}`}</Text>
      ) : null}
    </Box>
  );
}
