// Value checks shared by the answers schema, the prompts and the flags.
// Each returns an error message in plain language, or undefined when the value is fine.
// A message that quotes the value shows it through `shown` (control characters escaped, cut).
import { isIPv4, isIPv6 } from 'node:net';
import { isAbsolute, normalize } from 'node:path';
import { hasUnsafeCharacter, shown } from '../messages/shown.js';
import { MAX_CHARS, tooLong } from './limits.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
export function checkHostName(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > MAX_CHARS.host) return `${tooLong(v.length, MAX_CHARS.host)} (a host name has at most ${MAX_CHARS.host})`;
  if (isIPv4(v) || isIPv6(v)) return 'is an IP address; a host name is expected here';
  for (const label of v.split('.')) {
    if (label.length === 0) return 'has an empty label (two dots, or a dot at the start or end)';
    if (label.length > MAX_CHARS.hostLabel) return `has a label of ${label.length} characters; at most ${MAX_CHARS.hostLabel} are allowed`;
    if (!LABEL.test(label)) {
      return `has an invalid label "${shown(label)}": only letters, digits and hyphens, not at the start or end`;
    }
  }
  if (/^\d+$/.test(v.split('.').at(-1)!)) return 'ends in an all-numeric label, which looks like a mistyped IP address';
  return undefined;
}

/**
 * The one spelling of an address, for every comparison: IPv6 lower-case and compressed
 * (RFC 5952: 2001:0db8:0:0::1 is 2001:db8::1), an IPv4-mapped IPv6 address as its IPv4
 * address (::ffff:192.0.2.1 is 192.0.2.1). Anything that is not an address comes back as given.
 */
export function canonicalIp(v: string): string {
  if (!isIPv6(v) || v.includes('%')) return v;
  const compressed = new URL(`http://[${v}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (!mapped) return compressed;
  const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

/** A host as compared: an address in its canonical spelling, a host name in lower case (DNS ignores case). */
export function canonicalHost(v: string): string {
  return isIPv4(v) || isIPv6(v) ? canonicalIp(v) : v.toLowerCase();
}

export const sameHost = (a: string, b: string): boolean => canonicalHost(a) === canonicalHost(b);

/** Why an address cannot be a node's (unspecified, broadcast, multicast, reserved), or undefined. */
function notANode(v: string, wildcard: boolean): string | undefined {
  const c = canonicalIp(v);
  const is = c === v ? 'is' : `is ${c} in another spelling,`;
  if (c === '0.0.0.0' || c === '::') {
    return wildcard ? undefined : `${is} the unspecified address: it means "any address" to a listening program, and no node can be reached at it`;
  }
  if (isIPv4(c)) {
    const first = Number(c.split('.')[0]);
    if (first === 0) return `${is} in 0.0.0.0/8 ("this network"): no node can be reached at it`;
    if (c === '255.255.255.255') return `${is} the broadcast address: it reaches every machine on the network, not one node`;
    if (first >= 224 && first <= 239) return `${is} a multicast address (224.0.0.0/4): it names a group, not one node`;
    if (first >= 240) return `${is} in the reserved range 240.0.0.0/4: no node can have it`;
    return undefined;
  }
  if (/^ff[0-9a-f]{0,2}:/.test(c)) return `${is} a multicast address (ff00::/8): it names a group, not one node`;
  return undefined;
}

function checkAddress(v: string, wildcard: boolean): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > MAX_CHARS.ip) return tooLong(v.length, MAX_CHARS.ip);
  // Node accepts fe80::1%eth0, but /etc/hosts and nginx need a plain address.
  if (v.includes('%')) return 'has a zone index (%…); give a plain address';
  if (!isIPv4(v) && !isIPv6(v)) return 'is not an IPv4 or IPv6 address';
  return notANode(v, wildcard);
}

/** A node's address (loopback is fine: rehearsals run on one machine). */
export function checkIp(v: string): string | undefined {
  return checkAddress(v, false);
}

/** An address nginx listens on: also 0.0.0.0 or :: (every IPv4 / IPv6 address of the machine). */
export function checkListenAddress(v: string): string | undefined {
  return checkAddress(v, true);
}

export function checkPort(v: number): string | undefined {
  if (!Number.isInteger(v) || v < 1 || v > 65535) return 'must be a whole number from 1 to 65535';
  return undefined;
}

export function checkAbsolutePath(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > MAX_CHARS.path) return tooLong(v.length, MAX_CHARS.path);
  if (!isAbsolute(v)) return 'must be an absolute path (starting with /)';
  if (hasUnsafeCharacter(v)) return 'contains a control character (a newline or tab?)';
  if (normalize(v) !== v && normalize(v) !== v.replace(/\/+$/, '')) return `is not in normal form; did you mean ${shown(normalize(v))}?`;
  return undefined;
}

/** Free text (hazelcastDomain): it ends up in configuration files, so no control characters. */
export function checkText(v: string): string | undefined {
  if (v.length > MAX_CHARS.text) return tooLong(v.length, MAX_CHARS.text);
  return hasUnsafeCharacter(v) ? 'contains a control character' : undefined;
}

/** A Hazelcast well-known member as typed: "10.0.0.5:4000", or "[2001:db8::5]:4000" for IPv6. */
export function parseMember(v: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(v);
  if (!m) return undefined;
  return { host: (m[1] ?? m[2])!, port: Number(m[3]) };
}

export function formatMember(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A member as compared: its canonical address and port. */
export function memberKey(v: string): string {
  const m = parseMember(v);
  return m ? `${canonicalIp(m.host)}:${m.port}` : v;
}

export function checkMember(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > MAX_CHARS.member) return tooLong(v.length, MAX_CHARS.member);
  const m = parseMember(v);
  if (!m) return `"${shown(v)}" is not IP:port (write an IPv6 address as [addr]:port)`;
  if (/^\[/.test(v) ? !isIPv6(m.host) : !isIPv4(m.host)) return `"${shown(v)}": ${shown(m.host)} is not an IP address`;
  const address = checkIp(m.host);
  if (address) return `"${shown(v)}": ${m.host} ${address}`;
  const port = checkPort(m.port);
  return port ? `"${shown(v)}": the port ${port}` : undefined;
}
