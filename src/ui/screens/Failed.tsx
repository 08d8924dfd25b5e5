// Apply failed: the error, and which files were put back as they were. b goes back to the
// answers, q quits.
import { Box, Text, useInput } from 'ink';
import { Paragraph } from '../components/Paragraph.js';

export interface Failure {
  message: string;
  /** Files applyPlan restored; undefined when it failed before writing any. */
  restored?: string[];
}

export const FAILED_KEYS = 'b back to the answers · q quit';

export function Failed({ failure, width, onBack, onQuit }: { failure: Failure; width: number; onBack: () => void; onQuit: () => void }) {
  useInput((input) => {
    if (input === 'q') onQuit();
    else if (input === 'b') onBack();
  });
  return (
    <Box flexDirection="column">
      <Text bold color="red">The apply failed.</Text>
      <Paragraph width={width}>{failure.message}</Paragraph>
      <Box marginTop={1} flexDirection="column">
        {failure.restored === undefined ? (
          <Text>No file was changed.</Text>
        ) : failure.restored.length ? (
          <>
            <Text>Put back as they were:</Text>
            {failure.restored.map((f) => (
              <Paragraph key={f} width={width} indent={2} hang="↺ ">
                {f}
              </Paragraph>
            ))}
          </>
        ) : (
          <Text>Nothing had been written yet: every file is as it was.</Text>
        )}
      </Box>
    </Box>
  );
}
