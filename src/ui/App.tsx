// The wizard as one long-lived Ink app: welcome → role → questions → review → apply →
// summary (→ sync, start). A router: the state is one reducer over the screens (state/), the
// work they wait for runs in state/effects.ts, and each screen gets what it draws and the
// actions it may send. Ctrl-C (and the signals runWizard forwards) is handled here for all.
import { useCallback, useEffect, useReducer } from 'react';
import { useInput } from 'ink';
import type { ApplyOptions } from '../core/apply/apply.js';
import { givenRole, initialRole, type WizardInputs } from '../core/node/session.js';
import { Frame, frameChrome } from './components/Frame.js';
import { useServerStart } from './hooks/useServerStart.js';
import { useSync } from './hooks/useSync.js';
import { useTerminalSize, type TerminalSize } from './hooks/useTerminalSize.js';
import { Applying } from './screens/Applying.js';
import { ConfirmReset } from './screens/ConfirmReset.js';
import { ConfirmSwitch } from './screens/ConfirmSwitch.js';
import { Farewell } from './screens/Farewell.js';
import { Failed } from './screens/Failed.js';
import { fileCheckAt } from './questions-model.js';
import { Questions } from './screens/Questions.js';
import { Review } from './screens/Review.js';
import { RoleScreen, savedRole } from './screens/Role.js';
import { Start } from './screens/Start.js';
import { SummaryScreen } from './screens/Summary.js';
import { Sync, syncKeys } from './screens/Sync.js';
import { Welcome } from './screens/Welcome.js';
import { useWizardWork } from './state/effects.js';
import { reducer, type Action } from './state/reducer.js';
import { canStart, canSync, clusterOf, gatewayRole, initialState, keysOf, planOf, rowsOf } from './state/screens.js';

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
  startOptions?: { timeoutMs?: number; env?: Record<string, string | undefined>; clock?: () => number };
  /** `after`: a line to print once the wizard has left the screen (the next node's command, whole). */
  onExit: (code: number, after?: string) => void;
}

export function App({ inputs, size, interrupts, beforeWrite, startOptions, onExit }: AppProps) {
  const term = useTerminalSize(size);
  const [state, dispatch] = useReducer(reducer, inputs, initialState);
  useWizardWork(state, dispatch, { inputs, beforeWrite, onExit });
  const plan = planOf(state);
  const sync = useSync(canSync(state) ? plan?.answers : undefined, inputs.root, inputs.demo);
  const home = 'home' in state ? state.home : undefined;
  const server = useServerStart({ home: home ?? '', root: inputs.root, role: gatewayRole(state) ?? 'manager', demo: inputs.demo !== undefined, release: plan?.answers.release, ...startOptions });
  const send = useCallback((a: Action) => () => dispatch(a), []);
  const startKeys = useCallback((keys: string) => dispatch({ type: 'start-keys', keys }), []);

  const interrupt = useCallback(() => {
    // Ctrl-C during a push stops rsync (the next run, or cron's, starts over); while following
    // a start it stops following (the server keeps starting). Only then does it quit.
    if (state.screen === 'sync' && sync.abort()) return;
    if (state.screen === 'start' && server.abort()) return;
    dispatch({ type: 'interrupt', sync: sync.view.result, start: server.view.outcome });
  }, [state.screen, sync, server]);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') interrupt();
  });
  useEffect(() => {
    interrupts?.on('interrupt', interrupt);
    return () => {
      interrupts?.off('interrupt', interrupt);
    };
  }, [interrupts, interrupt]);

  const banner = inputs.demo ? `DEMO — writing under ${inputs.root}` : undefined;
  const width = Math.min(term.columns, 100);
  if (state.screen === 'farewell') {
    return (
      <Frame banner={banner} role={state.role} screen="Finished" width={width}>
        <Farewell message={state.message} outcome={state.outcome} width={width} />
      </Frame>
    );
  }

  const keys = keysOf(state);
  const body = term.rows - 1 - frameChrome(banner, keys, width);
  // The start and sync screens draw their own keys line, which follows what they show.
  const ownKeysBody = term.rows - 1 - frameChrome(banner, true, width);
  const role = state.screen === 'welcome' || state.screen === 'role' ? undefined : state.role;
  const frame = (title: string, content: React.ReactNode, k = keys, step?: number) => (
    <Frame banner={banner} role={role} step={step} screen={title} keys={k} width={width} height={term.rows - 1} size={term}>
      {content}
    </Frame>
  );
  const quit = send({ type: 'quit' });
  const back = send({ type: 'back' });

  switch (state.screen) {
    case 'welcome':
      return frame(
        'Welcome · apim-gateway-wizard',
        <Welcome inputs={inputs} width={width} home={state.home} settled={state.settled} node={state.node} nodeError={state.nodeError} onHome={(h) => dispatch({ type: 'home', home: h })} onContinue={send({ type: 'continue', role: givenRole(inputs) })} onQuit={quit} />,
      );
    case 'role':
      return frame(
        'Choose the role of this node',
        <RoleScreen
          width={width}
          hasHome={state.home !== undefined}
          initial={state.role ?? initialRole(inputs, state.node) ?? (state.home === undefined ? 'load-balancer' : 'manager')}
          looksLike={state.node.detected.looksLike}
          configuredAs={savedRole(state.node)}
          onPick={(r) => dispatch({ type: 'pick-role', role: r })}
          onBack={back}
          onQuit={quit}
        />,
      );
    case 'questions': {
      const rows = rowsOf(state, inputs);
      return frame(
        `Questions ${state.question + 1}/${rows.length}`,
        <Questions
          rows={rows}
          index={Math.min(state.question, rows.length - 1)}
          width={width}
          height={body}
          problems={state.problems}
          busy={state.planning !== undefined}
          checkAnswer={(key, at) => fileCheckAt(state.role, state.home, inputs.root, key, at)}
          onEdit={(key, text) => dispatch({ type: 'edit', key, text })}
          onIndex={(index) => dispatch({ type: 'question', index })}
          onBack={back}
          onDone={() => dispatch({ type: 'submit', rows })}
        />,
      );
    }
    case 'review':
      return frame(
        'Review',
        <Review plan={state.plan} cluster={clusterOf(state)} width={width} rows={body} onDiffOpen={(open) => dispatch({ type: 'diff-open', open })} onConflict={(choice) => dispatch({ type: 'conflict', choice })} onApply={send({ type: 'apply' })} onBack={back} onQuit={quit} />,
      );
    case 'confirm-reset':
      return frame('Confirm', <ConfirmReset plan={state.plan} width={width} onYes={send({ type: 'apply' })} onNo={back} />);
    case 'confirm-switch':
      return state.plan.roleSwitch ? frame('Switch the role?', <ConfirmSwitch change={state.plan.roleSwitch} width={width} rows={body} onYes={send({ type: 'switch-role' })} onNo={back} onQuit={quit} />) : null;
    case 'applying':
      return frame('Apply', <Applying log={state.log} rows={body} width={width} quitting={state.quitting} />);
    case 'summary': {
      const onSync = () => {
        dispatch({ type: 'sync' });
        sync.start();
      };
      const onStart = () => {
        dispatch({ type: 'start' });
        server.run('start');
      };
      return frame('Summary', <SummaryScreen outcome={state.outcome} cluster={clusterOf(state)} width={width} rows={body} canSync={canSync(state)} canStart={canStart(state)} onSync={onSync} onStart={onStart} onQuit={quit} />);
    }
    case 'sync': {
      const onQuit = () => dispatch({ type: 'quit', sync: sync.view.result });
      return frame(
        'Sync the workers (rsync)',
        <Sync view={sync.view} running={sync.running} width={width} rows={ownKeysBody} onAnswer={sync.answer} onAgain={sync.start} onDone={back} onQuit={onQuit} />,
        syncKeys(sync.view, sync.running),
        3,
      );
    }
    case 'start': {
      const onQuit = () => dispatch({ type: 'quit', start: server.view.outcome });
      return frame(
        'Start',
        <Start view={server.view} history={server.history} running={server.running} role={gatewayRole(state) ?? 'manager'} width={width} rows={ownKeysBody} onRun={server.run} onKeys={startKeys} onQuit={onQuit} />,
        state.keys,
        5,
      );
    }
    case 'failed':
      return frame('Apply failed', <Failed failure={state.failure} width={width} onBack={back} onQuit={quit} />);
  }
}
