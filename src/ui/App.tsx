// The wizard as one long-lived Ink app: welcome → role → questions → review → apply →
// summary. It holds the state and routes keys; reading and writing files is left to core
// (inspectNode, makePlan, applyPlan, saveAnswers), which run for real in the tests too.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useApp, useInput } from 'ink';
import { AnswersError, resolveAnswers } from '../core/answers/load.js';
import { safeMessage } from '../core/shown.js';
import type { Answers, Role } from '../core/answers/schema.js';
import { saveAnswers } from '../core/answers/save.js';
import { ApplyError, applyPlan, type ApplyOptions } from '../core/apply.js';
import type { StartOutcome } from '../core/server/index.js';
import { makePlan, pending, type Plan } from '../core/plan.js';
import { answerLayers, givenRelease, initialRole, inspectNode, nextNodeCommand, type NodeState, type WizardInputs } from '../core/session.js';
import type { ClusterModel } from './components/cluster-layout.js';
import { Frame, frameChrome } from './components/Frame.js';
import { useServerStart } from './hooks/useServerStart.js';
import { useSync } from './hooks/useSync.js';
import { useTerminalSize, type TerminalSize } from './hooks/useTerminalSize.js';
import { answersFromRows, questionRows, rowOfProblem, type Edits } from './questions-model.js';
import { Applying } from './screens/Applying.js';
import { CONFIRM_RESET_KEYS, ConfirmReset } from './screens/ConfirmReset.js';
import { Farewell } from './screens/Farewell.js';
import { Failed, type Failure } from './screens/Failed.js';
import { Questions } from './screens/Questions.js';
import { reviewKeys, Review } from './screens/Review.js';
import { RoleScreen } from './screens/Role.js';
import { Start } from './screens/Start.js';
import { Sync, syncKeys } from './screens/Sync.js';
import { syncEnabled } from '../core/sync/paths.js';
import { applyNotes, Summary, type Outcome } from './screens/Summary.js';
import { Welcome } from './screens/Welcome.js';

export type Screen = 'welcome' | 'role' | 'questions' | 'review' | 'confirm-reset' | 'applying' | 'summary' | 'start' | 'sync' | 'failed';

/** Ctrl-C from the keyboard, or SIGINT/SIGTERM/SIGHUP forwarded by runWizard. */
export interface Interrupts {
  on(event: 'interrupt', listener: () => void): unknown;
  off(event: 'interrupt', listener: () => void): unknown;
}

export interface AppProps {
  inputs: WizardInputs;
  /** Fixed terminal size (tests); otherwise the real terminal's, following resizes. */
  size?: TerminalSize;
  interrupts?: Interrupts;
  /** applyPlan's own seam for tests: pause or fail before a chosen write. */
  beforeWrite?: ApplyOptions['beforeWrite'];
  /** Step 5: how long to follow a start before giving up (default 10 minutes), and extra environment for wso2server.sh. */
  startOptions?: { timeoutMs?: number; env?: Record<string, string | undefined> };
  onExit: (code: number) => void;
}

/** The last frame, left on the terminal after the app exits. */
interface Exit {
  code: number;
  message: string;
}

export const EXIT = { done: 0, failed: 1, quit: 0, interrupted: 130 } as const;

function errorText(e: unknown): string[] {
  // Shown in the terminal: no value in a message reaches it raw (core/shown.ts).
  return (e instanceof AnswersError ? e.problems : [(e as Error).message]).map((m) => safeMessage(m));
}

export function App({ inputs, size, interrupts, beforeWrite, startOptions, onExit }: AppProps) {
  const { exit } = useApp();
  const term = useTerminalSize(size);
  const [screen, setScreen] = useState<Screen>('welcome');
  const [home, setHome] = useState(inputs.home.home);
  // The home is settled when found, typed in, or declared absent (a load balancer has no API-M).
  const [homeSettled, setHomeSettled] = useState(inputs.home.home !== undefined || startsAsLoadBalancer(inputs));
  const [node, setNode] = useState<NodeState>();
  const [nodeError, setNodeError] = useState<string>();
  const [role, setRole] = useState<Role>();
  const [edits, setEdits] = useState<Edits>({});
  const [question, setQuestion] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<Plan>();
  const [log, setLog] = useState<string[]>([]);
  const [outcome, setOutcome] = useState<Outcome>();
  const [failure, setFailure] = useState<Failure>();
  const [bye, setBye] = useState<Exit>();
  const [quitAfterApply, setQuitAfterApply] = useState(false);
  const [diffOpen, setDiffOpen] = useState(false);
  const applying = useRef(false);
  const [startKeyLine, setStartKeyLine] = useState('');
  // Step 5 runs on a Gateway node with a product home; the load balancer has no server to start.
  const gatewayRole = role === 'manager' || role === 'worker' ? role : undefined;
  const canStart = gatewayRole !== undefined && home !== undefined;
  // Step 3 on the manager: the first push to the workers, offered after its apply when it lists them.
  const canSync = plan !== undefined && syncEnabled(plan.answers);
  const sync = useSync(canSync ? plan.answers : undefined, inputs.root);
  const server = useServerStart({ home: home ?? '', root: inputs.root, role: gatewayRole ?? 'manager', demo: inputs.demo !== undefined, release: plan?.answers.release, ...startOptions });

  useEffect(() => {
    if (!homeSettled) return;
    let live = true;
    setNode(undefined);
    setNodeError(undefined);
    inspectNode(home, inputs.root, givenRelease(inputs)).then(
      (n) => live && setNode(n),
      (e: unknown) => live && setNodeError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [home, homeSettled, inputs]);

  // Leave the last frame on screen, then let runWizard return the exit code.
  useEffect(() => {
    if (!bye) return;
    onExit(bye.code);
    exit();
  }, [bye, exit, onExit]);

  const layers = useMemo(() => answerLayers(inputs, node, role), [inputs, node, role]);
  const rows = useMemo(() => (role ? questionRows(role, home, layers, edits) : []), [role, home, layers, edits]);

  const quit = useCallback((code: number, message: string) => setBye({ code, message }), []);

  const interrupt = useCallback(() => {
    if (bye) return;
    if (screen === 'applying') setQuitAfterApply(true);
    else if (screen === 'sync') {
      // Ctrl-C during a push stops rsync; the next run (or cron's) starts over.
      if (!sync.abort()) quit(EXIT.done, sync.view.result ? `Sync: ${sync.view.result.status}.` : 'Done.');
    } else if (screen === 'start') {
      // Ctrl-C while following a start stops following; the server keeps starting.
      if (!server.abort()) quit(startExit(server.view.outcome), startFarewell(server.view.outcome));
    }
    else if (screen === 'summary') quit(EXIT.done, outcome?.result.written.length ? 'Done.' : 'Nothing was written.');
    else if (screen === 'failed') quit(EXIT.failed, 'The apply failed; the files were left as they were before it.');
    else quit(EXIT.interrupted, 'Interrupted. Nothing was written.');
  }, [bye, screen, quit, outcome, server, sync]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') interrupt();
  });
  useEffect(() => {
    interrupts?.on('interrupt', interrupt);
    return () => {
      interrupts?.off('interrupt', interrupt);
    };
  }, [interrupts, interrupt]);

  const toReview = async () => {
    if (!role) return;
    let answers: Answers;
    try {
      answers = resolveAnswers(answersFromRows(role, home, rows));
    } catch (e) {
      const found = errorText(e);
      setProblems(found);
      const at = found.map((p) => rowOfProblem(p, rows)).find((i) => i !== undefined);
      if (at !== undefined) setQuestion(at);
      return;
    }
    setBusy(true);
    try {
      const made = await makePlan(answers, inputs.root);
      setPlan(made);
      setProblems([]);
      setScreen('review');
    } catch (e) {
      setProblems(errorText(e).map((p) => `cannot plan: ${p}`));
    } finally {
      setBusy(false);
    }
  };

  // A hand-edited generated file: plan again with the admin's choice (keep is what ucf offers first).
  const resolveConflicts = async (onConflict: 'keep' | 'replace') => {
    if (!plan) return;
    try {
      setPlan(await makePlan(plan.answers, inputs.root, { onConflict }));
    } catch (e) {
      setProblems(errorText(e).map((p) => `cannot plan: ${p}`));
      setScreen('questions');
    }
  };

  const apply = async (resetsConfirmed = false) => {
    if (!plan || applying.current) return;
    // Emptying a directory gets a confirmation of its own (default no), whatever else the review showed.
    if ((plan.resets?.length ?? 0) > 0 && !resetsConfirmed && pending(plan).length > 0) {
      setScreen('confirm-reset');
      return;
    }
    if (pending(plan).length === 0) {
      setOutcome({ result: { written: [], recovered: [] } });
      setScreen('summary');
      return;
    }
    applying.current = true;
    setLog([]);
    setScreen('applying');
    const said: string[] = [];
    try {
      const result = await applyPlan(plan, {
        root: inputs.root,
        beforeWrite,
        onProgress: (line) => {
          said.push(line);
          setLog((l) => [...l, line]);
        },
      });
      const done: Outcome = { result, notes: applyNotes(said) };
      try {
        done.savedFile = await saveAnswers(plan.answers, inputs.root);
        done.nextCommand = nextNodeCommand(done.savedFile, inputs);
      } catch (e) {
        done.saveProblem = (e as Error).message;
      }
      setOutcome(done);
      setScreen('summary');
    } catch (e) {
      setFailure({
        message: (e as Error).message.split('\n')[0]!,
        // applyPlan restores every file it had started to write; before that, nothing was changed.
        restored: e instanceof ApplyError && e.restored.length ? e.restored : undefined,
      });
      setScreen('failed');
    } finally {
      applying.current = false;
    }
  };

  // Ctrl-C during apply was held back until the files were written or restored.
  useEffect(() => {
    if (!quitAfterApply || screen === 'applying') return;
    if (screen === 'summary') quit(EXIT.done, 'Applied; quit on Ctrl-C.');
    else if (screen === 'failed') quit(EXIT.failed, 'The apply failed; the files were left as they were before it.');
  }, [quitAfterApply, screen, quit]);

  useInput(
    (input, key) => {
      if (screen === 'summary' && input === 'p' && canSync) {
        setScreen('sync');
        sync.start();
      } else if (screen === 'summary' && input === 's' && canStart) {
        setScreen('start');
        server.run('start');
      } else if (screen === 'summary' && (key.return || input === 'q')) quit(EXIT.done, outcome?.result.written.length ? 'Done.' : 'Nothing was written.');
      else if (screen === 'failed' && input === 'q') quit(EXIT.failed, 'The apply failed; the files were left as they were before it.');
      else if (screen === 'failed' && input === 'b') setScreen('questions');
    },
    { isActive: (screen === 'summary' || screen === 'failed') && !bye },
  );

  const cluster: ClusterModel = {
    role: role ?? 'manager',
    hostName: plan?.answers.hostName,
    mgtHostName: plan?.answers.mgtHostName,
    managerIp: plan?.answers.managerIp,
    workerIps: plan?.answers.workerIps,
  };
  const banner = inputs.demo ? `DEMO — writing under ${inputs.root}` : undefined;
  const width = Math.min(term.columns, 100);

  if (bye) {
    return (
      <Frame banner={banner} role={role} screen="Finished" width={width}>
        <Farewell message={bye.message} outcome={screen === 'summary' ? outcome : undefined} />
      </Frame>
    );
  }

  const keys = keysFor(screen, plan, homeSettled, diffOpen);
  const body = term.rows - 1 - frameChrome(banner !== undefined, keys !== '');
  const frame = (title: string, content: React.ReactNode, k = keys) => (
    <Frame banner={banner} role={screen === 'welcome' || screen === 'role' ? undefined : role} screen={title} keys={k} width={width} height={term.rows - 1}>
      {content}
    </Frame>
  );

  switch (screen) {
    case 'welcome':
      return frame(
        'Welcome · apim-gateway-wizard',
        <Welcome
          inputs={inputs}
          width={width}
          home={home}
          settled={homeSettled}
          node={node}
          nodeError={nodeError}
          onHome={(h) => {
            setHome(h);
            setHomeSettled(true);
          }}
          onContinue={() => setScreen('role')}
          onQuit={() => quit(EXIT.quit, 'Quit. Nothing was written.')}
        />,
      );
    case 'role':
      return frame(
        'Choose the role of this node',
        <RoleScreen
          width={width}
          hasHome={home !== undefined}
          initial={role ?? initialRole(inputs, node) ?? (home === undefined ? 'load-balancer' : 'manager')}
          looksLike={node?.detected.looksLike}
          onPick={(r) => {
            setRole(r);
            setQuestion(0);
            setProblems([]);
            setScreen('questions');
          }}
          onBack={() => setScreen('welcome')}
          onQuit={() => quit(EXIT.quit, 'Quit. Nothing was written.')}
        />,
      );
    case 'questions':
      return frame(
        `Questions ${question + 1}/${rows.length}`,
        <Questions
          rows={rows}
          index={Math.min(question, rows.length - 1)}
          width={width}
          height={body}
          problems={problems}
          busy={busy}
          onEdit={(key, text) => setEdits((e) => ({ ...e, [key]: text }))}
          onIndex={setQuestion}
          onBack={() => setScreen('role')}
          onDone={() => void toReview()}
        />,
      );
    case 'review':
      return frame(
        'Review',
        <Review
          plan={plan!}
          cluster={cluster}
          width={width}
          rows={body}
          onDiffOpen={setDiffOpen}
          onConflict={(c) => void resolveConflicts(c)}
          onApply={() => void apply()}
          onBack={() => {
            setDiffOpen(false);
            setScreen('questions');
          }}
          onQuit={() => quit(EXIT.quit, 'Quit. Nothing was written.')}
        />,
      );
    case 'confirm-reset':
      return frame(
        'Confirm',
        <ConfirmReset
          plan={plan!}
          width={width}
          onYes={() => void apply(true)}
          onNo={() => setScreen('review')}
        />,
      );
    case 'applying':
      return frame('Apply', <Applying log={log} rows={body} quitting={quitAfterApply} />, '');
    case 'summary':
      return frame(
        'Summary',
        canStart ? (
          <Box flexDirection="column">
            <Summary outcome={outcome!} cluster={cluster} width={width} rows={body - 2 - (canSync ? 1 : 0)} />
            <Box marginTop={1} flexDirection="column">
              {canSync ? <Text bold color="cyan" wrap="truncate-end">Push the deployment to the workers? p previews it first (rsync --dry-run)</Text> : null}
              <Text bold color="cyan" wrap="truncate-end">Start the server now? s starts it (bin/wso2server.sh start) and shows its log</Text>
            </Box>
          </Box>
        ) : (
          <Summary outcome={outcome!} cluster={cluster} width={width} rows={body} />
        ),
        canStart ? `${canSync ? 'p sync the workers · ' : ''}s start the server · Enter or q: exit` : undefined,
      );
    case 'sync':
      return (
        <Frame banner={banner} role={role} step={3} screen="Sync the workers (rsync)" keys={syncKeys(sync.view, sync.running)} width={width} height={term.rows - 1}>
          <Sync
            view={sync.view}
            running={sync.running}
            width={width}
            rows={term.rows - 1 - frameChrome(banner !== undefined, true)}
            onAnswer={sync.answer}
            onAgain={sync.start}
            onDone={() => setScreen('summary')}
            onQuit={() => quit(sync.view.result?.status === 'failed' || sync.view.result?.status === 'blocked' ? EXIT.failed : EXIT.done, sync.view.result ? `Sync: ${sync.view.result.status}.` : 'Done.')}
          />
        </Frame>
      );
    case 'start':
      return (
        <Frame banner={banner} role={role} step={5} screen="Start" keys={startKeyLine} width={width} height={term.rows - 1}>
          <Start
            view={server.view}
            history={server.history}
            running={server.running}
            role={gatewayRole ?? 'manager'}
            width={width}
            rows={term.rows - 1 - frameChrome(banner !== undefined, true)}
            onRun={server.run}
            onKeys={setStartKeyLine}
            onQuit={() => quit(startExit(server.view.outcome), startFarewell(server.view.outcome))}
          />
        </Frame>
      );
    case 'failed':
      return frame('Apply failed', <Failed failure={failure!} width={width} />);
  }
}

/** --role load-balancer (or an answers file saying so) with no product home found: nothing to ask about the home. */
function startsAsLoadBalancer(inputs: WizardInputs): boolean {
  return !inputs.home.problem && initialRole(inputs, undefined) === 'load-balancer';
}

/** The exit code after the start screen: 0 ready (or left running), 1 when the start failed. */
function startExit(o: StartOutcome | undefined): number {
  if (!o) return EXIT.done;
  return o.status === 'failed' || o.status === 'preflight-failed' ? EXIT.failed : EXIT.done;
}

function startFarewell(o: StartOutcome | undefined): string {
  if (!o) return 'Done.';
  if (o.status === 'interrupted') return `Server: ${o.headline}. ${o.next ?? ''}`.trim();
  return `Server: ${o.headline}${o.next && o.status !== 'ready' ? `. Next: ${o.next}` : ''}`;
}

function keysFor(screen: Screen, plan: Plan | undefined, hasHome: boolean, diffOpen: boolean): string {
  switch (screen) {
    case 'welcome':
      return hasHome ? 'Enter continue · q quit · Ctrl-C quit' : 'Enter check the path · Ctrl-C quit';
    case 'role':
      return '↑/↓ choose · Enter select · Esc back · q quit';
    case 'questions':
      return 'Enter accept · Esc/↑ previous question · Ctrl-C quit (nothing is written)';
    case 'review':
      return plan ? reviewKeys(plan, diffOpen) : '';
    case 'confirm-reset':
      return CONFIRM_RESET_KEYS;
    case 'start':
    case 'sync':
      return '';
    case 'applying':
      return '';
    case 'summary':
      return 'Enter or q: exit';
    case 'failed':
      return 'b back to the answers · q quit';
  }
}
