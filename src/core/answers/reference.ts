// The answers-file reference, generated from the schema so that the README cannot drift
// (scripts/readme-reference.ts writes it; a test checks the README holds it).
import { FIELDS, type FieldSpec } from './schema.js';

const KIND_TEXT: Record<FieldSpec['kind'], string> = {
  role: '`"manager"` \\| `"worker"` \\| `"load-balancer"`',
  path: 'absolute path',
  host: 'host name (RFC 1123)',
  ip: 'IPv4 or IPv6 address',
  ipList: 'list of addresses',
  memberList: 'list of `IP:port` (IPv6 as `[addr]:port`)',
  syncTargetList: 'list of `user@host:/product/home` (IPv6 host in brackets)',
  userName: 'user name',
  cronSchedule: 'cron schedule (5 fields, or @hourly …)',
  port: 'port 1–65535',
  boolean: 'true / false',
  text: 'text',
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
