// The destination guard of the sync job: rsync --delete with a wrong destination empties
// whatever directory it points at, so every destination is checked here (answers, plan) and
// again by the script at run time. The worker as an answer is parsed in answers/sync-target.ts.
import { formatTarget, type SyncTarget } from '../../answers/sync-target.js';
import { shown } from '../../messages/shown.js';

/** What is synced: a directory of the manager's home to the same directory of each worker's home. */
export interface SyncPair {
  name: 'deployment' | 'synapse' | 'tenants';
  /** Relative to a product home, with the trailing slash that makes rsync copy the contents. */
  dir: 'repository/deployment/server/' | 'repository/deployment/server/synapse-configs/' | 'repository/tenants/';
}

export const DEPLOYMENT_PAIR: SyncPair = { name: 'deployment', dir: 'repository/deployment/server/' };
/** 2.5 and later: only the Synapse artifacts (the worker's --optimize start trims the rest of its deployment folder). */
export const SYNAPSE_PAIR: SyncPair = { name: 'synapse', dir: 'repository/deployment/server/synapse-configs/' };
export const TENANTS_PAIR: SyncPair = { name: 'tenants', dir: 'repository/tenants/' };

/** rsync's remote destination for one pair: the worker's directory, with its trailing slash. */
export function destination(t: SyncTarget, pair: SyncPair): string {
  return `${formatTarget(t)}/${pair.dir}`;
}

/**
 * A destination as rsync gets it: user@host:/path (IPv6 in brackets), only characters that
 * need no quoting anywhere. The same pattern is rendered into the cron script (bash ERE).
 */
export const DEST_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*[$]?@(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):(/[A-Za-z0-9._+/-]*)$';

/**
 * Why a destination must not be used, or undefined. The last line of defence before
 * `rsync --delete`: absolute, normal form, not /, and ending in exactly the pair's directory.
 */
export function guardDestination(dest: string, pair: SyncPair): string | undefined {
  const refuse = (why: string) => `refused destination "${shown(dest)}": ${why}`;
  const m = new RegExp(DEST_PATTERN).exec(dest);
  if (!m) {
    const path = /^[^@\s]*@[^:]*:(.*)$/.exec(dest)?.[1] ?? dest;
    if (!path.startsWith('/')) return refuse('not an absolute path');
    if (/^\/+$/.test(path)) return refuse('it is / itself');
    return refuse('not user@host:/absolute/path (letters, digits and . _ + - / only)');
  }
  const path = m[2]!;
  if (/^\/+$/.test(path)) return refuse('it is / itself');
  if (!path.endsWith('/')) return refuse(`no trailing slash; it must end in ${pair.dir}`);
  if (/\/\/|\/\.\.?\//.test(path)) return refuse('not in normal form (//, /./ or /../)');
  if (!path.endsWith(`/${pair.dir}`)) return refuse(`it does not end in ${pair.dir}`);
  if (path.slice(0, -pair.dir.length).includes('/repository/')) return refuse(`${pair.dir} is nested inside another repository/ directory`);
  return undefined;
}
