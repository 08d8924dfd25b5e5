// Turns the command line into answers and a root: the answers file, $CARBON_HOME or the
// current directory for the product home, flags on top; the demo sandbox when asked.
import { existsSync } from 'node:fs';
import { AnswersError, layerFromFlags, readAnswersFile, resolveAnswers, type AnswersLayer } from '../core/answers/load.js';
import { shown } from '../core/messages/shown.js';
import type { Answers } from '../core/answers/schema.js';
import { DEMO_HOME, demoRoot } from '../core/node/demo.js';
import { absoluteRoot } from '../core/node/jail.js';
import { onDisk, onDiskNoFollow, productFile, stateDir } from '../core/node/layout.js';
import { savedAnswersPath } from '../core/answers/save.js';
import { openState } from '../core/state/location.js';
import { nginxAnswers } from '../core/run/nginx/install.js';
import { ON_CONFLICT, type OnConflict } from '../core/edit/owned.js';
import type { PlanOptions } from '../core/plan/plan.js';

export interface Context {
  answers: Answers;
  root?: string;
  demo: boolean;
  plan: PlanOptions;
  /** What opening the node's state said (an old state moved, or ignored and why): each verb prints them first. */
  notes?: string[];
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

/** --root (absolute, its own links resolved: core/node/jail.ts), or the demo sandbox's root with --demo (never both). */
export async function rootOf(values: Record<string, unknown>): Promise<{ root?: string; demo: boolean }> {
  const demo = values.demo === true;
  const root = values.root as string | undefined;
  if (demo && root) throw new AnswersError(['--demo and --root cannot be used together: the demo has its own root']);
  return { root: absoluteRoot(demo ? await demoRoot() : root), demo };
}

export async function headlessContext(values: Record<string, unknown>): Promise<Context> {
  const { root, demo } = await rootOf(values);
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
  return { answers, root, demo, plan: { onConflict: onConflict(values['on-conflict']) }, notes };
}
