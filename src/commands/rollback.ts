import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readAnswersFile } from '../core/answers/load.js';
import { describeRefused, readCheckpoints } from '../core/apply/checkpoint.js';
import { DEMO_HOME } from '../core/node/demo.js';
import { onDisk, STATE_BASE } from '../core/node/layout.js';
import type { Paint } from '../core/messages/paint.js';
import { rollback, RollbackError } from '../core/apply/rollback.js';
import { NODE_FILE, openState } from '../core/state/location.js';
import { homeFromEnvironment, rootOf } from './context.js';

interface FoundNode {
  home?: string;
  /** How it was found, said when nothing can be rolled back. */
  from: string;
}

/** The node states under the state folder that hold checkpoints: their homes (undefined: the load balancer). */
async function nodesWithCheckpoints(root: string | undefined): Promise<Array<{ home?: string; dir: string }>> {
  const base = onDisk(root, join(STATE_BASE, 'nodes'));
  const out: Array<{ home?: string; dir: string }> = [];
  for (const key of (await readdir(base).catch(() => [] as string[])).sort()) {
    const dir = join(base, key);
    if (!(await readdir(join(dir, 'checkpoints')).catch(() => [])).length) continue;
    const node = await readFile(join(dir, NODE_FILE), 'utf8').then((t) => JSON.parse(t) as { home?: unknown }, () => undefined);
    out.push({ dir, ...(typeof node?.home === 'string' ? { home: node.home } : {}) });
  }
  // A load balancer's state of an earlier version: opening its state moves it (state/migrate.ts).
  if (!out.length && (await lstat(onDisk(root, join(STATE_BASE, 'checkpoints'))).catch(() => undefined))) out.push({ dir: onDisk(root, STATE_BASE) });
  return out;
}

/** The node like the other verbs find it: --home, --answers' productHome, the demo, $CARBON_HOME, the current directory; else the one node state with checkpoints. */
async function findNode(values: Record<string, unknown>, root: string | undefined, demo: boolean): Promise<FoundNode> {
  if (typeof values.home === 'string') return { home: resolve(values.home), from: '--home' };
  if (typeof values.answers === 'string') {
    const home = (await readAnswersFile(values.answers)).productHome;
    return typeof home === 'string' ? { home, from: `productHome of ${values.answers}` } : { from: `${values.answers} (a load balancer's answers: no productHome)` };
  }
  if (demo) return { home: DEMO_HOME, from: 'the demo sandbox' };
  const env = homeFromEnvironment(root).productHome as string | undefined;
  if (env) return { home: env, from: process.env.CARBON_HOME ? '$CARBON_HOME' : 'the current directory' };
  const nodes = await nodesWithCheckpoints(root);
  const looked = 'no --home, --answers or $CARBON_HOME, and the current directory is not a product home';
  if (nodes.length === 1) return { home: nodes[0]!.home, from: `${looked}; the only node with checkpoints in ${onDisk(root, STATE_BASE)}` };
  if (nodes.length > 1) {
    throw new RollbackError(
      `${looked}, and ${nodes.length} nodes have checkpoints: ${nodes.map((n) => (n.home ? `${n.home} (${n.dir})` : `the load balancer (${n.dir})`)).join(', ')}. ` +
        'Say which with --home DIR (the load balancer: --answers of its answers).',
    );
  }
  throw new RollbackError(`nothing to roll back: ${looked}, and no node has checkpoints in ${onDisk(root, join(STATE_BASE, 'nodes'))}`);
}

const nodeName = (n: FoundNode) => (n.home ? `the product home ${n.home}` : 'the load balancer');

/** rollback --list, or rollback [ID]: exit 0 done, 1 failed (nothing changed). */
export async function rollbackCommand(values: Record<string, unknown>, id: string | undefined, paint: Paint, out: (s: string) => void): Promise<number> {
  const { root, demo } = await rootOf(values);
  const node = await findNode(values, root, demo);
  const opened = await openState(node.home, root);
  for (const note of opened.notes) out(paint('yellow', note) + '\n');
  const state = opened.dir;
  if (values.list === true) {
    const { checkpoints, refused } = await readCheckpoints(state);
    if (!checkpoints.length) out(`No checkpoints in ${join(state, 'checkpoints')} (${nodeName(node)}, from ${node.from})\n`);
    for (const { manifest: m } of checkpoints.reverse()) {
      const note = m.rolledBackBy ? ` (rolled back by ${m.rolledBackBy})` : m.state !== 'complete' ? ` (${m.state})` : '';
      out(`${m.id}  ${m.reason}${note}\n`);
      for (const f of m.files) out(paint('dim', `    ${f.existed ? 'changed' : 'created'} ${f.file}\n`));
    }
    for (const r of refused) out(paint('yellow', `${describeRefused(r)}\n`));
    return 0;
  }
  const notes: string[] = [];
  const r = await rollback(state, root, id, (line) => notes.push(line)).catch((e: unknown) => {
    if (e instanceof RollbackError && /^nothing to roll back|^no checkpoint/.test(e.message)) {
      throw new RollbackError(`${e.message} (${nodeName(node)}, from ${node.from})`);
    }
    throw e;
  });
  if (r.recovered.length) out(`An interrupted apply was restored first: ${r.recovered.join(', ')}\n`);
  for (const f of r.restored) out(`restored ${f}\n`);
  for (const line of notes) out(`${line}\n`);
  out(paint('green', `Rolled back ${r.target.manifest.id} (${r.target.manifest.reason}).`) + `\nTo undo this rollback: rollback ${r.undo.manifest.id}\n`);
  return 0;
}
