// The answers-file reference, generated from the schema so that the README cannot drift
// (scripts/readme-reference.ts writes it; a test checks the README holds it).
import { FIELDS, type FieldSpec } from './schema.js';
import { MAX_CHARS, MAX_ITEMS } from './limits.js';
import { RELEASES } from '../node/release.js';

const upTo = (n: number) => `, ≤ ${n} characters`;

/** The type column: what a value is, with the limits of limits.ts. */
const KIND_TEXT: Record<FieldSpec['kind'], string> = {
  role: '`"manager"` \\| `"worker"` \\| `"load-balancer"`',
  release: RELEASES.map((r) => `\`"${r}"\``).join(' \\| '),
  path: `absolute path${upTo(MAX_CHARS.path)}`,
  host: `host name (RFC 1123${upTo(MAX_CHARS.host)}, labels ≤ ${MAX_CHARS.hostLabel})`,
  ip: 'IPv4 or IPv6 address of a node (not unspecified, broadcast, multicast or reserved)',
  listenIp: 'IPv4 or IPv6 address of this machine (`0.0.0.0` / `::`: every IPv4 / IPv6 address)',
  ipList: `list of node addresses, ≤ ${MAX_ITEMS} entries`,
  memberList: `list of \`IP:port\` (IPv6 as \`[addr]:port\`), ≤ ${MAX_ITEMS} entries`,
  syncTargetList: `list of \`user@host:/product/home\` (IPv6 host in brackets), ≤ ${MAX_ITEMS} entries`,
  userName: `user name${upTo(MAX_CHARS.userName)}`,
  cronSchedule: `cron schedule (5 fields, or @hourly …)${upTo(MAX_CHARS.cronSchedule)}`,
  port: 'port 1–65535',
  boolean: 'true / false',
  text: `text without control characters${upTo(MAX_CHARS.text)}`,
};

export function answersReference(): string {
  const rows = (FIELDS as readonly FieldSpec[]).map((f) => {
    const def = f.default !== undefined ? `\`${JSON.stringify(f.default)}\`` : f.docsExample !== undefined ? `docs: \`${String(f.docsExample)}\`` : '';
    const required = f.requiredFor.length ? f.requiredFor.join(', ') : '—';
    return `| \`${f.key}\` | \`--${f.flag}\` | ${KIND_TEXT[f.kind]} | ${f.roles.join(', ')} | ${required} | ${def} | ${f.help.replace(/\|/g, '\\|').replace(/</g, '&lt;')} |`;
  });
  return [
    '| key | flag | type | asked for | required for | default | meaning |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
