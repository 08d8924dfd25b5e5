// A worker the manager pushes to, written `user@host:/product/home`, and the destination
// guard: rsync --delete with a wrong destination empties whatever directory it points at,
// so every destination is checked here (answers, plan) and again by the script at run time.
import { shown } from '../shown.js';
import { isIPv4, isIPv6 } from 'node:net';
import { posix } from 'node:path';
import { canonicalHost, checkHostName, checkIp } from '../answers/validators.js';

export interface SyncTarget {
  user: string;
  host: string;
  /** The worker's product home, absolute, without a trailing slash. */
  home: string;
}

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

/** POSIX portable user names (useradd's default rule), optionally ending in $. */
const USER = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;
/** Paths that pass unchanged through ssh, the worker's login shell, rsync -e and cron. */
export const SAFE_PATH = /^[A-Za-z0-9._+\/-]+$/;
const TARGET = /^([^@\s]+)@(\[[^\]]*\]|[^:@\s\[\]]+):(.*)$/;

export function checkUserName(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (!USER.test(v)) return `"${shown(v)}" is not a valid user name (letters, digits, _ . -; starting with a letter or _)`;
  return undefined;
}

/** Problems of a path used by the sync job (undefined when fine). */
export function checkSyncPath(v: string, what: string): string | undefined {
  if (!v.startsWith('/')) return `${what} must be an absolute path (starting with /)`;
  if (!SAFE_PATH.test(v)) {
    return `${what} "${shown(v)}" has a character other than letters, digits and . _ + - /; it goes through ssh, the remote shell and cron unquoted`;
  }
  const trimmed = v.replace(/\/+$/, '');
  if (trimmed === '') return `${what} must not be / itself`;
  if (posix.normalize(trimmed) !== trimmed) return `${what} "${shown(v)}" is not in normal form (no //, /./ or /../); did you mean ${shown(posix.normalize(trimmed))}?`;
  return undefined;
}

export function parseTarget(v: string): SyncTarget | string {
  const m = TARGET.exec(v);
  if (!m) return `"${shown(v)}" is not user@host:/product/home`;
  const [, user, rawHost, rawHome] = m as unknown as [string, string, string, string];
  const userProblem = checkUserName(user);
  if (userProblem) return `"${shown(v)}": user ${userProblem}`;
  const bracketed = rawHost.startsWith('[');
  const host = bracketed ? rawHost.slice(1, -1) : rawHost;
  if (bracketed ? !isIPv6(host) : !(isIPv4(host) || checkHostName(host) === undefined)) {
    return `"${shown(v)}": "${shown(rawHost)}" is not a host name or address${isIPv6(host) ? ' (write an IPv6 address in brackets: user@[2001:db8::1]:/home)' : ''}`;
  }
  // A worker's address must be one a node can have (not 0.0.0.0, broadcast, multicast…).
  const addressProblem = isIPv4(host) || isIPv6(host) ? checkIp(host) : undefined;
  if (addressProblem) return `"${shown(v)}": ${shown(host)} ${addressProblem}`;
  const pathProblem = checkSyncPath(rawHome, 'the product home');
  if (pathProblem) return `"${shown(v)}": ${pathProblem}`;
  const home = rawHome.replace(/\/+$/, '');
  if (/\/repository(\/|$)/.test(home)) {
    return `"${shown(v)}": give the worker's product home, not a directory inside it (the sync adds repository/deployment/server/ itself)`;
  }
  return { user, host, home };
}

export function checkSyncTarget(v: string): string | undefined {
  const t = parseTarget(v);
  return typeof t === 'string' ? t : undefined;
}

/** The same worker twice (same host and home) would be pushed to twice, concurrently in cron. */
export function checkSyncTargets(list: string[]): string | undefined {
  const seen = new Map<string, string>();
  for (const v of list) {
    const t = parseTarget(v);
    if (typeof t === 'string') continue;
    // One worker whatever the spelling: host names ignore case, addresses compare canonically.
    const key = `${canonicalHost(t.host)}:${t.home}`;
    const before = seen.get(key);
    if (before !== undefined) return `lists the same worker home twice: ${shown(before)} and ${shown(v)}`;
    seen.set(key, v);
  }
  return undefined;
}

/** The canonical spelling: user@host:/home, IPv6 in brackets, no trailing slash. */
export function formatTarget(t: SyncTarget): string {
  return `${t.user}@${isIPv6(t.host) ? `[${t.host}]` : t.host}:${t.home}`;
}

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
