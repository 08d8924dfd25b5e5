// `cluster init` in a terminal: the cluster path. The topology once (the manager's, the workers'
// and the load balancers' addresses, the product home), then the answers every node shares, then
// each node's own values pre-filled from the topology; the file is written only once every
// node's answers derive from it (core/cluster/compose.ts), never over a file already there.
import { useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { AnswersError, type AnswersLayer } from '../../core/answers/load.js';
import { SOURCE } from '../../core/answers/prefill.js';
import { FileExistsError, writeFileSafely } from '../../core/apply/write.js';
import { composeFile } from '../../core/cluster/compose.js';
import { TOPOLOGY, nodeQuestions, sharedQuestions, topologyNodes, withOwnValues, type Topology } from '../../core/cluster/topology.js';
import { safeMessage } from '../../core/messages/shown.js';
import { Frame, frameChrome } from '../components/Frame.js';
import { Paragraph } from '../components/Paragraph.js';
import { useTerminalSize, type TerminalSize } from '../hooks/useTerminalSize.js';
import type { Edits } from '../questions-model.js';
import { QUESTIONS_KEYS, Questions } from '../screens/Questions.js';
import { clusterRows, rowValues } from './init-model.js';

type Stage = 'topology' | 'shared' | 'nodes';
const STAGES: Stage[] = ['topology', 'shared', 'nodes'];
const TITLE: Record<Stage, string> = { topology: 'The nodes', shared: 'What every node shares', nodes: "Each node's own values" };

export interface ClusterInitProps {
  file: string;
  /** The answers flags given: they pre-fill the shared answers. */
  flags: AnswersLayer;
  size?: TerminalSize;
  onExit: (code: number) => void;
}

export function ClusterInit({ file, flags, size, onExit }: ClusterInitProps) {
  const term = useTerminalSize(size);
  const width = Math.min(term.columns, 100);
  const { exit } = useApp();
  const [stage, setStage] = useState<Stage>('topology');
  const [index, setIndex] = useState<Record<Stage, number>>({ topology: 0, shared: 0, nodes: 0 });
  const [edits, setEdits] = useState<Edits>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<string | undefined>(undefined);
  const flagLayers = [{ layer: flags, label: SOURCE.flag }];

  const topologyRows = clusterRows(TOPOLOGY, flagLayers, edits);
  const topology = rowValues(topologyRows) as Partial<Topology>;
  const nodes = topologyNodes({ managerIp: topology.managerIp ?? '', workerIps: topology.workerIps ?? [], loadBalancerIps: topology.loadBalancerIps ?? [], productHome: topology.productHome ?? '' });
  const sharedRows = clusterRows(sharedQuestions([...new Set(nodes.map((n) => n.role))]), flagLayers, edits);
  const homes = Object.fromEntries(nodes.filter((n) => n.productHome).map((n) => [`${n.name}.productHome`, n.productHome]));
  const nodeRows = clusterRows(nodeQuestions(nodes), [{ layer: homes, label: () => 'the topology' }], edits);
  const rows = { topology: topologyRows, shared: sharedRows, nodes: nodeRows }[stage];

  const quit = (code: number) => {
    onExit(code);
    exit();
  };
  useInput((input, key) => {
    if (key.ctrl && input === 'c') quit(written ? 0 : 1);
    else if (written && (input === 'q' || key.return)) quit(0);
  });

  const write = () => {
    // Defaults stay out of `shared`: each node applies its own (a member port differs by role).
    const shared = rowValues(sharedRows, (r) => r.source !== 'default');
    let content: string;
    try {
      const { file: composed } = composeFile(withOwnValues(nodes, rowValues(nodeRows)), shared, file);
      content = `${JSON.stringify(composed, null, 2)}\n`;
    } catch (e) {
      if (!(e instanceof AnswersError)) throw e;
      return setProblems(e.problems.map((p) => safeMessage(p)));
    }
    setBusy(true);
    writeFileSafely(file, Buffer.from(content), { mode: 0o644, createOnly: true }).then(
      () => setWritten(`Wrote ${file}: ${nodes.map((n) => `${n.name} (${n.role}, ${n.address})`).join(', ')}.`),
      (e: unknown) => {
        setBusy(false);
        setProblems([safeMessage(e instanceof FileExistsError ? `${file}: the file exists now; cluster init writes a new one (nothing was written)` : (e as Error).message)]);
      },
    );
  };

  const keys = written ? 'Enter or q quit' : QUESTIONS_KEYS;
  const frame = (title: string, body: React.ReactNode) => (
    <Frame screen={`Cluster file · ${title}`} keys={keys} width={width} height={term.rows - 1} size={term}>
      {body}
    </Frame>
  );
  if (written) {
    return frame(
      'Written',
      <Box flexDirection="column">
        <Paragraph width={width} color="green">
          {safeMessage(written)}
        </Paragraph>
        <Box marginTop={1} flexDirection="column">
          <Text>Review every node&apos;s changes, then apply them from that screen:</Text>
          <Paragraph width={width} bold>
            {safeMessage(`apim-gateway-wizard cluster review --cluster ${file}`)}
          </Paragraph>
        </Box>
      </Box>,
    );
  }
  const at = STAGES.indexOf(stage);
  return frame(
    `${at + 1}/3 ${TITLE[stage]}`,
    <Questions
      rows={rows}
      index={Math.min(index[stage], rows.length - 1)}
      width={width}
      height={term.rows - 1 - frameChrome(undefined, keys, width)}
      problems={stage === 'nodes' ? problems : []}
      busy={busy}
      onEdit={(k, text) => {
        setProblems([]);
        setEdits((e) => ({ ...e, [k]: text }));
      }}
      onIndex={(i) => setIndex((x) => ({ ...x, [stage]: i }))}
      onBack={() => {
        if (at > 0) setStage(STAGES[at - 1]!);
      }}
      onDone={() => {
        if (stage !== 'nodes') return setStage(STAGES[at + 1]!);
        write();
      }}
    />,
  );
}
