// What start, stop and status need: the product home and the role, not a whole answers set.
// The home comes from --home, the answers file, $CARBON_HOME or the current directory; the role
// from --role, the answers file, the answers saved by the last apply, or what the files say.
import { existsSync } from 'node:fs';
import { AnswersError, layerFromFlags, readAnswersFile, type AnswersLayer } from '../core/answers/load.js';
import { shown } from '../core/messages/shown.js';
import { savedAnswersPath } from '../core/answers/save.js';
import { DEMO_HOME, DEMO_ROLE } from '../core/node/demo.js';
import { detectNode } from '../core/node/detect.js';
import { productHomeProblem } from '../core/node/home.js';
import { onDisk } from '../core/node/layout.js';
import { openState } from '../core/state/location.js';
import type { ReleaseId } from '../core/node/release.js';
import { homeFromEnvironment, rootOf } from './context.js';

export interface ServerContext {
  home: string;
  role: 'manager' | 'worker';
  root?: string;
  demo: boolean;
  /** Where the role came from, said when it was not given. */
  roleFrom: string;
  /** What opening the node's state said (an old state moved or ignored): said once. */
  notes: string[];
  /** The `release` answer (--release, the answers file, the saved answers), when given. */
  release?: ReleaseId;
}

export async function serverContext(values: Record<string, unknown>): Promise<ServerContext> {
  const { root, demo, demoNode } = await rootOf(values);
  const flags = layerFromFlags(values);
  const file: AnswersLayer = values.answers ? await readAnswersFile(values.answers as string) : {};
  const home = (flags.productHome ?? file.productHome ?? (demo ? DEMO_HOME : homeFromEnvironment(root).productHome)) as string | undefined;
  if (!home) throw new AnswersError(['no product home: give --home DIR (or --answers FILE, or set CARBON_HOME, or run it from the product home)']);
  const problem = await productHomeProblem(home, root);
  if (problem) throw new AnswersError([`productHome: ${problem}`]);

  // The saved answers and the start records are root's state: verified before they are read.
  const { notes } = await openState(home, root);
  const saved = onDisk(root, savedAnswersPath(home));
  const savedLayer: AnswersLayer = existsSync(saved) ? await readAnswersFile(saved).catch(() => ({})) : {};
  // In order; the node's files are read only when nothing before them names the role.
  const candidates: Array<[() => unknown, string]> = [
    [() => flags.role, '--role'],
    [() => file.role, 'the answers file'],
    [() => savedLayer.role, 'the answers saved by the last apply'],
    [async () => (await detectNode(home, root)).looksLike, 'carbon.xml (MgtHostName set: manager; HostName only: worker)'],
    [() => (demoNode ? DEMO_ROLE[demoNode] : undefined), 'the demo node'],
  ];
  let found: [unknown, string] | undefined;
  for (const [candidate, from] of candidates) {
    const r = await candidate();
    if (r !== undefined) {
      found = [r, from];
      break;
    }
  }
  if (!found) throw new AnswersError(["role unknown: give --role manager or --role worker (a worker starts with its release's Gateway Worker flags)"]);
  const [role, roleFrom] = found;
  if (role !== 'manager' && role !== 'worker') {
    throw new AnswersError([`role is ${String(role)} (from ${roleFrom}): start, stop and status are for Gateway nodes (manager or worker)`]);
  }
  const release = (flags.release ?? file.release ?? savedLayer.release) as ReleaseId | undefined;
  return { home, role, root, demo, roleFrom, notes, ...(release ? { release } : {}) };
}

/** --timeout: seconds, or with a unit: 90s, 10m, 1h. */
export function parseDuration(value: unknown, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(value));
  if (!m || Number(m[1]) <= 0) throw new AnswersError([`--timeout: "${shown(value)}" is not a duration (seconds, or e.g. 90s, 10m)`]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
