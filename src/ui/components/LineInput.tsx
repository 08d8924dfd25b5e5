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

export interface LineInputProps {
  value: string;
  /** Cells per row: the text wraps at the edge, every character kept (Field); without it Ink wraps it at words. */
  width?: number;
  onChange: (text: string) => void;
  onSubmit: () => void;
}

export function LineInput({ value, width, onChange, onSubmit }: LineInputProps) {
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

  // The parent set the value itself (a reset, a fixed default): take it, cursor at the end.
  if (value === line.current.value) sent.current = [];
  else if (!sent.current.includes(value)) {
    line.current = lineAt(value);
    sent.current = [];
  }

  useEffect(() => {
    const onInput = (data: string) => {
      if (submitted.current) return;
      const before = line.current;
      const r = applyKeys(before, data);
      line.current = r.line;
      if (r.line.value !== before.value) {
        sent.current.push(r.line.value);
        handlers.current.onChange(r.line.value);
      }
      if (r.submit) {
        submitted.current = true;
        setSubmit({});
      } else if (r.line !== before) redraw();
    };
    events.on('input', onInput);
    return () => {
      events.removeListener('input', onInput);
    };
  }, [events]);

  // The parent's submit reads its own state: wait until that state holds the line.
  useEffect(() => {
    if (submit && value === line.current.value) {
      setSubmit(undefined);
      submitted.current = false;
      handlers.current.onSubmit();
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
