// Runs the collection's playbooks (ansible/ in the package) over a cluster's inventory, through
// the one process runner: ansible-playbook does the ssh, the forks and the batches.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { inventory } from '../../cluster/inventory.js';
import type { Cluster } from '../../cluster/derive.js';
import { makePrivateTemp } from '../private-temp.js';
import { onPath, runProcess, type OutputLine, type RunResult } from '../process.js';

/** A folder of the package, found upward from this module (src/core/run/ansible from source, dist/ in the bundle). */
function packageDir(...parts: string[]): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, ...parts))) return join(dir, ...parts);
    dir = dirname(dir);
  }
  return undefined;
}

export function ansibleDir(): string {
  const dir = packageDir('ansible', 'playbooks', 'site.yml');
  if (!dir) throw new Error('the ansible/ folder is missing next to the program; reinstall apim-gateway-wizard');
  return dirname(dirname(dir));
}

/** The single-file wizard the nodes run: this bundle, or the repository's when run from source. */
export function wizardBundle(): string {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.cjs')) return self;
  const built = packageDir('dist', 'cli.cjs');
  if (!built) throw new Error('dist/cli.cjs is missing: build it first (npm run build)');
  return built;
}

export interface PlaybookRun {
  playbook: 'site.yml' | 'check.yml';
  cluster: Cluster;
  extraVars?: Record<string, unknown>;
  /**
   * The collection's stdout callback: results (one JSON document at the end: the review) or
   * progress (one JSON event per line as it happens: the apply). Ansible's default text otherwise.
   */
  callback?: 'results' | 'progress';
  check?: boolean;
  diff?: boolean;
  /** Only these nodes (Ansible --limit). */
  limit?: string[];
  /** Each line as ansible-playbook prints it, as it prints it. */
  onLine?: (line: OutputLine) => void;
  env?: Record<string, string | undefined>;
  /** Stops the run (ansible-playbook gets SIGTERM): a check the admin no longer waits for. */
  signal?: AbortSignal;
}

export interface PlaybookResult extends RunResult {
  /** The whole of stdout (the results callback's document can be long). */
  output: string;
}

export async function runPlaybook(run: PlaybookRun): Promise<PlaybookResult> {
  const program = await onPath('ansible-playbook');
  if (!program) throw new Error('ansible-playbook is not installed (Debian: apt-get install ansible-core)');
  const dir = ansibleDir();
  // The inventory holds every node's answers: a private folder, removed after.
  const temp = await makePrivateTemp('apim-gateway-wizard-cluster-');
  try {
    const inv = join(temp, 'inventory.json');
    await writeFile(inv, JSON.stringify(inventory(run.cluster), null, 2), { mode: 0o600 });
    const vars = join(temp, 'vars.json');
    await writeFile(vars, JSON.stringify({ apim_wizard_bundle: wizardBundle(), ...run.extraVars }), { mode: 0o600 });
    const args = ['-i', inv, '-e', `@${vars}`, '--forks', String(Math.max(5, run.cluster.nodes.length)), join(dir, 'playbooks', run.playbook)];
    if (run.check) args.push('--check');
    if (run.diff) args.push('--diff');
    if (run.limit) args.push('--limit', run.limit.join(','));
    let output = '';
    const result = await runProcess(program, args, {
      cwd: dir,
      ...(run.signal ? { signal: run.signal } : {}),
      env: {
        ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
        ...(run.callback ? { ANSIBLE_STDOUT_CALLBACK: `apim.gateway.${run.callback}`, ANSIBLE_CALLBACKS_ENABLED: '' } : {}),
        ANSIBLE_NOCOLOR: '1',
        ...run.env,
      },
      onLine: (line) => {
        if (line.stream === 'stdout') output += `${line.text}\n`;
        run.onLine?.(line);
      },
    });
    return { ...result, output };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
