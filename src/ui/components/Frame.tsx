// The frame every screen is drawn in: the demo banner, the step indicator, the screen's
// body and the keys. While the wizard runs, the frame is exactly one row shorter than the
// terminal and clips what does not fit, so Ink never has to redraw a frame taller than the
// screen (which would scroll it and leave copies behind). Nothing is cut silently: the banner
// and the keys wrap (frameChrome counts their rows), and a body taller than the room left
// (a window smaller than the screen needs) ends with one line that says so.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Box, Text, measureElement, type DOMElement } from 'ink';
import type { Role } from '../../core/answers/schema.js';
import { DESIGN_SIZE, type TerminalSize } from '../hooks/useTerminalSize.js';
import { StepIndicator } from './StepIndicator.js';
import { wrapWords } from './wrap.js';

export interface FrameProps {
  /** "DEMO — writing under <dir>", on every screen of a demo run. */
  banner?: string;
  role?: Role;
  /** The step of the procedure shown, when not the role's own (5 on the start screen). */
  step?: number;
  screen: string;
  keys?: string;
  width: number;
  /** Rows of the whole frame; undefined for the last frame left on the terminal after exit. */
  height?: number;
  /** The terminal's size, named in the line asked for a larger window. */
  size?: TerminalSize;
  children: ReactNode;
}

const KEY_SEPARATOR = ' · ';

/** The keys line as rows: whole "key action" items, broken between items, never inside one when it fits. */
export function keysRows(keys: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const item of keys.split(KEY_SEPARATOR)) {
    const joined = row ? row + KEY_SEPARATOR + item : item;
    if (wrapWords(joined, width).length === 1) {
      row = joined;
      continue;
    }
    if (row) rows.push(row);
    const pieces = wrapWords(item, width);
    rows.push(...pieces.slice(0, -1));
    row = pieces.at(-1)!;
  }
  if (row) rows.push(row);
  return rows;
}

/** The banner as rows ("DEMO — writing under <dir>", the dir whole). */
export function bannerRows(banner: string, width: number): string[] {
  return wrapWords(banner, Math.max(10, width - 2));
}

/**
 * Rows the frame itself uses around the body (banner, two indicator lines, a gap, the keys).
 * With the texts and the width, the banner and the keys count the rows they wrap to; a flag
 * counts one row.
 */
export function frameChrome(banner: boolean | string | undefined, keys: boolean | string, width = Infinity): number {
  const rows = (t: boolean | string | undefined, wrap: (s: string, w: number) => string[]) =>
    typeof t === 'string' ? (t === '' ? 0 : Number.isFinite(width) ? wrap(t, width).length : 1) : t ? 1 : 0;
  return rows(banner, bannerRows) + 2 + 1 + rows(keys, keysRows);
}

/** The line shown when the body does not fit: the window's size, the rows this screen needs, what to do. */
export function tooSmallLine(size: TerminalSize, needRows: number): string {
  return `↓ This window is ${size.columns}×${size.rows}; this screen needs ${Math.max(DESIGN_SIZE.columns, size.columns)}×${needRows}: enlarge it (Ctrl-C quits)`;
}

export function Frame({ banner, role, step, screen, keys, width, height, size, children }: FrameProps) {
  // The body's natural height, measured once drawn: taller than its room means rows were clipped.
  const content = useRef<DOMElement>(null);
  const [contentRows, setContentRows] = useState(0);
  useEffect(() => {
    if (!content.current) return;
    const rows = measureElement(content.current).height;
    if (rows !== contentRows) setContentRows(rows);
  });
  const room = height === undefined ? undefined : height - frameChrome(banner, keys ?? '', width);
  const clipped = room !== undefined && contentRows > room;
  const warning = clipped ? wrapWords(tooSmallLine(size ?? { columns: width, rows: height! + 1 }, contentRows + (height! + 1 - room!)), width) : [];
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {banner
        ? bannerRows(banner, width).map((row, i) => (
            <Text key={i} backgroundColor="yellow" color="black" bold>
              {` ${row} `}
            </Text>
          ))
        : null}
      <Box flexShrink={0}>
        <StepIndicator role={role} screen={screen} step={step} />
      </Box>
      {/* The body clips; its content keeps its natural height (a shrunk Ink box overlaps its lines). */}
      <Box
        flexDirection="column"
        marginTop={1}
        overflowY="hidden"
        {...(clipped ? { height: Math.max(0, room! - warning.length), flexGrow: 0, flexShrink: 0 } : { flexGrow: 1, flexShrink: 1 })}
      >
        <Box ref={content} flexDirection="column" flexShrink={0}>
          {children}
        </Box>
      </Box>
      {warning.map((row, i) => (
        <Text key={i} color="yellow">
          {row}
        </Text>
      ))}
      {keys
        ? keysRows(keys, width).map((row, i) => (
            <Text key={i} dimColor>
              {row}
            </Text>
          ))
        : null}
    </Box>
  );
}
