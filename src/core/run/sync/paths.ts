// Where the deployment sync lives on the manager. Everything of the job is in one directory
// under the product home, given to the cron user: the script and the workers list (the
// wizard's), and what the job writes itself (lock, log, known_hosts, confirmed workers).
import { join } from 'node:path';
import type { Answers } from '../../answers/schema.js';
import type { SyncScope } from '../../node/release.js';
import { parseTarget, type SyncTarget } from '../../answers/sync-target.js';
import { DEPLOYMENT_PAIR, SYNAPSE_PAIR, TENANTS_PAIR, type SyncPair } from './target.js';

/** cron.d ignores names with dots; the file must be root's, mode 644. */
export const CRON_FILE = '/etc/cron.d/apim-gateway-wizard-depsync';

/** What cron runs with: cron's own PATH is too short on some systems (no /usr/local/bin). */
export const CRON_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SyncPaths {
  dir: string;
  script: string;
  workers: string;
  log: string;
  lock: string;
  knownHosts: string;
  /** Destinations whose first sync the admin previewed and confirmed; cron syncs only these. */
  confirmed: string;
}

export function syncPaths(home: string): SyncPaths {
  const dir = join(home, 'depsync');
  return {
    dir,
    script: join(dir, 'apim-gateway-wizard-depsync.sh'),
    workers: join(dir, 'workers.list'),
    log: join(dir, 'depsync.log'),
    lock: join(dir, 'depsync.lock'),
    knownHosts: join(dir, 'known_hosts'),
    confirmed: join(dir, 'confirmed'),
  };
}

export function syncEnabled(a: Answers): boolean {
  return a.role === 'manager' && Array.isArray(a.syncTargets) && a.syncTargets.length > 0;
}

/** What the manager pushes: the release decides the deployment part (see core/node/release.ts). */
export function syncPairs(a: Answers, scope: SyncScope): SyncPair[] {
  const deployment = scope === 'synapse' ? SYNAPSE_PAIR : DEPLOYMENT_PAIR;
  return a.syncTenants === true ? [deployment, TENANTS_PAIR] : [deployment];
}

/** The workers of valid answers (the schema has checked every entry). */
export function syncTargets(a: Answers): SyncTarget[] {
  return (a.syncTargets ?? []).map((v) => {
    const t = parseTarget(v);
    if (typeof t === 'string') throw new Error(`syncTargets: ${t}`);
    return t;
  });
}
