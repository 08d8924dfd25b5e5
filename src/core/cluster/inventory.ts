// The cluster as an Ansible inventory (JSON, which Ansible reads as YAML): one group per role,
// each host with its ssh settings and the answers the wizard on it plans with.
import type { Role } from '../answers/schema.js';
import type { Cluster, DerivedNode } from './derive.js';

export const GROUP: Record<Role, string> = { manager: 'apim_manager', worker: 'apim_workers', 'load-balancer': 'apim_load_balancer' };

export function hostVars(n: DerivedNode): Record<string, unknown> {
  return {
    ansible_host: n.ssh.host,
    ansible_port: n.ssh.port,
    ansible_user: n.ssh.user,
    ...(n.ssh.privateKey ? { ansible_ssh_private_key_file: n.ssh.privateKey } : {}),
    // The wizard writes as root: another ssh user becomes root with sudo.
    ...(n.ssh.user !== 'root' ? { ansible_become: true } : {}),
    apim_node: n.name,
    apim_role: n.role,
    apim_answers: n.answers,
    ...(n.root ? { apim_root: n.root } : {}),
    ...(n.wizardDir ? { apim_wizard_dir: n.wizardDir } : {}),
  };
}

export function inventory({ nodes, workerBatch, workerFailureBudget }: Cluster): Record<string, unknown> {
  const children: Record<string, { hosts: Record<string, unknown> }> = {};
  for (const role of Object.keys(GROUP) as Role[]) {
    children[GROUP[role]] = { hosts: Object.fromEntries(nodes.filter((n) => n.role === role).map((n) => [n.name, hostVars(n)])) };
  }
  return { all: { children, vars: { apim_worker_batch: workerBatch, apim_worker_failure_budget: workerFailureBudget } } };
}
