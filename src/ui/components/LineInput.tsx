// One line of typed text that never loses a key. Every input event is applied, as it arrives,
// to the editor's own value and cursor (line-editor.ts), kept outside React's render cycle:
// keys that come faster than the screen redraws build on each other, not on the last frame.
// The parent gets each new value (onChange) and, on Enter, onSubmit once its own state holds
// the line, as if the admin had waited. The raw events are read from Ink's stdin emitter
// because its key names cannot tell Backspace (DEL) from the Delete key (both "delete").
import { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import { cellRows } from './wrap.js';
import { applyKeys, lineAt, type Line } from './line-editor.js';

/**
 * Keys typed after Enter, before the next question's input is there (or while this one waits
 * for a check): kept in order and handed to whichever input reads next, as a shell's type-ahead.
 */
export interface TypeAhead {
  put: (data: string) => void;
  take: () => string[];
}

export function typeAhead(): TypeAhead {
  let queued: string[] = [];
  return {
    put: (data) => void (data && queued.push(data)),
    take: () => {
      const all = queued;
      queued = [];
      return all;
    },
  };
}

export interface LineInputProps {
  value: string;
  /** Where keys typed ahead wait (the question screen's); without it they are dropped. */
  typeAhead?: TypeAhead;
  /** The answer is being checked or planned: keys typed now wait in typeAhead. */
  paused?: boolean;
  /** Cells per row: the text wraps at the edge, every character kept (Field); without it Ink wraps it at words. */
  width?: number;
  onChange: (text: string) => void;
  onSubmit: () => void;
}

export function LineInput({ value, typeAhead, paused = false, width, onChange, onSubmit }: LineInputProps) {
  const { internal_eventEmitter: events } = useStdin();
  // Ink reads the terminal only while a component takes input (raw mode): this one does.
  useInput(() => {});
  const line = useRef<Line>(lineAt(value));
  // Values sent to the parent that its props have not caught up with yet.
  const sent = useRef<string[]>([]);
  // After Enter, keys are the next question's, never this answer's.
  const submitted = useRef(false);
  // A new object per Enter: pressing it twice submits twice.
  const [submit, setSubmit] = useState<object | undefined>(undefined);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const handlers = useRef({ onChange, onSubmit });
  handlers.current = { onChange, onSubmit };
  const waiting = useRef({ typeAhead, paused });
  waiting.current = { typeAhead, paused };
  // Set once the submit was handed over and on every unpause: the keys typed ahead are read then.
  const [drain, setDrain] = useState<object>({});

  // The parent set the value itself (a reset, a fixed default): take it, cursor at the end.
  if (value === line.current.value) sent.current = [];
  else if (!sent.current.includes(value)) {
    line.current = lineAt(value);
    sent.current = [];
  }

  const onInput = useRef((data: string) => {
    const wait = waiting.current;
    if (submitted.current || wait.paused) return wait.typeAhead?.put(data);
    const before = line.current;
    const r = applyKeys(before, data);
    line.current = r.line;
    if (r.line.value !== before.value) {
      sent.current.push(r.line.value);
      handlers.current.onChange(r.line.value);
    }
    if (r.submit) {
      submitted.current = true;
      wait.typeAhead?.put(r.rest ?? '');
      setSubmit({});
    } else if (r.line !== before) redraw();
  }).current;
  useEffect(() => {
    events.on('input', onInput);
    return () => {
      events.removeListener('input', onInput);
    };
  }, [events, onInput]);
  // On mount, after a submit was taken, and when no longer paused: the keys typed ahead, in order.
  useEffect(() => {
    if (paused || submitted.current) return;
    for (const data of typeAhead?.take() ?? []) onInput(data);
  }, [drain, paused, typeAhead, onInput]);

  // The parent's submit reads its own state: wait until that state holds the line.
  useEffect(() => {
    if (submit && value === line.current.value) {
      setSubmit(undefined);
      submitted.current = false;
      handlers.current.onSubmit();
      // Still here (the answer was refused, or is being checked): the keys typed ahead are this line's.
      setDrain({});
    }
  }, [value, submit]);

  const chars = Array.from(line.current.value);
  const at = line.current.cursor;
  if (width === undefined) {
    return (
      <Text>
        {chars.slice(0, at).join('')}
        <Text inverse>{chars[at] ?? ' '}</Text>
        {chars.slice(at + 1).join('')}
      </Text>
    );
  }
  // With a width: rows cut at the edge as a terminal wraps typed text (every character kept,
  // spaces too), so the rows can be counted (typedRows) and read back joined.
  let start = 0;
  return (
    <Box flexDirection="column">
      {cellRows([...chars, ' '], width).map((row, r) => {
        const from = start;
        start += row.length;
        const cursor = at - from;
        const cells = row.map((c, i) => (from + i < chars.length ? c : ' '));
        if (cursor < 0 || cursor >= row.length) return <Text key={r}>{cells.join('')}</Text>;
        return (
          <Text key={r}>
            {cells.slice(0, cursor).join('')}
            <Text inverse>{cells[cursor]}</Text>
            {cells.slice(cursor + 1).join('')}
          </Text>
        );
      })}
    </Box>
  );
}
