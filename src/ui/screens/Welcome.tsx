// Step 0: which product home, which API-M release it is (and where that was read), whether
// the node is already configured (and as what). When no home was found anywhere, asks for it.
import { useEffect, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { ROLE_INFO, valueSchema } from '../../core/answers/schema.js';
import { safeMessage, shown } from '../../core/messages/shown.js';
import { productHomeProblem, type HomeSearch, type HomeTried } from '../../core/node/home.js';
import { RELEASES } from '../../core/node/release.js';
import { rolePlanned, savedFor, type NodeState, type WizardInputs } from '../../core/node/session.js';
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
          <Paragraph width={width - LABEL_WIDTH}>{`${home} (${found})`}</Paragraph>
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
          <SavedLine node={node} width={width} />
          <StateNotes node={node} width={width} />
        </>
      ) : (
        <>
          <Line label="Found">
            <Paragraph width={width - LABEL_WIDTH}>
              {node.detected.version ? `${shown(node.detected.productName ?? 'product', 40)} ${shown(node.detected.version, 24)}` : 'no version in carbon.xml'}
            </Paragraph>
          </Line>
          <ReleaseFacts inputs={inputs} node={node} width={width} />
          <Line label="This node">
            <Paragraph color={node.detected.looksLike ? 'green' : undefined} width={width - LABEL_WIDTH}>
              {configuredAs(node)}
            </Paragraph>
          </Line>
          <SavedLine node={node} width={width} />
          {inputs.answersFile ? (
            <Line label="Answers file">
              <Paragraph width={width - LABEL_WIDTH}>{`${inputs.answersFile.path} (--answers)`}</Paragraph>
            </Line>
          ) : null}
          {node.detected.problems.map((p) => (
            <Paragraph key={p} color="yellow" width={width} hang="! ">
              {p}
            </Paragraph>
          ))}
          <StateNotes node={node} width={width} />
        </>
      )}
    </Box>
  );
}

/** Who gave the `release` answer, in the order the answers layers win (core/node/session.ts); undefined: none did. */
function answeredBy(inputs: WizardInputs, node: NodeState): string | undefined {
  if (inputs.flags.release !== undefined) return '--release';
  if (inputs.answersFile?.layer.release !== undefined) return 'the answers file';
  return node.saved.layer?.release !== undefined ? 'the saved answers' : undefined;
}

/** The release the plan will be made for and where it was read; what disagrees, in yellow; no 2.x release, in red. */
function ReleaseFacts({ inputs, node, width }: { inputs: WizardInputs; node: NodeState; width: number }) {
  const { release, releaseProblem } = node.detected;
  if (!release) {
    // The label says what the message's "release: " says.
    return (
      <Line label="Release">
        <Paragraph color="red" width={width - LABEL_WIDTH}>
          {safeMessage((releaseProblem ?? 'not read').replace(/^release: /, ''))}
        </Paragraph>
      </Line>
    );
  }
  // An answer, when there is one, is what the release was planned from (core/node/release.ts).
  const by = answeredBy(inputs, node);
  const from = by ? `given with ${by}` : `read from ${release.from}`;
  return (
    <>
      <Line label="Release">
        {/* Where it was read wraps beside the release (it may name a path). */}
        <Box flexShrink={0}>
          <Text>{`API-M ${release.release.id} `}</Text>
        </Box>
        <Paragraph dimColor width={width - LABEL_WIDTH - `API-M ${release.release.id} `.length}>{`(${safeMessage(from)})`}</Paragraph>
      </Line>
      {release.warnings.map((w) => (
        <Paragraph key={w} color="yellow" width={width} hang="! ">
          {safeMessage(w)}
        </Paragraph>
      ))}
    </>
  );
}

/** What opening the state said (an old state moved, or ignored and why): on every branch. */
function StateNotes({ node, width }: { node: NodeState; width: number }) {
  return (
    <>
      {(node.stateNotes ?? []).map((n) => (
        <Paragraph key={n} color="yellow" width={width} hang="! ">
          {n}
        </Paragraph>
      ))}
    </>
  );
}

function SavedLine({ node, width }: { node: NodeState; width: number }) {
  const saved = savedFor(node, undefined);
  return (
    <Line label="Saved answers">
      {saved.layer ? (
        <Paragraph width={width - LABEL_WIDTH}>{`${saved.file} (from the last apply)`}</Paragraph>
      ) : saved.problem ? (
        <Paragraph color="yellow" width={width - LABEL_WIDTH}>{`ignored: ${saved.problem}`}</Paragraph>
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
      {/* The sandbox's path is the banner's, on every screen: not again here (a long one takes rows). */}
      <Paragraph color="yellow" width={width}>{`${why} Every file is read and written under the sandbox the banner names; the real /opt and /etc are not touched.`}</Paragraph>
      <Paragraph dimColor width={width}>
        To configure a real node: apim-gateway-wizard --home /path/to/wso2am-2.x.0
      </Paragraph>
    </Box>
  );
}

/** The places looked in; a usual install place once for every release (it is looked up for each). */
function triedLines(tried: HomeTried[]): string[] {
  const lines: string[] = [];
  for (const t of tried) {
    const line = t.pattern
      ? `${t.pattern.replace('<release>', '2.x.0')} (usual install places, ${RELEASES[0]} to ${RELEASES[RELEASES.length - 1]})`
      : `${t.path} (${t.source})`;
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
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
      {search.problem ? null : <Text>No WSO2 API Manager 2.x home was found. Looked in:</Text>}
      {triedLines(search.tried).map((line) => (
        <Paragraph key={line} dimColor width={width} indent={2} hang="✖ ">
          {line}
        </Paragraph>
      ))}
      <Box marginTop={1}>
        <Paragraph bold color="cyan" width={width} hang="❯ ">
          Where is wso2am-2.x.0 unpacked?
        </Paragraph>
      </Box>
      <Box>
        <Box width={4} flexShrink={0}>
          <Text>{'  > '}</Text>
        </Box>
        <LineInput value={text} width={Math.max(1, width - 4)} onChange={(v) => { setText(v); setProblem(undefined); }} onSubmit={() => void submit()} />
      </Box>
      {checking ? <Text dimColor>    checking…</Text> : null}
      {problem ? (
        <Paragraph color="red" width={width} indent={4} hang="✖ ">
          {problem}
        </Paragraph>
      ) : null}
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
  `This wizard configures one node of a WSO2 API Manager 2.x (${RELEASES[0]} to ${RELEASES[RELEASES.length - 1]}) distributed Gateway (rsync). It shows every file ` +
  'change as a diff; nothing is written before you press a on the review.';

export function Welcome(props: WelcomeProps) {
  const { inputs, settled, node, width, onContinue, onQuit } = props;
  // Enter pressed while the node is still being read is kept: it continues once the facts are in.
  const [continuing, setContinuing] = useState(false);
  useInput(
    (input, key) => {
      if (key.return) {
        if (node) onContinue();
        else setContinuing(true);
      } else if (input === 'q') onQuit();
    },
    { isActive: settled },
  );
  useEffect(() => {
    if (continuing && node) {
      setContinuing(false);
      onContinue();
    }
  }, [continuing, node, onContinue]);
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
