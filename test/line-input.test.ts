// The line editor never loses a key: keys written as separate input events with no render
// between them, and the same keys as one chunk (a paste), give the same value; readline's keys
// edit as in a shell. Through Ink itself (ink-testing-library's stdin), with the parent holding
// the value as the question screen does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { act, createElement, useState } from 'react';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { LineInput } from '../src/ui/components/LineInput.js';
import { applyKeys, lineAt, type Line } from '../src/ui/components/line-editor.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const KEYS = { left: '\x1b[D', right: '\x1b[C', home: '\x1b[H', end: '\x1b[F', homeTilde: '\x1b[1~', del: '\x1b[3~', backspace: '\x7f' };

/** Applies each event in turn, as the editor does. */
function typed(events: string[], from = ''): Line {
  return events.reduce((line, e) => applyKeys(line, e).line, lineAt(from));
}

test('keys one by one or as one chunk: the same value, in order', () => {
  const text = '192.0.2.21, 192.0.2.22';
  assert.deepEqual(typed([...text]), lineAt(text));
  assert.deepEqual(typed([text]), lineAt(text));
  // Two Backspaces a few ms apart delete two characters.
  assert.equal(typed([...'wso2carbon@10.0.0.21:/opt/x', KEYS.backspace, KEYS.backspace]).value, 'wso2carbon@10.0.0.21:/opt');
  assert.equal(typed(['192.0.2.1x\x7f0']).value, '192.0.2.10');
});

test('readline keys: ←/→, Home/End, Ctrl-A/E/B/F, Ctrl-U/K/W, Delete forward, Backspace', () => {
  const base = 'wso2@10.0.0.21:/opt/wso2am';
  assert.deepEqual(typed([KEYS.home, 'x'], base), { value: `x${base}`, cursor: 1 });
  assert.deepEqual(typed(['\x01', 'x'], base), { value: `x${base}`, cursor: 1 });
  assert.deepEqual(typed([KEYS.homeTilde, KEYS.end, '!'], base), lineAt(`${base}!`));
  assert.deepEqual(typed(['\x01', '\x05', '!'], base), lineAt(`${base}!`));
  assert.equal(typed([KEYS.left, KEYS.left, 'Z'], 'abcd').value, 'abZcd');
  assert.equal(typed(['\x02', '\x02', '\x06', 'Z'], 'abcd').value, 'abcZd');
  assert.equal(typed([KEYS.home, KEYS.del, KEYS.del], 'abcd').value, 'cd');
  assert.equal(typed([KEYS.home, '\x04'], 'abcd').value, 'bcd');
  assert.equal(typed([KEYS.left, KEYS.backspace], 'abcd').value, 'abd');
  assert.deepEqual(typed([KEYS.left, KEYS.left, '\x15'], 'abcd'), { value: 'cd', cursor: 0 });
  assert.deepEqual(typed([KEYS.left, KEYS.left, '\x0b'], 'abcd'), { value: 'ab', cursor: 2 });
  // Ctrl-W back to white space, as bash's; Alt-B/Alt-F by letters and digits.
  assert.equal(typed(['\x17'], '192.0.2.21, 192.0.2.22').value, '192.0.2.21, ');
  assert.equal(typed(['\x17', '\x17'], '192.0.2.21, 192.0.2.22').value, '');
  assert.equal(typed(['\x1bb', 'X'], 'wso2@10.0.0.21:/opt/wso2am').value, 'wso2@10.0.0.21:/opt/Xwso2am');
  assert.deepEqual(typed([KEYS.home, '\x1bf'], 'wso2@10.0.0.21'), { value: 'wso2@10.0.0.21', cursor: 4 });
  // Ends of the line: nothing moves or is deleted beyond them.
  assert.deepEqual(typed([KEYS.right, KEYS.del, '\x04'], 'ab'), lineAt('ab'));
  assert.deepEqual(typed([KEYS.home, KEYS.left, KEYS.backspace], 'ab'), { value: 'ab', cursor: 0 });
  // Control characters typed or pasted never reach the value; ↑/↓ and Esc are the screen's.
  assert.deepEqual(typed(['a\tb\x00c', '\x1b[A', '\x1b'], ''), lineAt('abc'));
  // Enter ends the line: the keys after it in the same chunk are not this answer's, they are typed ahead.
  assert.deepEqual(applyKeys(lineAt(''), 'am.wso2.com\rnext'), { line: lineAt('am.wso2.com'), submit: true, rest: 'next' });
  assert.deepEqual(applyKeys(lineAt(''), 'a\r\nb\rc'), { line: lineAt('a'), submit: true, rest: 'b\rc' });
});

/** A parent that keeps the value in its own state and counts submits, as Field's screen does. */
function harness() {
  const seen = { value: '', submits: [] as string[] };
  function Parent() {
    const [value, setValue] = useState('');
    seen.value = value;
    return createElement(LineInput, {
      value,
      onChange: setValue,
      onSubmit: () => {
        seen.submits.push(value);
      },
    });
  }
  return { seen, element: createElement(Parent) };
}

test('through Ink: keys written as separate input events with no render between them are all kept', async () => {
  const { seen, element } = harness();
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(element);
  });
  const text = '192.0.2.21, 192.0.2.22';
  // Every key its own write, all inside one act(): React renders only after the last one.
  await act(async () => {
    for (const ch of text) r.stdin.write(ch);
    r.stdin.write(KEYS.backspace);
    r.stdin.write(KEYS.backspace);
    r.stdin.write('22');
    r.stdin.write(KEYS.home);
    r.stdin.write('[');
    r.stdin.write(KEYS.end);
    r.stdin.write(']');
  });
  assert.equal(seen.value, '[192.0.2.21, 192.0.2.22]');
  assert.equal(stripVTControlCharacters(r.lastFrame() ?? '').trimEnd(), '[192.0.2.21, 192.0.2.22]');
  // Enter, with keys right behind it: the answer submitted is the line, the rest is not typed into it.
  await act(async () => {
    r.stdin.write('\r');
    r.stdin.write('x');
  });
  assert.deepEqual(seen.submits, ['[192.0.2.21, 192.0.2.22]']);
  assert.equal(seen.value, '[192.0.2.21, 192.0.2.22]');
  // Keys after the submit was taken edit again (a refused answer is corrected in place).
  await act(async () => {
    r.stdin.write(KEYS.backspace);
    r.stdin.write('\r');
  });
  assert.deepEqual(seen.submits, ['[192.0.2.21, 192.0.2.22]', '[192.0.2.21, 192.0.2.22']);
  r.unmount();
});

test('through Ink: a pasted chunk with a line break is the line up to it, submitted once the parent holds it', async () => {
  const { seen, element } = harness();
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(element);
  });
  await act(async () => {
    r.stdin.write('wso2carbon@10.0.0.21:/opt/wso2am-2.6.0\r\n');
  });
  assert.deepEqual(seen.submits, ['wso2carbon@10.0.0.21:/opt/wso2am-2.6.0']);
  r.unmount();
});
