// `cluster check|drift|apply|inventory --cluster FILE`: the whole cluster, driven by Ansible
// (its inventory, ssh, forks, check mode and serial batches) with the collection in ansible/.
import { AnswersError } from '../core/answers/load.js';
import { readCluster, type Cluster } from '../core/cluster/derive.js';
import { inventory } from '../core/cluster/inventory.js';
import { clusterExitCode, outcomes } from '../core/cluster/results.js';
import { formatDrift, formatReview } from '../core/cluster/review.js';
import type { Paint } from '../core/messages/paint.js';
import { safeMessage } from '../core/messages/shown.js';
import { runPlaybook } from '../core/run/ansible/playbook.js';

export const CLUSTER_ACTIONS = ['check', 'drift', 'apply', 'inventory'] as const;
type Action = (typeof CLUSTER_ACTIONS)[number];

function actionOf(arg: string | undefined): Action {
  if ((CLUSTER_ACTIONS as readonly (string | undefined)[]).includes(arg)) return arg as Action;
  throw new AnswersError([`cluster: ${arg === undefined ? 'say what to do' : `"${safeMessage(arg)}" is not an action`}: ${CLUSTER_ACTIONS.join(', ')} (apim-gateway-wizard cluster --help)`]);
}

/** Every node checked in parallel (Ansible check mode: the nodes plan, nothing is written). */
async function checkAll(cluster: Cluster) {
  const run = await runPlaybook({ playbook: 'check.yml', cluster, json: true, check: true });
  if (run.startError) throw new Error(`ansible-playbook: ${run.startError}`);
  try {
    return outcomes(cluster.nodes, run.output);
  } catch (e) {
    throw new Error(`ansible-playbook exited ${run.exitCode ?? run.signal}: ${(e as Error).message}${run.stderr.length ? `\n${run.stderr.slice(-10).join('\n')}` : ''}`);
  }
}

export async function clusterCommand(values: Record<string, unknown>, arg: string | undefined, paint: Paint, out: (s: string) => void): Promise<number> {
  const action = actionOf(arg);
  const file = values.cluster as string | undefined;
  if (!file) throw new AnswersError(['cluster: --cluster FILE is required (the cluster file: see README, "The whole cluster")']);
  const cluster = await readCluster(file);
  switch (action) {
    case 'inventory':
      out(`${JSON.stringify(inventory(cluster), null, 2)}\n`);
      return 0;
    case 'check': {
      const all = await checkAll(cluster);
      out(formatReview(all, paint));
      return clusterExitCode(all);
    }
    case 'drift': {
      const all = await checkAll(cluster);
      out(formatDrift(all, paint));
      return clusterExitCode(all);
    }
    case 'apply': {
      if (values.yes !== true) {
        out('cluster apply writes on every node: read `cluster check` first, then run it again with --yes\n');
        return 1;
      }
      const extraVars = { apim_start: values['no-start'] !== true, apim_sync_delete: values['sync-delete'] === true };
      // Ansible's own lines, as they come: which node is at which step, live.
      const run = await runPlaybook({ playbook: 'site.yml', cluster, extraVars, onLine: (l) => out(`${safeMessage(l.text)}\n`) });
      if (run.startError) throw new Error(`ansible-playbook: ${run.startError}`);
      if (run.exitCode === 0) {
        out(paint('green', `The cluster is applied${extraVars.apim_start ? ' and started' : ''}: ${cluster.nodes.length} nodes.`) + '\n');
        return 0;
      }
      out(paint('red', `ansible-playbook exited ${run.exitCode ?? run.signal}: a node failed or could not be reached (see its lines above); re-run cluster apply once it is fixed: the nodes already done report no change.`) + '\n');
      return 1;
    }
  }
}
