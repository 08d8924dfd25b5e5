// The work each screen waits for, run while the state is on it and reported back as an
// action: the node read once the home is settled, the plan of the submitted answers (again
// with a conflict choice), the apply with its progress, and the exit once the last frame is up.
// Reading and writing files is left to core, which runs for real in the tests too.
import { useEffect, type Dispatch } from 'react';
import { useApp } from 'ink';
import { savedAnswersFile } from '../../core/apply/save-answers.js';
import { ApplyError, applyPlan, type ApplyOptions } from '../../core/apply/apply.js';
import { makePlan, type Plan } from '../../core/plan/plan.js';
import { givenRelease, inspectNode, nextNodeCommand, type WizardInputs } from '../../core/node/session.js';
import { applyNotes, type Outcome } from '../screens/Summary.js';
import { errorText, type Action } from './reducer.js';
import type { WizardState } from './screens.js';

export interface WorkOptions {
  inputs: WizardInputs;
  /** applyPlan's own seam for tests: pause or fail before a chosen write. */
  beforeWrite?: ApplyOptions['beforeWrite'];
  onExit: (code: number, after?: string) => void;
}

const cannotPlan = (e: unknown) => errorText(e).map((p) => `cannot plan: ${p}`);

// Each effect is keyed on what its job is about (the home, the answers, the plan): it runs once
// per entry into its state, with the options as they were then. `live` drops a result that
// comes after the state moved on (the wizard quit while it was planning).
export function useWizardWork(s: WizardState, dispatch: Dispatch<Action>, { inputs, beforeWrite, onExit }: WorkOptions): void {
  const { exit } = useApp();

  const reading = s.screen === 'welcome' && s.settled && !s.node && !s.nodeError;
  const home = s.screen === 'welcome' ? s.home : undefined;
  useEffect(() => {
    if (!reading) return;
    let live = true;
    inspectNode(home, inputs.root, givenRelease(inputs)).then(
      (node) => live && dispatch({ type: 'node-read', node }),
      (e: unknown) => live && dispatch({ type: 'node-failed', message: (e as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [reading, home]);

  const planning = s.screen === 'questions' ? s.planning : undefined;
  const replan = s.screen === 'review' ? s.replan : undefined;
  const replanning = replan && s.screen === 'review' ? s.plan.answers : undefined;
  const answers = planning ?? replanning;
  useEffect(() => {
    if (!answers) return;
    let live = true;
    // A hand-edited generated file: plan again with the admin's choice (keep is what ucf offers first).
    makePlan(answers, inputs.root, replan ? { onConflict: replan } : undefined).then(
      (plan) => live && dispatch({ type: 'planned', plan }),
      (e: unknown) => live && dispatch({ type: 'plan-failed', problems: cannotPlan(e) }),
    );
    return () => {
      live = false;
    };
  }, [answers, replan]);

  const applying = s.screen === 'applying' ? s.plan : undefined;
  useEffect(() => {
    // Not undone on leaving: an apply always runs to its end (written, or restored).
    if (applying) void apply(applying, inputs, beforeWrite, dispatch);
  }, [applying]);

  // Leave the last frame on screen, then let runWizard return the exit code.
  const code = s.screen === 'farewell' ? s.code : undefined;
  const next = s.screen === 'farewell' ? s.outcome?.nextCommand : undefined;
  useEffect(() => {
    if (code === undefined) return;
    onExit(code, next && `Next node: ${next}`);
    exit();
  }, [code]);
}

async function apply(plan: Plan, inputs: WizardInputs, beforeWrite: WorkOptions['beforeWrite'], dispatch: Dispatch<Action>): Promise<void> {
  const said: string[] = [];
  try {
    const onProgress = (line: string) => {
      said.push(line);
      dispatch({ type: 'progress', line });
    };
    const result = await applyPlan(plan, { root: inputs.root, beforeWrite, onProgress });
    // The answers were written by the apply itself, as one of the plan's records (in its checkpoint).
    const savedFile = savedAnswersFile(plan.answers, inputs.root);
    const done: Outcome = { result, notes: applyNotes(said), savedFile, nextCommand: nextNodeCommand(savedFile, inputs, plan.answers.role) };
    dispatch({ type: 'applied', outcome: done });
  } catch (e) {
    dispatch({
      type: 'apply-failed',
      failure: {
        message: (e as Error).message.split('\n')[0]!,
        // applyPlan restores every file it had started to write; before that, nothing was changed.
        restored: e instanceof ApplyError && e.restored.length ? e.restored : undefined,
      },
    });
  }
}
