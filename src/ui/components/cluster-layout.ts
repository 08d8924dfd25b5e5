// The cluster as text: the load balancer on top, the Gateway Manager pushing (rsync) to the
// workers below, this node marked. Pure, so a test can check the picture fits 80 columns.
import type { Role } from '../../core/answers/schema.js';

export type Tone = 'plain' | 'this' | 'dim' | 'arrow';
export interface Segment {
  text: string;
  tone: Tone;
}
export type PictureLine = Segment[];

export interface ClusterModel {
  role: Role;
  hostName?: string;
  mgtHostName?: string;
  managerIp?: string;
  workerIps?: readonly string[];
}

const MANAGER_WIDTH = 24;
const WORKER_WIDTH = 17;
const ARROW = ['         ', ' rsync   ', ' ──────▶ ', '         '];
const UNKNOWN = '?';

/** Cut to `width` with an ellipsis, then pad: every box row is exactly as wide as the box. */
export function fit(s: string, width: number): string {
  const cut = s.length > width ? s.slice(0, Math.max(0, width - 1)) + '…' : s;
  return cut.padEnd(width);
}

function box(title: string, lines: readonly string[], width: number): string[] {
  const label = fit(` ${title} `, Math.min(width - 3, title.length + 2)).trimEnd() + ' ';
  const top = `┌${label}${'─'.repeat(Math.max(0, width - 2 - label.length))}┐`;
  return [top, ...lines.map((l) => `│ ${fit(l, width - 4)} │`), `└${'─'.repeat(width - 2)}┘`];
}

interface Placed {
  rows: string[];
  tone: Tone;
}

function workerBoxes(m: ClusterModel, room: number): { boxes: Placed[]; more: string } {
  const host = m.hostName ?? UNKNOWN;
  if (m.role === 'worker') {
    return { boxes: [{ rows: box('Worker ★ this node', [host, 'this node'], WORKER_WIDTH + 6), tone: 'this' }], more: ' + the other workers' };
  }
  const ips = m.workerIps ?? [];
  if (ips.length === 0) return { boxes: [{ rows: box('Workers', [host, 'addresses ?'], WORKER_WIDTH), tone: 'dim' }], more: '' };
  const fits = (n: number, label: boolean) => n * (WORKER_WIDTH + 1) + (label ? 9 : 0) <= room;
  let shown = ips.length;
  while (shown > 1 && !fits(shown, shown < ips.length)) shown--;
  const boxes = ips.slice(0, shown).map((ip, i) => ({ rows: box(`Worker ${i + 1}`, [host, ip], WORKER_WIDTH), tone: 'plain' as Tone }));
  return { boxes, more: shown < ips.length ? ` +${ips.length - shown} more` : '' };
}

export function clusterPicture(m: ClusterModel, width: number): PictureLine[] {
  const manager: Placed = {
    rows: box(m.role === 'manager' ? 'Manager ★ this node' : 'Gateway Manager', [m.mgtHostName ?? UNKNOWN, m.managerIp ?? 'address ?'], MANAGER_WIDTH),
    tone: m.role === 'manager' ? 'this' : 'plain',
  };
  const { boxes, more } = workerBoxes(m, width - MANAGER_WIDTH - ARROW[0]!.length);
  const bottom: PictureLine[] = manager.rows.map((row, r) => {
    const line: PictureLine = [{ text: row, tone: manager.tone }, { text: ARROW[r]!, tone: 'arrow' }];
    boxes.forEach((b, i) => {
      if (i > 0) line.push({ text: ' ', tone: 'plain' });
      line.push({ text: b.rows[r]!, tone: b.tone });
    });
    if (r === 1 && more) line.push({ text: more, tone: 'dim' });
    return line;
  });
  const used = Math.max(...bottom.map((l) => l.reduce((n, s) => n + s.text.length, 0)));

  const lbText = `${m.hostName ?? UNKNOWN} → workers · ${m.mgtHostName ?? UNKNOWN} → manager`;
  const lbWidth = Math.min(width, Math.max(lbText.length + 4, 30));
  const lb = box(m.role === 'load-balancer' ? 'Load balancer ★ this node' : 'Load balancer (nginx)', [lbText], lbWidth);
  const indent = ' '.repeat(Math.max(0, Math.floor((Math.min(used, width) - lbWidth) / 2)));
  const top: PictureLine[] = lb.map((row) => [
    { text: indent, tone: 'plain' },
    { text: row, tone: m.role === 'load-balancer' ? 'this' : 'plain' },
  ]);
  return [...top, ...bottom].map((line) => clip(line, width));
}

/** Never wider than the frame: cut the last segments if a very narrow terminal asks for it. */
function clip(line: PictureLine, width: number): PictureLine {
  const out: PictureLine = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    out.push(s.text.length <= left ? s : { ...s, text: s.text.slice(0, left) });
    left -= s.text.length;
  }
  return out;
}

export const PICTURE_ROWS = 7;
