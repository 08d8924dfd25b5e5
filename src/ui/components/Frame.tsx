// The frame every screen is drawn in: the demo banner, the step indicator, the screen's
// body and one line of keys. While the wizard runs, the frame is exactly one row shorter
// than the terminal and clips what does not fit, so Ink never has to redraw a frame taller
// than the screen (which would scroll it and leave copies behind).
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Role } from '../../core/answers/schema.js';
import { StepIndicator } from './StepIndicator.js';

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
  children: ReactNode;
}

/** Rows the frame itself uses around the body (banner, two indicator lines, a gap, the keys line). */
export function frameChrome(banner: boolean, keys: boolean): number {
  return (banner ? 1 : 0) + 2 + 1 + (keys ? 1 : 0);
}

export function Frame({ banner, role, step, screen, keys, width, height, children }: FrameProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      {banner ? (
        <Text backgroundColor="yellow" color="black" bold wrap="truncate-middle">
          {` ${banner} `}
        </Text>
      ) : null}
      <Box flexShrink={0}>
        <StepIndicator role={role} screen={screen} step={step} />
      </Box>
      {/* The body clips; its content keeps its natural height (a shrunk Ink box overlaps its lines). */}
      <Box flexDirection="column" marginTop={1} flexGrow={1} flexShrink={1} overflowY="hidden">
        <Box flexDirection="column" flexShrink={0}>
          {children}
        </Box>
      </Box>
      {keys ? (
        <Box flexShrink={0}>
          <Text dimColor wrap="truncate-end">
            {keys}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
