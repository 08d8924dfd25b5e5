// Reading a start-up as it is logged: lines are grouped into entries (a header line and its
// continuation lines), milestones are seen at their header line, and each entry is judged once
// it is complete (the next header arrived, or the log went quiet: flush()). Pure: no I/O and no
// clock; the caller feeds lines and tells when the process is gone or the time is up.
import { parseHeader, type Header, type Level } from './log-line.js';
import type { NodePort } from './ports.js';

export interface LogLine {
  /** 1-based, counted from where following started. */
  n: number;
  text: string;
  /** The entry's level; continuation lines (stack traces) carry the level of their entry. */
  level?: Level;
  continuation: boolean;
}

export type Milestone = 'starting' | 'ready' | 'console' | 'stopping' | 'halted';

export type ProblemKind = 'error' | 'warning' | 'fatal' | 'port-in-use' | 'delayed';

export interface Problem {
  kind: ProblemKind;
  /** The entry: header line first, then its stack trace (capped). */
  lines: LogLine[];
  header: Header;
  /** For port-in-use: the port named in the entry, when it names one. */
  port?: number;
}

export type WatchEvent =
  | { type: 'line'; line: LogLine }
  | { type: 'milestone'; milestone: Milestone; line: LogLine; seconds?: number; url?: string }
  | { type: 'problem'; problem: Problem };

export type FailReason = 'port-in-use' | 'fatal' | 'delayed' | 'exited' | 'timeout';

export interface Failure {
  reason: FailReason;
  /** The line that decided it (the entry's header), when a line did. */
  line?: LogLine;
  port?: number;
  /** The lines that matter: the deciding entry, else the errors seen, else the last lines. */
  evidence: LogLine[];
  /** ERROR/FATAL entries seen during this start. */
  errorCount: number;
}

export interface Ready {
  line: LogLine;
  /** Carbon's own figure: "WSO2 Carbon started in N sec". */
  carbonSeconds: number;
  consoleUrl?: string;
}

const MAX_ENTRY_LINES = 60;
const KEEP_ERRORS = 10;
const KEEP_LAST = 30;

const READY = /^WSO2 Carbon started in (\d+) sec/;
const CONSOLE = /^Mgt Console URL\s*:\s*(\S+)/;
const STARTING = /^Starting WSO2 Carbon/;
const STOPPING = /^(Shutdown hook triggered|Gracefully shutting down|Shutting down WSO2)/;
const HALTED = /^Halting JVM/;
const DELAYED = /Carbon initialization is delayed/;
const IN_USE = /BindException|already in use/i;

/** The port a "port in use" entry is about: one of the node's ports it names, else the first port-shaped number in a port context. */
export function portInEntry(text: string, expected: readonly NodePort[]): number | undefined {
  const known = new Set(expected.map((p) => p.port));
  const contexts = [
    /Address already in use[^\n]*?:(\d{2,5})\b/g,
    /Port already in use:\s*(\d{2,5})/g,
    /Connector\[[^\]]*?-(\d{2,5})\]/g,
    /\bport\b[^\d\n]{0,12}(\d{2,5})/gi,
    /(?<![\w.])(?:[\d.]+|\*|localhost|<null>|\[[0-9a-f:]+\]):(\d{3,5})\b/gi,
  ];
  const found: number[] = [];
  for (const re of contexts) for (const m of text.matchAll(re)) found.push(Number(m[1]));
  return found.find((p) => known.has(p)) ?? found.find((p) => p > 0 && p < 65536);
}

export class StartupWatch {
  private n = 0;
  private entry: { header: Header; lines: LogLine[]; truncated: number } | undefined;
  private last: LogLine[] = [];
  private errors: Problem[] = [];
  private errorCount = 0;
  readyInfo: Ready | undefined;
  failure: Failure | undefined;
  /** Line of the latest "Starting WSO2 Carbon...". */
  startedAt: LogLine | undefined;
  halted: LogLine | undefined;

  constructor(private readonly expectedPorts: readonly NodePort[] = []) {}

  get lineCount(): number {
    return this.n;
  }

  /** Feeds lines in order; returns what they mean, in order. */
  push(texts: readonly string[]): WatchEvent[] {
    const events: WatchEvent[] = [];
    for (const text of texts) {
      const header = parseHeader(text);
      if (header) this.complete(events);
      const line: LogLine = {
        n: ++this.n,
        text,
        level: header?.level ?? this.entry?.header.level,
        continuation: !header && this.entry !== undefined,
      };
      if (header) this.entry = { header, lines: [line], truncated: 0 };
      else if (this.entry) {
        if (this.entry.lines.length < MAX_ENTRY_LINES) this.entry.lines.push(line);
        else this.entry.truncated++;
      }
      this.last.push(line);
      if (this.last.length > KEEP_LAST) this.last.shift();
      events.push({ type: 'line', line });
      if (header) this.milestone(header, line, events);
    }
    return events;
  }

  /** The log went quiet (or ended): judge the entry still open. */
  flush(): WatchEvent[] {
    const events: WatchEvent[] = [];
    this.complete(events);
    return events;
  }

  private milestone(h: Header, line: LogLine, events: WatchEvent[]): void {
    const msg = h.message;
    let m: RegExpExecArray | null;
    if (STARTING.test(msg)) {
      // A new run (Carbon restarts itself in place, or a replayed log holds an older run).
      this.startedAt = line;
      this.halted = undefined;
      this.readyInfo = undefined;
      this.errors = [];
      this.errorCount = 0;
      events.push({ type: 'milestone', milestone: 'starting', line });
    } else if ((m = READY.exec(msg))) {
      if (!this.failure) this.readyInfo = { line, carbonSeconds: Number(m[1]) };
      events.push({ type: 'milestone', milestone: 'ready', line, seconds: Number(m[1]) });
    } else if ((m = CONSOLE.exec(msg))) {
      if (this.readyInfo) this.readyInfo.consoleUrl = m[1];
      events.push({ type: 'milestone', milestone: 'console', line, url: m[1] });
    } else if (STOPPING.test(msg)) {
      events.push({ type: 'milestone', milestone: 'stopping', line });
    } else if (HALTED.test(msg)) {
      this.halted = line;
      events.push({ type: 'milestone', milestone: 'halted', line });
    }
  }

  private complete(events: WatchEvent[]): void {
    const e = this.entry;
    if (!e) return;
    this.entry = undefined;
    const { header } = e;
    const text = [header.message, ...e.lines.slice(1).map((l) => l.text)].join('\n');
    const serious = header.level === 'ERROR' || header.level === 'FATAL';
    let kind: ProblemKind | undefined;
    if (serious && IN_USE.test(text)) kind = 'port-in-use';
    else if (header.level === 'FATAL') kind = 'fatal';
    else if (DELAYED.test(header.message)) kind = 'delayed';
    else if (header.level === 'ERROR') kind = 'error';
    else if (header.level === 'WARN' && IN_USE.test(text)) kind = 'warning';
    if (!kind) return;
    const problem: Problem = { kind, lines: e.lines, header, ...(kind === 'port-in-use' ? { port: portInEntry(text, this.expectedPorts) } : {}) };
    if (serious) {
      this.errorCount++;
      if (this.errors.length < KEEP_ERRORS) this.errors.push(problem);
    }
    events.push({ type: 'problem', problem });
    // Once ready, a later error is reported but no longer decides the start.
    if (this.failure || this.readyInfo || (kind !== 'port-in-use' && kind !== 'fatal' && kind !== 'delayed')) return;
    this.failure = { reason: kind, line: e.lines[0], port: problem.port, evidence: e.lines, errorCount: this.errorCount };
  }

  /** The process is gone and the start was not decided: it exited. */
  gone(): Failure {
    this.failure ??= { reason: 'exited', line: this.halted, evidence: this.evidence(), errorCount: this.errorCount };
    return this.failure;
  }

  timedOut(): Failure {
    this.failure ??= { reason: 'timeout', evidence: this.evidence(), errorCount: this.errorCount };
    return this.failure;
  }

  /** The errors seen (each entry whole), else the last lines. */
  private evidence(): LogLine[] {
    return this.errors.length ? this.errors.flatMap((p) => p.lines) : [...this.last];
  }
}
