// Value checks shared by the answers schema, the prompts and the flags.
// Each returns an error message in plain language, or undefined when the value is fine.
import { isIPv4, isIPv6 } from 'node:net';
import { isAbsolute, normalize } from 'node:path';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
export function checkHostName(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (v.length > 253) return `is ${v.length} characters long; a host name has at most 253`;
  if (isIPv4(v) || isIPv6(v)) return 'is an IP address; a host name is expected here';
  for (const label of v.split('.')) {
    if (label.length === 0) return 'has an empty label (two dots, or a dot at the start or end)';
    if (label.length > 63) return `has a label of ${label.length} characters; at most 63 are allowed`;
    if (!LABEL.test(label)) {
      return `has an invalid label "${label}": only letters, digits and hyphens, not at the start or end`;
    }
  }
  if (/^\d+$/.test(v.split('.').at(-1)!)) return 'ends in an all-numeric label, which looks like a mistyped IP address';
  return undefined;
}

export function checkIp(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  // Node accepts fe80::1%eth0, but /etc/hosts and nginx need a plain address.
  if (v.includes('%')) return 'has a zone index (%…); give a plain address';
  if (isIPv4(v) || isIPv6(v)) return undefined;
  return 'is not an IPv4 or IPv6 address';
}

export function checkPort(v: number): string | undefined {
  if (!Number.isInteger(v) || v < 1 || v > 65535) return 'must be a whole number from 1 to 65535';
  return undefined;
}

export function checkAbsolutePath(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  if (!isAbsolute(v)) return 'must be an absolute path (starting with /)';
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'contains a control character (a newline or tab?)';
  if (normalize(v) !== v && normalize(v) !== v.replace(/\/+$/, '')) return `is not in normal form; did you mean ${normalize(v)}?`;
  return undefined;
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

export function checkMember(v: string): string | undefined {
  if (v.length === 0) return 'must not be empty';
  const m = parseMember(v);
  if (!m) return `"${v}" is not IP:port (write an IPv6 address as [addr]:port)`;
  if (/^\[/.test(v) ? !isIPv6(m.host) : !isIPv4(m.host)) return `"${v}": ${m.host} is not an IP address`;
  const port = checkPort(m.port);
  return port ? `"${v}": the port ${port}` : undefined;
}
