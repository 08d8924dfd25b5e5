// Scrolling a list of lines inside a fixed number of rows: ↑/↓ one line, PgUp/PgDn a page,
// Home/End the ends. The offset is clamped whenever the content or the room changes.
import { useCallback, useState } from 'react';
import type { Key } from 'ink';

export interface Scroll {
  offset: number;
  /** Returns true when the key was a scrolling key. */
  handleKey: (input: string, key: Key) => boolean;
  reset: () => void;
}

export function maxOffset(total: number, height: number): number {
  return Math.max(0, total - height);
}

/** Where a scrolling key moves the offset (clamped), or undefined when it is not one. */
export function scrollTarget(input: string, key: Key, offset: number, total: number, height: number): number | undefined {
  const page = Math.max(1, height - 1);
  const last = maxOffset(total, height);
  let next: number | undefined;
  if (key.upArrow || input === 'k') next = offset - 1;
  else if (key.downArrow || input === 'j') next = offset + 1;
  else if (key.pageUp) next = offset - page;
  else if (key.pageDown || input === ' ') next = offset + page;
  else if (key.home) next = 0;
  else if (key.end) next = last;
  return next === undefined ? undefined : Math.max(0, Math.min(last, next));
}

export function useScroll(total: number, height: number): Scroll {
  const [raw, setRaw] = useState(0);
  const offset = Math.min(raw, maxOffset(total, height));
  const handleKey = useCallback(
    (input: string, key: Key): boolean => {
      const next = scrollTarget(input, key, offset, total, height);
      if (next === undefined) return false;
      setRaw(next);
      return true;
    },
    [offset, total, height],
  );
  const reset = useCallback(() => setRaw(0), []);
  return { offset, handleKey, reset };
}
