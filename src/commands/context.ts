// Turns the command line into answers and a root: the answers file, $CARBON_HOME or the
// current directory for the product home, flags on top; the demo sandbox when asked.
import { existsSync } from 'node:fs';
import { AnswersError, layerFromFlags, readAnswersFile, resolveAnswers, type AnswersLayer } from '../core/answers/load.js';
import { shown } from '../core/messages/shown.js';
import type { Answers } from '../core/answers/schema.js';
import { DEMO_HOME, demoRoot, type DemoNode } from '../core/node/demo.js';
import { demoNodeOf } from '../core/node/session.js';
import { absoluteRoot } from '../core/node/jail.js';
import { onDisk, onDiskNoFollow, productFile, stateDir } from '../core/node/layout.js';
import { savedAnswersPath } from '../core/answers/save.js';
import { openState } from '../core/state/location.js';
import { nginxAnswers } from '../core/run/nginx/install.js';
import { ON_CONFLICT, type OnConflict } from '../core/edit/owned.js';
import type { Plan, PlanOptions } from '../core/plan/plan.js';
import { switchRefusal } from '../core/plan/role-switch.js';

export interface Context {
  answers: Answers;
  root?: string;
  demo: boolean;
  /** With --demo or --demo-node: the sandbox of the demo cluster `root` is. */
  demoNode?: DemoNode;
  plan: PlanOptions;
  /** What opening the node's state said (an old state moved, or ignored and why): each verb prints them first. */
  notes?: string[];
  /** --switch-role: a plan for another role than the saved answers' is made, not refused. */
  switchRole?: boolean;
}

function onConflict(value: unknown): OnConflict | undefined {
  if (value === undefined || value === 'fail') return undefined;
  if ((ON_CONFLICT as readonly unknown[]).includes(value)) return value as OnConflict;
  throw new AnswersError([`--on-conflict: "${shown(value)}" is not one of ${ON_CONFLICT.join(', ')}`]);
}

/** $CARBON_HOME, else the current directory when it is a product home. */
export function homeFromEnvironment(root: string | undefined): AnswersLayer {
  const env = process.env.CARBON_HOME;
  if (env) return { productHome: env };
  const cwd = process.cwd();
  return existsSync(onDisk(root, productFile(cwd, 'carbon'))) ? { productHome: cwd } : {};
}

/** --root (absolute, its own links resolved: core/node/jail.ts), or a demo sandbox's root with --demo / --demo-node (never both). */
export async function rootOf(values: Record<string, unknown>): Promise<{ root?: string; demo: boolean; demoNode?: DemoNode }> {
  const demo = values.demo === true || values['demo-node'] !== undefined;
  const root = values.root as string | undefined;
  if (demo && root) throw new AnswersError(['--demo and --root cannot be used together: the demo has its own root']);
  if (!demo) return { root: absoluteRoot(root), demo };
  const demoNode = demoNodeOf(values['demo-node']);
  return { root: absoluteRoot(await demoRoot(undefined, demoNode)), demo, demoNode };
}

export async function headlessContext(values: Record<string, unknown>): Promise<Context> {
  const { root, demo, demoNode } = await rootOf(values);
  const flags = layerFromFlags(values);
  const base = demo ? { productHome: DEMO_HOME } : homeFromEnvironment(root);
  // Without an answers file, a node configured before is re-planned from its saved answers.
  const home = (flags.productHome ?? base.productHome) as string | undefined;
  // The saved answers are read only from a state folder that passed the trust check (core/state/).
  const opened = home ? await openState(home, root) : undefined;
  const notes = [...(opened?.notes ?? [])];
  const saved = onDisk(root, savedAnswersPath(home));
  const file = (values.answers as string | undefined) ?? (flags.role === undefined && home && existsSync(saved) ? saved : undefined);
  const fromFile = file ? await readAnswersFile(file, file === saved ? onDiskNoFollow(root, savedAnswersPath(home)) : file) : {};
  if (!file && flags.role === undefined) {
    throw new AnswersError(['no answers: give --answers FILE (see --help), or at least --role and the values it needs', ...notes]);
  }
  // The load balancer has no product home; where its site goes is read from nginx.
  const detected = (flags.role ?? fromFile.role) === 'load-balancer' ? await nginxAnswers(root) : base;
  const answers = resolveAnswers(detected, fromFile, flags);
  if (stateDir(answers.productHome) !== stateDir(home)) notes.push(...(await openState(answers.productHome, root)).notes);
  return { answers, root, demo, ...(demoNode ? { demoNode } : {}), plan: { onConflict: onConflict(values['on-conflict']) }, notes, switchRole: values['switch-role'] === true };
}

/** A plan that switches the node's role is made only with --switch-role (`howTo`: what the refusal suggests instead). */
export function refuseRoleSwitch(ctx: Context, plan: Plan, howTo?: string): void {
  if (plan.roleSwitch && !ctx.switchRole) throw new AnswersError(switchRefusal(plan.roleSwitch, howTo));
}
