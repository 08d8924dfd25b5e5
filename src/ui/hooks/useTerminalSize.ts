// The terminal's size, following resizes. Tests pass a fixed size; a stream without one
// (a pipe, ink-testing-library) is laid out as the 80×24 the wizard is designed for.
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export const DESIGN_SIZE: TerminalSize = { columns: 80, rows: 24 };

function measure(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || DESIGN_SIZE.columns, rows: stdout.rows || DESIGN_SIZE.rows };
}

export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => fixed ?? measure(stdout));
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(measure(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
