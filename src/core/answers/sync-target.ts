// A worker the manager pushes to, as an answer: `user@host:/product/home`, checked and parsed
// here (the syncTargets and syncCronUser fields); what is pushed where lives with the sync job
// (run/sync/target.ts).
import { isIPv4, isIPv6 } from 'node:net';
import { posix } from 'node:path';
import { shown } from '../messages/shown.js';
import { canonicalHost, checkHostName, checkIp } from './validators.js';

export interface SyncTarget {
  user: string;
  host: string;
  /** The worker's product home, absolute, without a trailing slash. */
  home: string;
}

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
