// One question: the prompt, the input, where the starting value came from, the field's
// one-line help, and the schema's message when the value does not pass.
import { Box, Text } from 'ink';
import type { FieldSpec } from '../../core/answers/schema.js';
import { safeMessage } from '../../core/messages/shown.js';
import { LineInput } from './LineInput.js';
import { Paragraph } from './Paragraph.js';

export interface FieldProps {
  field: FieldSpec;
  label?: string;
  width: number;
  text: string;
  source: string;
  problem?: string;
  /** What the answer means here (questions-model fieldNote), above the help line. */
  note?: string;
  onChange: (text: string) => void;
  onSubmit: () => void;
}

export function Field({ field, width, text, source, problem, note, onChange, onSubmit }: FieldProps) {
  return (
    <Box flexDirection="column">
      <Text bold color="cyan" wrap="truncate-end">
        {`❯ ${field.prompt}`}
      </Text>
      <Box>
        <Text>{'  > '}</Text>
        <LineInput key={field.key} value={text} onChange={onChange} onSubmit={onSubmit} />
      </Box>
      {note ? (
        <Paragraph color="cyan" width={width} indent={4}>
          {note}
        </Paragraph>
      ) : null}
      <Paragraph dimColor width={width} indent={4}>
        {`${field.kind === 'boolean' ? 'yes or no · ' : ''}${source ? `${source} · ` : ''}${field.help}`}
      </Paragraph>
      {problem ? (
        <Paragraph color="red" width={width} indent={4}>{`✖ ${safeMessage(problem)}`}</Paragraph>
      ) : null}
    </Box>
  );
}
