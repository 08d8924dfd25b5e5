// How long a value may be, declared once for every kind of field. The values go into
// configuration files, /etc/hosts, nginx and cron: no real answer comes near these limits,
// and a longer one (a 50 MB hazelcastDomain) is a mistake or an attack, refused by name.

/** Characters of one value (a list's entries each), by kind of field. */
export const MAX_CHARS = {
  /** RFC 1035: a host name is at most 253 characters, each label at most 63. */
  host: 253,
  hostLabel: 63,
  /** PATH_MAX on Linux. */
  path: 4096,
  /** The longest textual IPv6 address (INET6_ADDRSTRLEN - 1), e.g. ffff:…:255.255.255.255. */
  ip: 45,
  /** "[" IPv6 "]:" port. */
  member: 45 + 8,
  /** user@host:/product/home: a user name, a host name and a path. */
  syncTarget: 32 + 1 + 253 + 2 + 4096,
  /** A POSIX user name (useradd: 32), with the optional trailing $. */
  userName: 33,
  cronSchedule: 200,
  /** Free text (hazelcastDomain): a cluster domain is a short name. */
  text: 255,
} as const;

/** Entries of a list (workers, members, sync targets): far beyond any Gateway cluster. */
export const MAX_ITEMS = 256;

/** The answers file (and the saved answers): a few hundred bytes; a larger file is not answers. */
export const MAX_ANSWERS_FILE_BYTES = 1024 * 1024;

/** The message for a value over its limit: says the limit, never echoes the value. */
export function tooLong(length: number, max: number, what = 'characters'): string {
  return `is ${length} ${what} long; at most ${max} are allowed`;
}
