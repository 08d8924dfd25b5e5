// Step 3 of the flow: the role's questions. The current one is open (Field); the others
// are listed with their value and its source. Enter accepts, Esc or ↑ goes back one.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { Field } from '../components/Field.js';
import { fit } from '../components/cluster-layout.js';
import { Paragraph, wrapWords } from '../components/Paragraph.js';
import { shortLabel, TYPED, type QuestionRow } from '../questions-model.js';

export interface QuestionsProps {
  rows: QuestionRow[];
  index: number;
  width: number;
  /** Terminal rows the screen may use: on a short terminal the list shows a window around the open question. */
  height: number;
  /** Cross-field problems (resolveAnswers) or a planning error, shown before leaving the questions. */
  problems: string[];
  busy: boolean;
  onEdit: (key: string, text: string) => void;
  onIndex: (index: number) => void;
  onBack: () => void;
  onDone: () => void;
}

export function problemText(row: QuestionRow): string | undefined {
  const p = row.check.problem;
  if (!p) return undefined;
  return p.startsWith('"') ? p : `${shortLabel(row.field)} ${p}`;
}

function ListRow({ row, mark, width }: { row: QuestionRow; mark: string; width: number }) {
  const labelWidth = 23;
  const valueWidth = Math.min(32, Math.max(12, width - labelWidth - 4 - 26));
  const value = row.text !== '' ? row.text : row.field.kind === 'boolean' ? '(not set)' : '(empty)';
  return (
    <Text wrap="truncate-end">
      <Text color={mark === '✖' ? 'red' : mark === '✔' ? 'green' : undefined}>{`  ${mark} `}</Text>
      <Text>{fit(shortLabel(row.field), labelWidth)} </Text>
      <Text>{fit(value, valueWidth)} </Text>
      <Text dimColor>{row.source}</Text>
    </Text>
  );
}

/** Which of the other questions fit: [first, last) around the open one, when not all do. */
export function listWindow(count: number, index: number, room: number): [number, number] {
  if (count <= room + 1) return [0, count];
  const others = Math.max(0, room - 2); // two rows say how many are hidden above and below
  let start = Math.max(0, index - Math.floor(others / 2));
  const end = Math.min(count, start + others + 1);
  start = Math.max(0, end - others - 1);
  return [start, end];
}

export function Questions({ rows, index, width, height, problems, busy, onEdit, onIndex, onBack, onDone }: QuestionsProps) {
  // The field's message shows once Enter was pressed on it, then follows the typing.
  const [tried, setTried] = useState<number | undefined>(undefined);
  const row = rows[index]!;
  const go = (i: number) => {
    setTried(undefined);
    onIndex(i);
  };
  const accept = () => {
    if (busy) return;
    if (row.check.problem) return setTried(index);
    if (index + 1 < rows.length) go(index + 1);
    else onDone();
  };
  useInput((_input, key) => {
    if (busy) return;
    if (key.escape) {
      if (index === 0) onBack();
      else go(index - 1);
    } else if (key.upArrow && index > 0) go(index - 1);
    else if (key.downArrow) accept();
  });
  const lines = (text: string, indent: number) => wrapWords(text, Math.max(10, width - indent)).length;
  const shownProblem = tried === index ? problemText(row) : undefined;
  const fieldRows = 2 + (row.note ? lines(row.note, 4) : 0) + lines(`${row.field.kind === 'boolean' ? 'yes or no · ' : ''}${row.source} · ${row.field.help}`, 4) + (shownProblem ? lines(`✖ ${shownProblem}`, 4) : 0);
  const problemRows = problems.length ? 2 + problems.reduce((n, p) => n + lines(`✖ ${p}`, 2), 0) : 0;
  const [first, last] = listWindow(rows.length, index, height - fieldRows - problemRows - (busy ? 1 : 0));
  return (
    <Box flexDirection="column">
      {first > 0 ? <Text dimColor>{`  ↑ ${first} more`}</Text> : null}
      {rows.slice(first, last).map((r, j) => {
        const i = first + j;
        return i === index ? (
          <Field
            key={r.field.key}
            field={r.field}
            width={width}
            text={r.text}
            source={r.source === TYPED ? '' : r.source}
            problem={shownProblem}
            note={r.note}
            // Every change goes up, never compared with r.text: that is the last render's value,
            // and keys that arrive between renders (Delete, then the same letter again) would be dropped.
            onChange={(text) => onEdit(r.field.key, text)}
            onSubmit={accept}
          />
        ) : (
          <ListRow key={r.field.key} row={r} width={width} mark={r.check.problem && i < index ? '✖' : i < index ? '✔' : '·'} />
        );
      })}
      {last < rows.length ? <Text dimColor>{`  ↓ ${rows.length - last} more`}</Text> : null}
      {busy ? <Text dimColor>Planning: reading the files…</Text> : null}
      {problems.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red" bold>Fix before the review:</Text>
          {problems.map((p) => (
            <Paragraph key={p} color="red" width={width} indent={2}>{`✖ ${p}`}</Paragraph>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
