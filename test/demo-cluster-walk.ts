// One walk through the demo cluster in a real 80×24 tmux pane, as a newcomer would: the
// manager (every pre-filled answer accepted, apply, the first push: key, preview, yes), then
// each next node with the command its summary printed, run as printed, to the load balancer.
// Shared by the tmux test of the hand-off (test/demo-cluster-tmux.test.ts) and the benchmark
// (bench/demo-cluster.ts); it counts the keys pressed (typed values are not keys here: the
// walk types none, it takes the demo's answers) and returns every summary seen.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openQuestion } from './screen-helpers.js';
import { CONTINUED } from '../src/ui/components/wrap.js';

const TMUX_ENV = { ...process.env, CI: undefined, LC_ALL: 'C.UTF-8', TERM: 'xterm-256color' } as NodeJS.ProcessEnv;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface NodeVisit {
  /** The command that started this node (the previous summary's, for every node but the first). */
  command: string[];
  /** The summary screen as it was left. */
  summary: string;
  /** The next-node command read back from that summary, if any. */
  next?: string;
  keys: number;
}

export interface Walk {
  visits: NodeVisit[];
  /** The sync screen when the push was done. */
  pushed: string;
  keys: number;
  /** Keys pressed again because the wizard had dropped them. */
  lost: number;
  wallMs: number;
}

export class Pane {
  private readonly socket = `agw-demo-${process.pid}`;
  keys = 0;
  /** Keys the wizard did not act on and that were pressed again (not counted in `keys`). */
  lost = 0;
  constructor(
    private readonly work: string,
    private readonly config: string,
  ) {}

  static async open(work: string): Promise<Pane> {
    const config = join(work, 'tmux.conf');
    await writeFile(config, 'set -g status off\nset -g remain-on-exit on\n');
    return new Pane(work, config);
  }

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, '-f', this.config, ...args], { encoding: 'utf8', env: TMUX_ENV });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  start(name: string, words: string[], env: Record<string, string>): void {
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const command = ['env', '-u', 'CI', '-u', 'CARBON_HOME', ...vars, ...words].map(quote).join(' ');
    this.tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', `${command}; echo $? > ${quote(join(this.work, `${name}.status`))}`);
  }

  /** Until the wizard reads keys itself (raw mode: no icanon on the pane's tty); a key sent before is read as a line and lost. */
  async rawMode(name: string): Promise<void> {
    const tty = this.tmux('display-message', '-p', '-t', name, '#{pane_tty}').trim();
    const deadline = Date.now() + 30_000;
    while (!/(^|\s)-icanon(\s|$)/.test(spawnSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' }).stdout)) {
      if (Date.now() > deadline) throw new Error(`${name}: the terminal never went raw; screen:\n${this.screen(name)}`);
      await new Promise((resolve) => setTimeout(resolve, 50)); // polling interval
    }
  }

  screen(name: string): string {
    return this.tmux('capture-pane', '-p', '-t', name);
  }

  /** One key pressed by the admin (counted). */
  press(name: string, key: string): void {
    this.keys++;
    this.tmux('send-keys', '-t', name, key);
  }

  /**
   * A key whose effect is awaited; pressed again when nothing happened within 2 s (the welcome
   * screen has dropped an Enter that came in its first moments): a repeat is counted as lost.
   */
  async pressFor(name: string, key: string, pred: string | ((s: string) => boolean), what = String(pred)): Promise<string> {
    this.press(name, key);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.wait(name, pred, what, 2_000);
      } catch {
        this.lost++;
        if (process.env.DEMO_WALK_DEBUG) console.error(`lost ${key}:\n${this.screen(name)}`);
        this.tmux('send-keys', '-t', name, key);
      }
    }
    return this.wait(name, pred, what);
  }

  async wait(name: string, pred: string | ((s: string) => boolean), what = String(pred), ms = 30_000): Promise<string> {
    const test = typeof pred === 'string' ? (s: string) => s.includes(pred) : pred;
    const deadline = Date.now() + ms;
    for (;;) {
      const s = this.screen(name);
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await new Promise((resolve) => setTimeout(resolve, 50)); // polling interval, not a wait for a result
    }
  }

  async exitStatus(name: string): Promise<number> {
    const file = join(this.work, `${name}.status`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await readFile(file, 'utf8').catch(() => '');
      if (status.endsWith('\n')) return Number(status);
      if (Date.now() > deadline) throw new Error(`${name} still running; screen:\n${this.screen(name)}`);
      await new Promise((resolve) => setTimeout(resolve, 50)); // polling interval
    }
  }

  close(): void {
    const socket = spawnSync('tmux', ['-L', this.socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8', env: TMUX_ENV }).stdout.trim();
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { env: TMUX_ENV });
    if (socket) rmSync(socket, { force: true });
  }
}

/**
 * The next-node command as the summary shows it, its rows joined back: a row broken at a
 * space lost that space, one broken after `/` or `,` kept it, a split token ends with ↵.
 */
export function nextCommandOf(summary: string): string | undefined {
  const rows = summary.split('\n');
  const at = rows.findIndex((r) => /On the next node|next node of the demo cluster/.test(r));
  if (at < 0) return undefined;
  // The note may wrap too: the command starts after the row that ends it (with its colon).
  const end = rows.findIndex((r, i) => i >= at && r.trimEnd().endsWith(':'));
  let out = '';
  for (const row of rows.slice(end + 1)) {
    if (!/^ {11}\S/.test(row)) break;
    const text = row.slice(11).trimEnd();
    if (out === '' || /[/,]$/.test(out)) out += text;
    else if (out.endsWith(CONTINUED)) out = out.slice(0, -CONTINUED.length) + text;
    else out += ` ${text}`;
  }
  return out || undefined;
}

/** Walks the open questions to the review, accepting each pre-filled answer with Enter. */
async function acceptAll(pane: Pane, name: string): Promise<string> {
  for (let step = 0; step < 40; step++) {
    const s = pane.screen(name);
    if (s.includes('· Review')) return s;
    const open = openQuestion(s);
    if (!open) throw new Error(`no open question:\n${s}`);
    pane.press(name, 'Enter');
    const next = await pane.wait(name, (x) => x.includes('· Review') || x.includes('✖') || openQuestion(x)?.key !== open.key || openQuestion(x)?.number !== open.number, `after ${open.key}`);
    if (next.includes('✖') && !next.includes('· Review')) throw new Error(`refused:\n${next}`);
  }
  throw new Error(`too many questions:\n${pane.screen(name)}`);
}

/** Welcome, role (as offered), the questions, apply: to the summary. */
async function configure(pane: Pane, name: string): Promise<string> {
  await pane.wait(name, 'Enter continue', 'the welcome screen');
  await pane.rawMode(name);
  const s = await pane.pressFor(name, 'Enter', (x) => x.includes('What is this node?') || x.includes('· Questions'), 'the role or the questions');
  if (s.includes('What is this node?')) {
    pane.press(name, 'Enter');
    await pane.wait(name, '· Questions', 'the questions');
  }
  await acceptAll(pane, name);
  pane.press(name, 'a');
  return pane.wait(name, '· Summary', 'the summary');
}

/** The words of a printed command: it is printed quoted for the shell; the demo's has no quotes. */
function words(command: string): string[] {
  if (/['"\\]/.test(command)) throw new Error(`a command with quotes: ${command}`);
  return command.split(/\s+/).filter(Boolean);
}

/**
 * The whole cluster from `first` (the wizard started as `node dist/cli.cjs --demo`), in a temp
 * folder `tmp` given as TMPDIR. Returns what each node's summary showed and the keys pressed.
 */
export async function walkDemoCluster(pane: Pane, first: string[], tmp: string): Promise<Walk> {
  const began = performance.now();
  const env = { TMPDIR: tmp };
  const visits: NodeVisit[] = [];

  // The manager, and the first push from its summary (which shows the next node's command).
  let keysBefore = pane.keys;
  pane.start('manager', first, env);
  const summary = await configure(pane, 'manager');
  const next = nextCommandOf(summary);
  pane.press('manager', 'p');
  let s = await pane.wait('manager', (x) => x.includes('c create the key now') || x.includes('Push now?') || x.includes('r run again'), 'the key offer or the preview');
  if (s.includes('c create the key now')) {
    pane.press('manager', 'c');
    s = await pane.wait('manager', (x) => x.includes('Push now?') || x.includes('r run again'), 'the preview');
  }
  if (!s.includes('Push now?')) throw new Error(`no preview:\n${s}`);
  pane.press('manager', 'y');
  const pushed = await pane.wait('manager', 'r run again', 'the end of the push');
  pane.press('manager', 'q');
  if ((await pane.exitStatus('manager')) !== 0) throw new Error(`manager: exit status not 0:\n${pane.screen('manager')}`);
  visits.push({ command: first, summary, ...(next ? { next } : {}), keys: pane.keys - keysBefore });

  // Every next node, with the command the previous summary printed, run as printed.
  for (let i = 1; visits.at(-1)!.next; i++) {
    const command = words(visits.at(-1)!.next!);
    const name = `node${i}`;
    keysBefore = pane.keys;
    pane.start(name, command, env);
    const summary = await configure(pane, name);
    const following = nextCommandOf(summary);
    pane.press(name, 'q');
    if ((await pane.exitStatus(name)) !== 0) throw new Error(`${name}: exit status not 0:\n${pane.screen(name)}`);
    visits.push({ command, summary, ...(following ? { next: following } : {}), keys: pane.keys - keysBefore });
    if (i > 5) throw new Error('more nodes than the demo cluster has');
  }
  return { visits, pushed, keys: pane.keys, lost: pane.lost, wallMs: performance.now() - began };
}
