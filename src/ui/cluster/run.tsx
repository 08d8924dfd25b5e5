// The cluster screens' entries: `cluster review` over the real runs (Ansible), and `cluster init`'s questions.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { Cluster } from '../../core/cluster/derive.js';
import { applyCluster, checkCluster, type ApplyChoices } from '../../core/cluster/run.js';
import type { AnswersLayer } from '../../core/answers/load.js';
import { ClusterApp } from './ClusterApp.js';
import { ClusterInit } from './ClusterInit.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runClusterReview(cluster: Cluster, file: string, choices: ApplyChoices): Promise<number> {
  const interrupts = new EventEmitter();
  const forward = () => interrupts.emit('interrupt');
  for (const s of SIGNALS) process.on(s, forward);
  let code = 1;
  const runs = { check: (signal: AbortSignal) => checkCluster(cluster, undefined, signal), apply: (onEvent: Parameters<typeof applyCluster>[2]) => applyCluster(cluster, choices, onEvent) };
  const app = render(<ClusterApp cluster={cluster} file={file} choices={choices} runs={runs} interrupts={interrupts} onExit={(c) => (code = c)} />, { exitOnCtrlC: false });
  try {
    await app.waitUntilExit();
  } finally {
    for (const s of SIGNALS) process.off(s, forward);
  }
  return code;
}

/** `cluster init` in a terminal: the cluster path's questions, then the file. */
export async function runClusterInit(file: string, flags: AnswersLayer): Promise<number> {
  let code = 1;
  const app = render(<ClusterInit file={file} flags={flags} onExit={(c) => (code = c)} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
  return code;
}
