// The demo cluster's stand-in for ssh: rsync and the worker check run their "remote" side
// locally, in the worker's sandbox, through a few lines of POSIX sh given inline (nothing is
// read from a sandbox and run). It takes ssh's arguments and drops them, so the push runs the
// same rsync with the same options as a real one; only `--demo` / `--demo-node` select it
// (core/node/session.ts, commands/context.ts): no answer, flag value or file on a node can.
import { demoWorkerHomes } from '../../node/demo.js';
import type { SyncJob } from './render.js';
import { parseTarget } from '../../answers/sync-target.js';

/** The program that stands for ssh: argv form (the worker check) and rsync's -e form. */
export interface RemoteShell {
  argv: readonly string[];
  rsh: string;
}

/** ssh's options (those with a value, then flags) and the host are skipped; the rest is the remote command, run by sh like sshd does. No single quote: it is quoted once for rsync's -e. */
const SCRIPT = 'while [ $# -gt 0 ]; do case "$1" in -i|-p|-o|-l|-F) shift 2 ;; -*) shift ;; *) break ;; esac; done; shift; exec sh -c "$*"';
const NAME = 'apim-gateway-wizard-demo-shell';

export const DEMO_SHELL: RemoteShell = { argv: ['sh', '-c', SCRIPT, NAME], rsh: `sh -c '${SCRIPT}' ${NAME}` };

/** What the demo's push is allowed to reach: only the workers' sandboxes of its own cluster. */
export interface DemoSync {
  /** The folder the demo cluster's sandboxes are in (core/node/demo.ts demoRoot's base). */
  base: string;
}

/** Why these answers cannot be pushed in the demo, or undefined: a target outside the cluster's worker sandboxes. */
export function demoTargetsProblem(job: SyncJob, demo: DemoSync): string | undefined {
  const homes = new Set(demoWorkerHomes(demo.base));
  const outside = job.targets.filter((t) => {
    const parsed = parseTarget(t);
    return typeof parsed === 'string' || !homes.has(parsed.home);
  });
  return outside.length
    ? `syncTargets: the demo pushes only to its own workers' sandboxes (${[...homes].join(', ')}), not to ${outside.join(', ')}`
    : undefined;
}
