// Step 3 of the flow: the role's questions. The current one is open (Field); the others
// are listed with their value and its source, each wrapped in its column (never cut). When
// not all fit, a window around the open one shows, with "↑ 3 more" / "↓ 2 more" for the rest.
// Enter accepts, Esc or ↑ goes back one.
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { Field, fieldRows } from '../components/Field.js';
import { typeAhead } from '../components/LineInput.js';
import { Paragraph, paragraphRows } from '../components/Paragraph.js';
import { cellWidth, padCells, wrapWords } from '../components/wrap.js';
import { shortLabel, TYPED, type QuestionRow } from '../questions-model.js';

/** The keys line under the questions. */
export const QUESTIONS_KEYS = 'Enter accept · Esc/↑ previous question · Ctrl-C quit (nothing is written)';

export interface QuestionsProps {
  rows: QuestionRow[];
  index: number;
  width: number;
  /** Terminal rows the screen may use: on a short terminal the list shows a window around the open question. */
  height: number;
  /** Cross-field problems (resolveAnswers) or a planning error, shown before leaving the questions. */
  problems: string[];
  busy: boolean;
  /** The file check of a question that has one (questions-model fileCheckAt), run on Enter before moving on. */
  checkAnswer?: (key: string, rows: readonly QuestionRow[]) => Promise<string | undefined> | undefined;
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

const LABEL_WIDTH = 23;
const PREFIX_CELLS = 5;

function markOf(row: QuestionRow, i: number, index: number): string {
  return row.check.problem && i < index ? '✖' : i < index ? '✔' : '·';
}

/**
 * A listed question as rows: its label, then its value and (dim) source. They stand in two
 * columns when both fit; a longer value gets the whole width after the label, wrapped after a
 * `/` or at words, with the source after it (on the next row when it does not fit beside it).
 */
export function listRowLines(row: QuestionRow, mark: string, width: number): { prefix: string; label: string; value: string; source: string }[] {
  const prefix = `  ${mark} `;
  // Ink counts ✔ and ✖ two cells wide (a terminal draws one): the columns are sized for that, laid out for one.
  const right = Math.max(10, width - PREFIX_CELLS - LABEL_WIDTH - 1);
  const valueWidth = Math.min(32, Math.max(12, right - 26));
  const sourceWidth = right - valueWidth - 1;
  const value = row.text !== '' ? row.text : row.field.kind === 'boolean' ? '(not set)' : '(empty)';
  const labels = wrapWords(shortLabel(row.field), LABEL_WIDTH);
  const source = row.source;
  let parts: { value: string; source: string }[];
  if (cellWidth(value) <= valueWidth && cellWidth(source) <= sourceWidth) {
    parts = [{ value: source ? padCells(value, valueWidth) + ' ' : value, source }];
  } else {
    parts = wrapWords(value, right).map((v) => ({ value: v, source: '' }));
    const last = parts.at(-1)!;
    if (!source) {
      // no source to add
    } else if (cellWidth(last.value) + 1 + cellWidth(source) <= right) {
      last.value += ' ';
      last.source = source;
    } else {
      parts.push(...wrapWords(source, right).map((src) => ({ value: '', source: src })));
    }
  }
  const n = Math.max(labels.length, parts.length);
  return Array.from({ length: n }, (_, r) => ({
    prefix: r === 0 ? prefix : ' '.repeat(prefix.length),
    label: padCells(labels[r] ?? '', LABEL_WIDTH) + ' ',
    value: parts[r]?.value ?? '',
    source: parts[r]?.source ?? '',
  }));
}

function ListRow({ row, mark, width }: { row: QuestionRow; mark: string; width: number }) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {listRowLines(row, mark, width).map((l, r) => (
        <Text key={r}>
          <Text color={mark === '✖' ? 'red' : mark === '✔' ? 'green' : undefined}>{l.prefix}</Text>
          <Text>{l.label}</Text>
          <Text>{l.value}</Text>
          <Text dimColor>{l.source}</Text>
        </Text>
      ))}
    </Box>
  );
}

/**
 * Which questions fit in `room` rows, each `heights[i]` rows tall: [first, last) around the open
 * one (`index`, always in), with a row each for "↑ n more" and "↓ n more" when some are hidden.
 */
export function listWindow(heights: readonly number[], index: number, room: number): [number, number] {
  const total = heights.reduce((n, h) => n + h, 0);
  if (total <= room) return [0, heights.length];
  let first = index;
  let last = index + 1;
  let used = heights[index]!;
  const marks = (a: number, b: number) => (a > 0 ? 1 : 0) + (b < heights.length ? 1 : 0);
  // Grow below and above in turn, as long as the rows and the marks they still need fit.
  for (let grew = true, below = true; grew; below = !below) {
    grew = false;
    for (const side of below ? [1, -1] : [-1, 1]) {
      const a = side < 0 ? first - 1 : first;
      const b = side > 0 ? last + 1 : last;
      const h = side < 0 ? heights[a] : heights[b - 1];
      if (h === undefined || a < 0 || used + h + marks(a, b) > room) continue;
      [first, last, used, grew] = [a, b, used + h, true];
      break;
    }
  }
  return [first, last];
}

export function Questions({ rows, index, width, height, problems, busy, checkAnswer, onEdit, onIndex, onBack, onDone }: QuestionsProps) {
  // The field's message shows once Enter was pressed on it, then follows the typing.
  const [tried, setTried] = useState<number | undefined>(undefined);
  // A file check's result belongs to the text it checked: typing again hides it (and Enter checks anew).
  const [fileCheck, setFileCheck] = useState<{ index: number; text: string; problem?: string; running: boolean } | undefined>(undefined);
  const row = rows[index]!;
  // Keys typed after an Enter go to the next question (or back to this one if it is refused).
  const ahead = useRef(typeAhead()).current;
  // What the screen holds now, for a check that ends after later renders.
  const now = useRef({ index, text: row.text, rows, onIndex, onDone });
  now.current = { index, text: row.text, rows, onIndex, onDone };
  const go = (i: number) => {
    setTried(undefined);
    now.current.onIndex(i);
  };
  const next = (i: number) => {
    if (i + 1 < now.current.rows.length) go(i + 1);
    else now.current.onDone();
  };
  const accept = () => {
    if (busy) return;
    if (row.check.problem) return setTried(index);
    if (fileCheck?.running && fileCheck.index === index && fileCheck.text === row.text) return;
    const pending = checkAnswer?.(row.field.key, rows);
    if (!pending) return next(index);
    const at = { index, text: row.text };
    setFileCheck({ ...at, running: true });
    void pending.then((problem) => {
      setFileCheck((c) => (c && c.index === at.index && c.text === at.text ? { ...at, problem, running: false } : c));
      // Moves on only if the admin is still on that answer, unchanged: keys typed meanwhile are theirs.
      if (!problem && now.current.index === at.index && now.current.text === at.text) next(at.index);
    });
  };
  useInput((_input, key) => {
    if (busy) return;
    if (key.escape) {
      if (index === 0) onBack();
      else go(index - 1);
    } else if (key.upArrow && index > 0) go(index - 1);
    else if (key.downArrow) accept();
  });
  const checked = fileCheck && fileCheck.index === index && fileCheck.text === row.text ? fileCheck : undefined;
  const shownProblem = tried === index ? problemText(row) : checked?.problem;
  const source = row.source === TYPED ? '' : row.source;
  const heights = rows.map((r, i) => (i === index ? fieldRows({ field: r.field, width, text: r.text, source, problem: shownProblem, note: r.note }) : listRowLines(r, markOf(r, i, index), width).length));
  const problemRows = problems.length ? 2 + problems.reduce((n, p) => n + paragraphRows(p, width, 2, '✖ ').length, 0) : 0;
  const [first, last] = listWindow(heights, index, height - problemRows - (busy || checked?.running ? 1 : 0));
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
            source={source}
            problem={shownProblem}
            note={r.note}
            // Every change goes up, never compared with r.text: that is the last render's value,
            // and keys that arrive between renders (Delete, then the same letter again) would be dropped.
            onChange={(text) => onEdit(r.field.key, text)}
            onSubmit={accept}
            typeAhead={ahead}
            paused={busy || checked?.running === true}
          />
        ) : (
          <ListRow key={r.field.key} row={r} width={width} mark={markOf(r, i, index)} />
        );
      })}
      {last < rows.length ? <Text dimColor>{`  ↓ ${rows.length - last} more`}</Text> : null}
      {busy ? <Text dimColor>Planning: reading the files…</Text> : checked?.running ? <Text dimColor>Checking the file…</Text> : null}
      {problems.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red" bold>Fix before the review:</Text>
          {problems.map((p) => (
            <Paragraph key={p} color="red" width={width} indent={2} hang="✖ ">
              {p}
            </Paragraph>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
