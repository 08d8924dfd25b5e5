// One question: the prompt, the input, where the starting value came from, the field's
// one-line help, and the schema's message when the value does not pass. Every part wraps to
// the width (wrap.ts), so fieldRows can say how tall the question is before it is drawn.
import { Box, Text } from 'ink';
import type { FieldSpec } from '../../core/answers/schema.js';
import { safeMessage } from '../../core/messages/shown.js';
import { LineInput, type TypeAhead } from './LineInput.js';
import { Paragraph, paragraphRows } from './Paragraph.js';
import { typedRows } from './wrap.js';

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
  /** Keys typed ahead of the next question, and whether this one is waiting (LineInput). */
  typeAhead?: TypeAhead;
  paused?: boolean;
}

const INPUT_PROMPT = '  > ';
/** Starts each further row of a typed text wrapped at the edge (screen-helpers reads the rows back joined). */
export const INPUT_CONTINUED = '  ┆ ';

function helpLine(field: FieldSpec, source: string): string {
  return `${field.kind === 'boolean' ? 'yes or no · ' : ''}${source ? `${source} · ` : ''}${field.help}`;
}

const inputWidth = (width: number) => Math.max(1, width - INPUT_PROMPT.length);

/** The rows the question takes, as drawn. */
export function fieldRows({ field, width, text, source, problem, note }: Pick<FieldProps, 'field' | 'width' | 'text' | 'source' | 'problem' | 'note'>): number {
  return (
    paragraphRows(field.prompt, width, 0, '❯ ').length +
    typedRows(text, inputWidth(width)) +
    (note ? paragraphRows(note, width, 4).length : 0) +
    paragraphRows(helpLine(field, source), width, 4).length +
    (problem ? paragraphRows(safeMessage(problem), width, 4, '✖ ').length : 0)
  );
}

export function Field({ field, width, text, source, problem, note, onChange, onSubmit, typeAhead, paused }: FieldProps) {
  const rows = typedRows(text, inputWidth(width));
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Paragraph bold color="cyan" width={width} hang="❯ ">
        {field.prompt}
      </Paragraph>
      <Box>
        <Box width={INPUT_PROMPT.length} flexShrink={0} flexDirection="column">
          {Array.from({ length: rows }, (_, r) => (
            <Text key={r} dimColor={r > 0}>
              {r === 0 ? INPUT_PROMPT : INPUT_CONTINUED}
            </Text>
          ))}
        </Box>
        <Box width={inputWidth(width)} flexShrink={0}>
          <LineInput key={field.key} value={text} typeAhead={typeAhead} paused={paused} width={inputWidth(width)} onChange={onChange} onSubmit={onSubmit} />
        </Box>
      </Box>
      {note ? (
        <Paragraph color="cyan" width={width} indent={4}>
          {note}
        </Paragraph>
      ) : null}
      <Paragraph dimColor width={width} indent={4}>
        {helpLine(field, source)}
      </Paragraph>
      {problem ? (
        <Paragraph color="red" width={width} indent={4} hang="✖ ">
          {safeMessage(problem)}
        </Paragraph>
      ) : null}
    </Box>
  );
}
