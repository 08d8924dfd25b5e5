// One question: the prompt, the input, where the starting value came from, the field's
// one-line help, and the schema's message when the value does not pass.
import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import type { FieldSpec } from '../../core/answers/schema.js';
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

/**
 * Typed text keeps printable characters only (a pasted line break or tab would end up in
 * carbon.xml). Ink hands over keys that arrive together as one chunk of text, so a held-down
 * Backspace (DEL or BS bytes) inside such a chunk still deletes, as the admin meant.
 */
export function cleanTyped(text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\u007f' || ch === '\b') out.pop();
    else if (!/[\u0000-\u001f]/.test(ch)) out.push(ch);
  }
  return out.join('');
}

export function Field({ field, width, text, source, problem, note, onChange, onSubmit }: FieldProps) {
  return (
    <Box flexDirection="column">
      <Text bold color="cyan" wrap="truncate-end">
        {`❯ ${field.prompt}`}
      </Text>
      <Box>
        <Text>{'  > '}</Text>
        <TextInput key={field.key} value={text} onChange={(v) => onChange(cleanTyped(v))} onSubmit={onSubmit} />
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
        <Paragraph color="red" width={width} indent={4}>{`✖ ${problem}`}</Paragraph>
      ) : null}
    </Box>
  );
}
