// Before an apply that empties a directory (a worker's repository/deployment/server before its
// first start): a confirmation of its own, default No, that says what moves where.
import { Box, Text, useInput } from 'ink';
import { stateDir } from '../../core/node/layout.js';
import type { Plan } from '../../core/plan/plan.js';
import { Paragraph } from '../components/Paragraph.js';

export interface ConfirmResetProps {
  plan: Plan;
  width: number;
  onYes: () => void;
  onNo: () => void;
}

export const CONFIRM_RESET_KEYS = 'y move it and apply · n, Enter or Esc: no, back to the review (nothing written)';

export function ConfirmReset({ plan, width, onYes, onNo }: ConfirmResetProps) {
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') onYes();
    else if (input === 'n' || input === 'N' || key.return || key.escape || input === 'b') onNo();
  });
  const backups = `${stateDir(plan.answers.productHome)}/checkpoints/<id>/dirs/`;
  return (
    <Box flexDirection="column">
      <Text bold color="yellow">
        {`This apply resets ${plan.resets.length === 1 ? 'a directory' : `${plan.resets.length} directories`}:`}
      </Text>
      {plan.resets.map((r) => (
        <Box key={r.dir} flexDirection="column" marginTop={1}>
          <Paragraph bold width={width} indent={2}>{`${r.dir}/`}</Paragraph>
          <Paragraph width={width} indent={4}>{`moves whole, with everything in it, into this apply's backup: ${backups}${r.dir.replace(/^\//, '')}`}</Paragraph>
          <Paragraph width={width} indent={4}>{`a new directory with the same mode and owner takes its place, holding only a copy of ${r.keep?.length ? r.keep.map((k) => `${k}/`).join(', ') : 'nothing'}${r.keep?.length ? ' (the server needs it to start)' : ''}, for the manager's rsync to fill.`}</Paragraph>
          <Paragraph width={width} indent={4} dimColor>{`Why: ${r.reason}`}</Paragraph>
        </Box>
      ))}
      <Box marginTop={1} flexDirection="column">
        <Paragraph width={width}>
          Nothing is deleted: apim-gateway-wizard rollback moves it back. It is done once; the wizard remembers it. The server must be stopped.
        </Paragraph>
      </Box>
      <Box marginTop={1}>
        <Text bold>Move it and apply? </Text>
        <Text color="cyan">[y/N]</Text>
      </Box>
    </Box>
  );
}
