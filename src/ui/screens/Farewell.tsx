// The frame left on the terminal after the wizard exits: what happened, in a few lines,
// with the paths still there to copy (wrapped at words and after a `/`, never inside a name);
// the next node's command follows the frame on a line of its own.
import { Box, Text } from 'ink';
import { Paragraph } from '../components/Paragraph.js';
import { wrapHanging } from '../components/wrap.js';
import type { Outcome } from './Summary.js';

/** A label and its path or command; the rows after the first start at column 0 (a copied path has no blanks in it). */
function Labelled({ label, text, width }: { label: string; text: string; width: number }) {
  return (
    <Box flexDirection="column">
      {wrapHanging(label.padEnd(11), text, width, '').map((row, i) => (
        <Text key={i}>{row}</Text>
      ))}
    </Box>
  );
}

export function Farewell({ message, outcome, width = 80 }: { message: string; outcome?: Outcome; width?: number }) {
  return (
    <Box flexDirection="column">
      {outcome?.result.written.length ? (
        <>
          <Text color="green">{`Applied: ${outcome.result.written.length} file(s) written.`}</Text>
          {outcome.result.backupDir ? <Labelled label="Backups:" text={outcome.result.backupDir} width={width} /> : null}
          {outcome.savedFile ? <Labelled label="Answers:" text={`${outcome.savedFile} (mode 600)`} width={width} /> : null}
          {/* The next node's command is printed after this frame, on one line (run.tsx): a wrapped one would copy as several. */}
        </>
      ) : null}
      <Paragraph bold width={width}>
        {message}
      </Paragraph>
    </Box>
  );
}
