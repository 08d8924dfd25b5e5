// Step 0: which product home, what version it is, whether the node is already configured
// (and as what). When no home was found anywhere, asks for it.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { ROLE_INFO, valueSchema } from '../../core/answers/schema.js';
import { shown } from '../../core/shown.js';
import { productHomeProblem, type HomeSearch } from '../../core/home.js';
import { rolePlanned, savedFor, type NodeState, type WizardInputs } from '../../core/session.js';
import { LineInput } from '../components/LineInput.js';
import { Paragraph } from '../components/Paragraph.js';

export interface WelcomeProps {
  inputs: WizardInputs;
  width: number;
  home?: string;
  /** The home is known, or known to be absent (a load balancer). */
  settled: boolean;
  node?: NodeState;
  nodeError?: string;
  /** undefined: no API-M on this machine (only the load balancer can be configured). */
  onHome: (home: string | undefined) => void;
  onContinue: () => void;
  onQuit: () => void;
}

const LABEL_WIDTH = 15;

function Line({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Box>
      <Box width={LABEL_WIDTH} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Box flexShrink={1}>{children}</Box>
    </Box>
  );
}

function configuredAs(node: NodeState): string {
  const d = node.detected;
  if (d.looksLike === 'manager') return `already configured as a ${ROLE_INFO.manager.title} (carbon.xml MgtHostName ${d.mgtHostName?.value}); every answer starts from its files`;
  if (d.looksLike === 'worker') return `already configured as a ${ROLE_INFO.worker.title} (carbon.xml HostName ${d.hostName?.value}); every answer starts from its files`;
  return 'not configured yet (HostName and MgtHostName in carbon.xml are still the shipped samples)';
}

function NodeFacts({ inputs, home, node, nodeError, width }: Pick<WelcomeProps, 'inputs' | 'home' | 'node' | 'nodeError' | 'width'>) {
  const found = inputs.home.home === home ? inputs.home.source : 'typed in';
  return (
    <Box flexDirection="column">
      <Line label="Product home">
        {home ? (
          <Text wrap="truncate-middle">{`${home} (${found})`}</Text>
        ) : (
          <Text>none: this machine is the load balancer (nginx only)</Text>
        )}
      </Line>
      {nodeError ? (
        <Paragraph color="red" width={width}>{`Cannot read the node: ${nodeError}`}</Paragraph>
      ) : !node ? (
        <Text dimColor>Reading the node…</Text>
      ) : !home ? (
        <>
          <SavedLine node={node} />
          <StateNotes node={node} width={width} />
        </>
      ) : (
        <>
          <Line label="Found">
            <Text>
              {node.detected.version ? `${node.detected.productName ?? 'product'} ${node.detected.version}` : 'no version in carbon.xml'}
              {node.detected.version && node.detected.version !== '2.1.0' ? <Text color="yellow">{' — this wizard knows 2.1.0 only'}</Text> : null}
            </Text>
          </Line>
          <Line label="This node">
            <Paragraph color={node.detected.looksLike ? 'green' : undefined} width={width - LABEL_WIDTH}>
              {configuredAs(node)}
            </Paragraph>
          </Line>
          <SavedLine node={node} />
          {inputs.answersFile ? (
            <Line label="Answers file">
              <Text wrap="truncate-middle">{`${inputs.answersFile.path} (--answers)`}</Text>
            </Line>
          ) : null}
          {node.detected.problems.map((p) => (
            <Text key={p} color="yellow" wrap="truncate-end">{`! ${p}`}</Text>
          ))}
          <StateNotes node={node} width={width} />
        </>
      )}
    </Box>
  );
}

/** What opening the state said (an old state moved, or ignored and why): on every branch. */
function StateNotes({ node, width }: { node: NodeState; width: number }) {
  return (
    <>
      {(node.stateNotes ?? []).map((n) => (
        <Paragraph key={n} color="yellow" width={width}>{`! ${n}`}</Paragraph>
      ))}
    </>
  );
}

function SavedLine({ node }: { node: NodeState }) {
  const saved = savedFor(node, undefined);
  return (
    <Line label="Saved answers">
      {saved.layer ? (
        <Text wrap="truncate-middle">{`${saved.file} (from the last apply)`}</Text>
      ) : saved.problem ? (
        <Text color="yellow" wrap="truncate-end">{`ignored: ${saved.problem}`}</Text>
      ) : (
        <Text dimColor>none yet</Text>
      )}
    </Line>
  );
}

function DemoNote({ inputs, width }: { inputs: WizardInputs; width: number }) {
  if (!inputs.demo) return null;
  const why =
    inputs.demo.reason === '--demo'
      ? 'You asked for the demo sandbox (--demo).'
      : 'No WSO2 API-M home was found anywhere, so `npm start` opened the demo sandbox.';
  return (
    <Box flexDirection="column" marginTop={1}>
      <Paragraph color="yellow" width={width}>{why}</Paragraph>
      <Paragraph width={width}>{`Every file is read and written under ${inputs.root}; the real /opt and /etc are not touched.`}</Paragraph>
      <Text dimColor>To configure a real node: apim-gateway-wizard --home /path/to/wso2am-2.1.0</Text>
    </Box>
  );
}

function AskHome({ search, root, width, onHome }: { search: HomeSearch; root?: string; width: number; onHome: (home: string | undefined) => void }) {
  const [text, setText] = useState(search.tried[0]?.source === '--home' ? search.tried[0].path : '');
  const [problem, setProblem] = useState(search.problem);
  const [checking, setChecking] = useState(false);
  const submit = async () => {
    const path = text.trim();
    if (path === '' && rolePlanned('load-balancer')) return onHome(undefined);
    const parsed = valueSchema('path').safeParse(path);
    if (!parsed.success) return setProblem(`${path ? shown(path, 400) : 'the path'} ${parsed.error.issues[0]!.message}`);
    setChecking(true);
    const p = await productHomeProblem(path, root);
    setChecking(false);
    if (p) setProblem(p);
    else onHome(path);
  };
  return (
    <Box flexDirection="column">
      {search.problem ? null : <Text>No WSO2 API Manager 2.1.0 home was found. Looked in:</Text>}
      {search.tried.map((t) => (
        <Text key={t.path} dimColor wrap="truncate-middle">{`  ✖ ${t.path} (${t.source})`}</Text>
      ))}
      <Box marginTop={1}>
        <Text bold color="cyan">❯ Where is wso2am-2.1.0 unpacked? </Text>
      </Box>
      <Box>
        <Text>{'  > '}</Text>
        <LineInput value={text} onChange={(v) => { setText(v); setProblem(undefined); }} onSubmit={() => void submit()} />
      </Box>
      {checking ? <Text dimColor>    checking…</Text> : null}
      {problem ? <Paragraph color="red" width={width} indent={4}>{`✖ ${problem}`}</Paragraph> : null}
      {rolePlanned('load-balancer') ? (
        <Paragraph dimColor width={width} indent={4}>
          Leave it empty if API-M is not on this machine: the load balancer (nginx) needs no product home.
        </Paragraph>
      ) : null}
      <Box marginTop={1}>
        <Paragraph dimColor width={width}>No product pack at hand? `apim-gateway-wizard --demo` tries every screen in a sandbox.</Paragraph>
      </Box>
    </Box>
  );
}

const INTRO =
  'This wizard configures one node of a WSO2 API Manager 2.1.0 distributed Gateway (rsync). It shows every file ' +
  'change as a diff; nothing is written before you press a on the review.';

export function Welcome(props: WelcomeProps) {
  const { inputs, settled, node, width, onContinue, onQuit } = props;
  useInput(
    (input, key) => {
      if (key.return && node) onContinue();
      else if (input === 'q') onQuit();
    },
    { isActive: settled },
  );
  return (
    <Box flexDirection="column">
      <Paragraph width={width}>{INTRO}</Paragraph>
      <Box marginTop={1} flexDirection="column">
        {settled ? <NodeFacts {...props} /> : <AskHome search={inputs.home} root={inputs.root} width={width} onHome={props.onHome} />}
      </Box>
      <DemoNote inputs={inputs} width={width} />
    </Box>
  );
}
