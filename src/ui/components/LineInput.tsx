// One line of typed text. Ink hands keys that arrive together (a paste, a fast typist over a
// slow ssh link) to the input as one chunk: a chunk holding a line break is the line up to it,
// submitted once the parent has taken the new value, as if Enter had been pressed after it.
import { useEffect, useState } from 'react';
import TextInput from 'ink-text-input';

/**
 * Typed text keeps printable characters only (a pasted tab would end up in carbon.xml), and a
 * held-down Backspace (DEL or BS bytes) inside a chunk still deletes, as the admin meant.
 */
export function cleanTyped(text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\u007f' || ch === '\b') out.pop();
    else if (!/[\u0000-\u001f]/.test(ch)) out.push(ch);
  }
  return out.join('');
}

export interface LineInputProps {
  value: string;
  onChange: (text: string) => void;
  onSubmit: () => void;
}

export function LineInput({ value, onChange, onSubmit }: LineInputProps) {
  const [submitWhen, setSubmitWhen] = useState<string | undefined>(undefined);
  // The parent's submit reads its own state: wait until that state holds the pasted line.
  useEffect(() => {
    if (submitWhen !== undefined && value === submitWhen) {
      setSubmitWhen(undefined);
      onSubmit();
    }
  }, [value, submitWhen, onSubmit]);
  const change = (typed: string) => {
    const brk = /[\r\n]/.exec(typed);
    if (!brk) return onChange(cleanTyped(typed));
    const line = cleanTyped(typed.slice(0, brk.index));
    onChange(line);
    setSubmitWhen(line);
  };
  return <TextInput value={value} onChange={change} onSubmit={onSubmit} />;
}
