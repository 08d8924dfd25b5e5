// The cluster's two runs over Ansible, for the text commands and the screens alike: the check
// (every node plans, in parallel, in check mode) and the apply in WSO2's order, followed live.
import { runPlaybook } from '../run/ansible/playbook.js';
import type { Cluster } from './derive.js';
import { foldProgress, initialProgress, parseProgressLine, type ClusterProgress, type ProgressEvent } from './progress.js';
import { outcomes, type NodeOutcome } from './results.js';

/** Every node (or the `limit` ones) checked in parallel (Ansible check mode: the nodes plan, nothing is written). */
export async function checkCluster(cluster: Cluster, limit?: string[], signal?: AbortSignal): Promise<NodeOutcome[]> {
  const run = await runPlaybook({ playbook: 'check.yml', cluster, callback: 'results', check: true, ...(limit ? { limit } : {}), ...(signal ? { signal } : {}) });
  if (run.startError) throw new Error(`ansible-playbook: ${run.startError}`);
  if (run.aborted) throw new Error('the check was stopped');
  try {
    return outcomes(limit ? cluster.nodes.filter((n) => limit.includes(n.name)) : cluster.nodes, run.output);
  } catch (e) {
    throw new Error(`ansible-playbook exited ${run.exitCode ?? run.signal}: ${(e as Error).message}${run.stderr.length ? `\n${run.stderr.slice(-10).join('\n')}` : ''}`);
  }
}

export interface ApplyChoices {
  /** Start the manager, push, start the workers (site.yml's start plays). */
  start: boolean;
  /** The first push may delete files on the workers. */
  syncDelete: boolean;
}

export interface ClusterApplied {
  ok: boolean;
  progress: ClusterProgress;
  /** ansible-playbook's exit, for the message. */
  exit: string;
  /** What ansible-playbook printed to stderr (its own warnings and errors), the last lines. */
  stderr: string[];
}

/** site.yml over the cluster; each event is handed over as it comes, and folded into the result. */
export async function applyCluster(cluster: Cluster, choices: ApplyChoices, onEvent: (e: ProgressEvent, before: ClusterProgress) => void): Promise<ClusterApplied> {
  let progress = initialProgress(cluster.nodes);
  const run = await runPlaybook({
    playbook: 'site.yml',
    cluster,
    callback: 'progress',
    extraVars: { apim_start: choices.start, apim_sync_delete: choices.syncDelete },
    onLine: (line) => {
      const e = line.stream === 'stdout' ? parseProgressLine(line.text) : undefined;
      if (!e) return;
      onEvent(e, progress);
      progress = foldProgress(progress, e);
    },
  });
  if (run.startError) throw new Error(`ansible-playbook: ${run.startError}`);
  return { ok: run.exitCode === 0, progress, exit: String(run.exitCode ?? run.signal), stderr: run.stderr.slice(-10) };
}
