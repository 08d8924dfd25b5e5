// The frame left on the terminal after the wizard exits: what happened, in a few lines,
// with the paths and the next command still there to copy.
import { Box, Text } from 'ink';
import type { Outcome } from './Summary.js';

export function Farewell({ message, outcome }: { message: string; outcome?: Outcome }) {
  return (
    <Box flexDirection="column">
      {outcome?.result.written.length ? (
        <>
          <Text color="green">{`Applied: ${outcome.result.written.length} file(s) written.`}</Text>
          {outcome.result.backupDir ? <Text>{`Backups:   ${outcome.result.backupDir}`}</Text> : null}
          {outcome.savedFile ? <Text>{`Answers:   ${outcome.savedFile} (mode 600)`}</Text> : null}
          {outcome.nextCommand ? <Text>{`Next node: ${outcome.nextCommand}`}</Text> : null}
        </>
      ) : null}
      <Text bold>{message}</Text>
    </Box>
  );
}
