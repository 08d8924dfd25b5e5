// Apply failed: the error, and which files were put back as they were.
import { Box, Text } from 'ink';
import { Paragraph } from '../components/Paragraph.js';

export interface Failure {
  message: string;
  /** Files applyPlan restored; undefined when it failed before writing any. */
  restored?: string[];
}

export function Failed({ failure, width }: { failure: Failure; width: number }) {
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
              <Text key={f} wrap="truncate-middle">{`  ↺ ${f}`}</Text>
            ))}
          </>
        ) : (
          <Text>Nothing had been written yet: every file is as it was.</Text>
        )}
      </Box>
    </Box>
  );
}
