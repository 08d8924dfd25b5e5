// The wizard's marked block in /etc/hosts. Only the lines between BEGIN and END are
// ours; everything else is kept byte for byte. Entries elsewhere in the file that map
// our names to other addresses are reported, since the resolver takes the first match.
import { sameHost } from '../answers/validators.js';
import { shown } from '../messages/shown.js';

export const HOSTS_BEGIN = '# BEGIN apim-gateway-wizard';
export const HOSTS_END = '# END apim-gateway-wizard';
const HOSTS_NOTE = '# Managed by apim-gateway-wizard; edits between these markers are replaced on its next apply.';

export interface HostEntry {
  ip: string;
  names: string[];
}

export class HostsError extends Error {}

interface Line {
  /** The line without its ending (a trailing \r of a CRLF ending excluded). */
  text: string;
  /** '\n', '\r\n', or '' for a last line without one. */
  eol: string;
}

interface Located {
  lines: Line[];
  begin?: number;
  end?: number;
}

/** Each line with its own ending: a file may mix LF and CRLF lines, and both stay as they are. */
function splitLines(text: string): Line[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/).map((l) => {
    const eol = l.endsWith('\r\n') ? '\r\n' : l.endsWith('\n') ? '\n' : '';
    return { text: l.slice(0, l.length - eol.length), eol };
  });
}

const isMarker = (line: Line, marker: string) => line.text.trim() === marker;

function locate(text: string, file: string): Located {
  const lines = splitLines(text);
  let begin: number | undefined;
  let end: number | undefined;
  const damaged = (what: string) =>
    new HostsError(`${file}: the apim-gateway-wizard block is damaged: ${what}; fix the file so that it has exactly one BEGIN line followed by one END line, or none`);
  lines.forEach((line, i) => {
    if (isMarker(line, HOSTS_BEGIN)) {
      if (begin !== undefined) throw damaged(`a second BEGIN marker on line ${i + 1} (the first is on line ${begin + 1})`);
      begin = i;
    } else if (isMarker(line, HOSTS_END)) {
      if (begin === undefined) throw damaged(`the END marker on line ${i + 1} has no BEGIN marker before it`);
      if (end !== undefined) throw damaged(`a second END marker on line ${i + 1} (the first is on line ${end + 1})`);
      end = i;
    }
  });
  if (begin !== undefined && end === undefined) throw damaged(`the BEGIN marker on line ${begin + 1} has no END marker after it`);
  return { lines, begin, end };
}

/** The ending new lines get: the block's own, else CRLF only in a file whose every line ends so. */
function newLineEnding(lines: readonly Line[], begin: number | undefined): string {
  if (begin !== undefined && lines[begin]!.eol) return lines[begin]!.eol;
  const ended = lines.filter((l) => l.eol);
  return ended.length && ended.every((l) => l.eol === '\r\n') ? '\r\n' : '\n';
}

const joinLines = (lines: readonly Line[]) => lines.map((l) => l.text + l.eol).join('');

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
  return lines.slice(begin + 1, end).flatMap((l) => parseLine(l.text) ?? []);
}

/** Every entry of the file outside our block, with its 1-based line number. */
export function foreignEntries(text: string, file = '/etc/hosts'): Array<HostEntry & { line: number }> {
  const { lines, begin, end } = locate(text, file);
  return lines.flatMap((l, i) => {
    if (begin !== undefined && end !== undefined && i >= begin && i <= end) return [];
    const e = parseLine(l.text);
    return e ? [{ ...e, line: i + 1 }] : [];
  });
}

/** Replaces (or appends, or with no entries removes) our block; returns the new text. Every byte outside it is kept. */
export function setHostsBlock(text: string, entries: readonly HostEntry[], file = '/etc/hosts'): string {
  const { lines, begin, end } = locate(text, file);
  const eol = newLineEnding(lines, begin);
  const block = entries.length
    ? [HOSTS_BEGIN, HOSTS_NOTE, ...entries.map((e) => `${e.ip}\t${e.names.join(' ')}`), HOSTS_END]
    : [];
  if (begin !== undefined && end !== undefined) {
    const current = lines.slice(begin, end + 1);
    if (current.length === block.length && current.every((l, i) => l.text === block[i])) return text;
    // The END line keeps its own ending (none at the end of a file without a final newline).
    const replaced = block.map((t, i) => ({ text: t, eol: i === block.length - 1 ? lines[end]!.eol : eol }));
    return joinLines([...lines.slice(0, begin), ...replaced, ...lines.slice(end + 1)]);
  }
  if (!block.length) return text;
  // Append; a file without a final newline gets one first so its last line stays intact.
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  return text + sep + block.map((t) => t + eol).join('');
}

/** Lines outside our block that send one of our names elsewhere: the resolver may use them instead. */
export function hostsConflicts(text: string, entries: readonly HostEntry[], file = '/etc/hosts'): string[] {
  const { begin } = locate(text, file);
  const warnings: string[] = [];
  for (const foreign of foreignEntries(text, file)) {
    for (const ours of entries) {
      for (const name of ours.names) {
        if (!foreign.names.some((n) => n.toLowerCase() === name.toLowerCase()) || sameHost(foreign.ip, ours.ip)) continue;
        const first = begin === undefined || foreign.line - 1 < begin;
        warnings.push(
          `${file} line ${foreign.line} maps ${name} to ${shown(foreign.ip)}, not ${ours.ip}` +
            (first ? '; it comes before the wizard\'s block, so the resolver will use it: remove that line' : '; the wizard\'s block comes first and wins'),
        );
      }
    }
  }
  return warnings;
}
