// Reading rsync's output: --itemize-changes lines (what is sent, created, deleted) and
// --info=progress2 updates (bytes, percent, rate, time).

export type ItemKind = 'send' | 'mkdir' | 'link' | 'attributes' | 'delete' | 'other';

export interface Item {
  kind: ItemKind;
  /** Path relative to the synced directory; directories end with /. */
  path: string;
  /** The 11-character code (YXcstpoguax) or *deleting. */
  code: string;
}

/** Fixed width: 11 characters of code, one space, then the path (which may itself start with a space). */
export function parseItem(line: string): Item | undefined {
  if (line.length < 13 || line[11] !== ' ') return undefined;
  const code = line.slice(0, 11);
  const path = line.slice(12);
  if (code === '*deleting  ') return { kind: 'delete', path, code: '*deleting' };
  const m = /^([<>ch.])([fdLDS])[.+ ?a-zA-Z]{9}$/.exec(code);
  if (!m) return undefined;
  const [, y, x] = m as unknown as [string, string, string];
  if ((y === '<' || y === '>') && x === 'f') return { kind: 'send', path, code };
  if (y === 'c' && x === 'd') return { kind: 'mkdir', path, code };
  if (y === 'c' && x === 'L') return { kind: 'link', path, code };
  if (y === '.') return { kind: 'attributes', path, code };
  return { kind: 'other', path, code };
}

export interface Progress {
  bytes: string;
  percent: number;
  rate: string;
  /** h:mm:ss: time left while running, time taken at the end. */
  time: string;
  transferred?: number;
  /** Files still to check of the total (known up front with --no-inc-recursive). */
  toCheck?: number;
  total?: number;
}

const PROGRESS = /^\s*([\d,.]+[KMGT]?)\s+(\d{1,3})%\s+(\S+)\s+(\d+:\d{2}:\d{2})(?:\s+\(xfr#(\d+), (?:to|ir)-chk=(\d+)\/(\d+)\))?\s*$/;

export function parseProgress(line: string): Progress | undefined {
  const m = PROGRESS.exec(line);
  if (!m) return undefined;
  return {
    bytes: m[1]!,
    percent: Number(m[2]),
    rate: m[3]!,
    time: m[4]!,
    ...(m[5] !== undefined ? { transferred: Number(m[5]), toCheck: Number(m[6]), total: Number(m[7]) } : {}),
  };
}

export interface Summary {
  send: number;
  mkdir: number;
  links: number;
  attributes: number;
  other: number;
  /** Every path --delete removes (or would remove). */
  deletions: string[];
}

export function emptySummary(): Summary {
  return { send: 0, mkdir: 0, links: 0, attributes: 0, other: 0, deletions: [] };
}

export function addItem(s: Summary, item: Item): void {
  if (item.kind === 'send') s.send++;
  else if (item.kind === 'mkdir') s.mkdir++;
  else if (item.kind === 'link') s.links++;
  else if (item.kind === 'attributes') s.attributes++;
  else if (item.kind === 'delete') s.deletions.push(item.path);
  else s.other++;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function describeSummary(s: Summary): string {
  const parts = [`${plural(s.send, 'file')} to send`];
  if (s.mkdir) parts.push(`${plural(s.mkdir, 'directory', 'directories')} to create`);
  if (s.links) parts.push(`${plural(s.links, 'link')} to create`);
  if (s.attributes) parts.push(`${s.attributes} with new times or permissions only`);
  parts.push(s.deletions.length ? `${s.deletions.length} to DELETE` : 'nothing to delete');
  return parts.join(', ');
}
