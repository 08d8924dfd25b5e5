// The wizard's marked block in /etc/hosts. Only the lines between BEGIN and END are
// ours; everything else is kept byte for byte. Entries elsewhere in the file that map
// our names to other addresses are reported, since the resolver takes the first match.

export const HOSTS_BEGIN = '# BEGIN apim-gateway-wizard';
export const HOSTS_END = '# END apim-gateway-wizard';
const HOSTS_NOTE = '# Managed by apim-gateway-wizard; edits between these markers are replaced on its next apply.';

export interface HostEntry {
  ip: string;
  names: string[];
}

export class HostsError extends Error {}

interface Located {
  lines: string[];
  eol: string;
  begin?: number;
  end?: number;
}

function locate(text: string, file: string): Located {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const begins = lines.flatMap((l, i) => (l.trim() === HOSTS_BEGIN ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.trim() === HOSTS_END ? [i] : []));
  if (begins.length === 0 && ends.length === 0) return { lines, eol };
  const at = (xs: number[]) => xs.map((i) => i + 1).join(', ') || 'none';
  if (begins.length !== 1 || ends.length !== 1 || begins[0]! > ends[0]!) {
    throw new HostsError(
      `${file}: the apim-gateway-wizard block is damaged (BEGIN marker on line ${at(begins)}, END marker on line ${at(ends)}); ` +
        'fix the file so that it has exactly one BEGIN line followed by one END line, or none',
    );
  }
  return { lines, eol, begin: begins[0], end: ends[0] };
}

function parseLine(line: string): HostEntry | undefined {
  const body = line.replace(/#.*/, '').trim();
  if (!body) return undefined;
  const [ip, ...names] = body.split(/\s+/);
  return names.length ? { ip: ip!, names } : undefined;
}

/** The entries inside our block, or undefined when the file has no block. */
export function readHostsBlock(text: string, file = '/etc/hosts'): HostEntry[] | undefined {
  const { lines, begin, end } = locate(text, file);
  if (begin === undefined || end === undefined) return undefined;
  return lines.slice(begin + 1, end).flatMap((l) => parseLine(l) ?? []);
}

/** Every entry of the file outside our block, with its 1-based line number. */
export function foreignEntries(text: string, file = '/etc/hosts'): Array<HostEntry & { line: number }> {
  const { lines, begin, end } = locate(text, file);
  return lines.flatMap((l, i) => {
    if (begin !== undefined && end !== undefined && i >= begin && i <= end) return [];
    const e = parseLine(l);
    return e ? [{ ...e, line: i + 1 }] : [];
  });
}

/** Replaces (or appends, or with no entries removes) our block; returns the new text. */
export function setHostsBlock(text: string, entries: readonly HostEntry[], file = '/etc/hosts'): string {
  const { lines, eol, begin, end } = locate(text, file);
  const block = entries.length
    ? [HOSTS_BEGIN, HOSTS_NOTE, ...entries.map((e) => `${e.ip}\t${e.names.join(' ')}`), HOSTS_END]
    : [];
  if (begin !== undefined && end !== undefined) {
    const current = lines.slice(begin, end + 1);
    if (current.length === block.length && current.every((l, i) => l === block[i])) return text;
    lines.splice(begin, end - begin + 1, ...block);
    return lines.join(eol);
  }
  if (!block.length) return text;
  // Append; a file without a final newline gets one first so its last line stays intact.
  const sep = text === '' || text.endsWith(eol) ? '' : eol;
  return text + sep + block.join(eol) + eol;
}

/** Lines outside our block that send one of our names elsewhere: the resolver may use them instead. */
export function hostsConflicts(text: string, entries: readonly HostEntry[], file = '/etc/hosts'): string[] {
  const { begin } = locate(text, file);
  const warnings: string[] = [];
  for (const foreign of foreignEntries(text, file)) {
    for (const ours of entries) {
      for (const name of ours.names) {
        if (!foreign.names.some((n) => n.toLowerCase() === name.toLowerCase()) || foreign.ip === ours.ip) continue;
        const first = begin === undefined || foreign.line - 1 < begin;
        warnings.push(
          `${file} line ${foreign.line} maps ${name} to ${foreign.ip}, not ${ours.ip}` +
            (first ? '; it comes before the wizard\'s block, so the resolver will use it: remove that line' : '; the wizard\'s block comes first and wins'),
        );
      }
    }
  }
  return warnings;
}
