// `cluster init|check|drift|apply|inventory --cluster FILE`: the whole cluster, driven by Ansible
// (its inventory, ssh, forks, check mode and serial batches) with the collection in ansible/.
import { lstat } from 'node:fs/promises';
import { AnswersError, layerFromFlags, type AnswersLayer } from '../core/answers/load.js';
import { fieldByKey } from '../core/answers/schema.js';
import { FileExistsError, writeFileSafely } from '../core/apply/write.js';
import { composeCluster } from '../core/cluster/compose.js';
import { readCluster, type Cluster } from '../core/cluster/derive.js';
import { inventory } from '../core/cluster/inventory.js';
import { clusterExitCode } from '../core/cluster/results.js';
import { formatDrift, formatReview } from '../core/cluster/review.js';
import type { Paint } from '../core/messages/paint.js';
import { safeMessage } from '../core/messages/shown.js';
import { progressLine } from '../core/cluster/progress.js';
import { applyCluster, checkCluster } from '../core/cluster/run.js';
import { canRunInteractive } from './terminal.js';

export const CLUSTER_ACTIONS = ['init', 'review', 'check', 'drift', 'apply', 'inventory'] as const;
type Action = (typeof CLUSTER_ACTIONS)[number];

function actionOf(arg: string | undefined): Action {
  if ((CLUSTER_ACTIONS as readonly (string | undefined)[]).includes(arg)) return arg as Action;
  throw new AnswersError([`cluster: ${arg === undefined ? 'say what to do' : `"${safeMessage(arg)}" is not an action`}: ${CLUSTER_ACTIONS.join(', ')} (apim-gateway-wizard cluster --help)`]);
}

/** `--limit a,b`: those nodes of the cluster, each named in it. */
function limitOf(cluster: Cluster, value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !cluster.nodes.some((node) => node.name === n));
  if (!names.length || unknown.length) {
    throw new AnswersError([`--limit: ${names.length ? `no node ${unknown.map((n) => `"${safeMessage(n)}"`).join(', ')} in the cluster file` : 'name at least one node'} (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`]);
  }
  return names;
}

/** `cluster init`: the file written only once every node's answers derive from it; never over an existing file or through a link. */
async function initCluster(file: string, values: Record<string, unknown>, flags: AnswersLayer, out: (s: string) => void): Promise<number> {
  const others = ['limit', 'yes', 'no-start', 'sync-delete'].filter((o) => values[o] !== undefined);
  if (others.length) throw new AnswersError([`${others.map((o) => `--${o}`).join(', ')}: not for cluster init (it writes the cluster file only)`]);
  const exists = () => new AnswersError([`--cluster ${safeMessage(file)}: the file exists; cluster init writes a new one (edit it by hand, or give a new name)`]);
  // Said before the nodes are checked; the write itself is what makes it so (link(2): EEXIST).
  if (await lstat(file).catch(() => undefined)) throw exists();
  // No nodes given, and someone at the keys: the cluster path asks for them.
  if (values.node === undefined && canRunInteractive()) {
    const { runClusterInit } = await import('../ui/cluster/run.js');
    return runClusterInit(file, flags);
  }
  const { file: content, nodes } = composeCluster((values.node as string[] | undefined) ?? [], flags, 'cluster init');
  await writeFileSafely(file, Buffer.from(`${JSON.stringify(content, null, 2)}\n`), { mode: 0o644, createOnly: true }).catch((e: unknown) => {
    throw e instanceof FileExistsError ? exists() : e;
  });
  out(`Wrote ${safeMessage(file)}: ${nodes.map((n) => `${n.name} (${n.role}, ${n.address})`).join(', ')}.\n`);
  out(`Review every node's changes with: apim-gateway-wizard cluster check --cluster ${safeMessage(file)}\n`);
  return 0;
}

const applyChoices = (values: Record<string, unknown>) => ({ start: values['no-start'] !== true, syncDelete: values['sync-delete'] === true });

export async function clusterCommand(values: Record<string, unknown>, arg: string | undefined, paint: Paint, out: (s: string) => void): Promise<number> {
  const action = actionOf(arg);
  const file = values.cluster as string | undefined;
  if (!file) throw new AnswersError(['cluster: --cluster FILE is required (the cluster file: see README, "The whole cluster")']);
  const flags = layerFromFlags(values);
  if (action === 'init') return initCluster(file, values, flags, out);
  const given = Object.keys(flags).map((k) => `--${fieldByKey(k)!.flag}`);
  if (values.node !== undefined || given.length) throw new AnswersError([`${values.node !== undefined ? '--node' : given.join(', ')}: only for cluster init (the other actions read the cluster file)`]);
  const cluster = await readCluster(file);
  const limit = limitOf(cluster, values.limit);
  if (limit && action !== 'check' && action !== 'drift') throw new AnswersError([`--limit: only for cluster check and cluster drift (apply and review take every node, in order)`]);
  switch (action) {
    case 'inventory':
      out(`${JSON.stringify(inventory(cluster), null, 2)}\n`);
      return 0;
    case 'check': {
      const all = await checkCluster(cluster, limit);
      out(formatReview(all, paint));
      return clusterExitCode(all);
    }
    case 'drift': {
      const all = await checkCluster(cluster, limit);
      out(formatDrift(all, paint));
      return clusterExitCode(all);
    }
    case 'review': {
      if (!canRunInteractive()) throw new AnswersError(['cluster review is a screen: it needs a terminal (stdin and stdout a TTY, CI unset); cluster check prints the same review as text']);
      const { runClusterReview } = await import('../ui/cluster/run.js');
      return runClusterReview(cluster, file, applyChoices(values));
    }
    case 'apply': {
      if (values.yes !== true) {
        out('cluster apply writes on every node: read `cluster check` first, then run it again with --yes\n');
        return 1;
      }
      const choices = applyChoices(values);
      // Each node's step as it ends there: which node is where, live.
      const applied = await applyCluster(cluster, choices, (e, before) => {
        const line = progressLine(e, before.play);
        if (line) out(`${safeMessage(line)}\n`);
      });
      if (applied.ok) {
        out(paint('green', `The cluster is applied${choices.start ? ' and started' : ''}: ${cluster.nodes.length} nodes.`) + '\n');
        return 0;
      }
      for (const l of applied.stderr) out(`${safeMessage(l)}\n`);
      out(paint('red', `ansible-playbook exited ${applied.exit}: a node failed or could not be reached (see its lines above); re-run cluster apply once it is fixed: the nodes already done report no change.`) + '\n');
      return 1;
    }
  }
}
