// A node its saved answers call one role, planned as another: before the review, what the
// switch changes and what it leaves behind (core/plan/role-switch.ts reads it from the saved
// answers and the files), and a question, default No. No goes back to the role choice.
import { Box, Text, useInput } from 'ink';
import { ROLE_INFO } from '../../core/answers/schema.js';
import type { RoleSwitch } from '../../core/plan/role-switch.js';
import { ScrollView } from '../components/ScrollView.js';
import { wrapHanging, wrapWords } from '../components/wrap.js';
import { useScroll } from '../hooks/useScroll.js';

export interface ConfirmSwitchProps {
  change: RoleSwitch;
  width: number;
  rows: number;
  onYes: () => void;
  onNo: () => void;
  onQuit: () => void;
}

export const CONFIRM_SWITCH_KEYS = 'y switch and review · n, Enter or Esc: no, back to the role · ↑/↓ scroll · q quit';

interface Row {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

/** Every line the screen shows, wrapped to the frame (never cut). */
export function switchRows(s: RoleSwitch, width: number): Row[] {
  const [was, now] = [ROLE_INFO[s.from].title, ROLE_INFO[s.to].title];
  const rows: Row[] = [];
  const para = (text: string, style: Omit<Row, 'text'> = {}) => wrapWords(text, width).forEach((t) => rows.push({ text: t, ...style }));
  const items = (title: string, list: readonly string[], none: string) => {
    rows.push({ text: '' }, { text: title, bold: true });
    if (list.length === 0) rows.push({ text: `  ${none}`, dim: true });
    for (const item of list) wrapHanging('  • ', item, width).forEach((t) => rows.push({ text: t }));
  };
  para(`This node is configured as a ${was}: its saved answers (${s.savedFile}) say role ${s.from}. These answers make it a ${now}.`, { bold: true, color: 'yellow' });
  items('The switch changes:', s.changes, 'nothing of what the old role set');
  items(`It leaves, as the ${was} set them:`, s.leaves, 'nothing');
  rows.push({ text: '' });
  para(`Remove what it leaves by hand if this node is no longer a ${was} (the review shows only the ${now}'s files).`, { dim: true });
  return rows;
}

export function ConfirmSwitch({ change, width, rows, onYes, onNo, onQuit }: ConfirmSwitchProps) {
  const lines = switchRows(change, width);
  // The question keeps its row (and a blank above it) under the scrolling text.
  const height = Math.max(3, rows - 2);
  const scroll = useScroll(lines.length, lines.length > height ? height - 1 : height);
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') onYes();
    else if (input === 'q') onQuit();
    else if (input === 'n' || input === 'N' || key.return || key.escape || input === 'b') onNo();
    else scroll.handleKey(input, key);
  });
  return (
    <Box flexDirection="column">
      <ScrollView
        count={lines.length}
        height={height}
        offset={scroll.offset}
        position
        renderRow={(i) => {
          const r = lines[i]!;
          return (
            <Text color={r.color} bold={r.bold} dimColor={r.dim}>
              {r.text || ' '}
            </Text>
          );
        }}
      />
      <Box marginTop={1}>
        <Text bold>{`Switch this node to ${ROLE_INFO[change.to].title}? `}</Text>
        <Text color="cyan">[y/N]</Text>
      </Box>
    </Box>
  );
}
