// Apply: one line per file as it is written (applyPlan's onProgress). Ctrl-C here does not
// stop a write half-way: the wizard finishes (or restores) first, then quits.
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { ScrollView } from '../components/ScrollView.js';
import { paragraphRows } from '../components/Paragraph.js';

export function Applying({ log, rows, quitting, width = 80 }: { log: string[]; rows: number; quitting: boolean; width?: number }) {
  // Each entry wrapped to the frame (a path after a `/`), then followed as rows: the newest stay in view.
  const lines = log.flatMap((entry) => paragraphRows(entry, width, 2));
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>
        {' Writing: backup first, then each file atomically, then checked on disk.'}
      </Text>
      <Box marginTop={1}>
        <ScrollView count={lines.length} height={Math.max(1, rows - 4)} follow renderRow={(i) => <Text>{lines[i]}</Text>} />
      </Box>
      <Box marginTop={1}>
        <Text color="yellow">
          {quitting
            ? 'Ctrl-C: quitting as soon as every file is written or restored.'
            : 'Ctrl-C waits until every file is written or restored.'}
        </Text>
      </Box>
    </Box>
  );
}
