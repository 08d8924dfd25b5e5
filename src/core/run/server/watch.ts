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

/** 'degraded': the same "… Retrying" warning came again (Carbon runs on without something it needs). */
export type Milestone = 'starting' | 'ready' | 'console' | 'stopping' | 'halted' | 'degraded';

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
  | { type: 'milestone'; milestone: Milestone; line: LogLine; seconds?: number; url?: string; degraded?: Degraded }
  | { type: 'problem'; problem: Problem };

export type FailReason = 'port-in-use' | 'fatal' | 'delayed' | 'exited' | 'timeout';

/**
 * One group of the lines that matter, by what it is: the entry that decided the failure (its
 * header, the exception and each "Caused by", without the stack frames), the first ERROR/FATAL
 * of the run when another entry decided, the warning Carbon keeps retrying, and the last lines
 * written (before the exit, or before giving up). A screen short of rows keeps them in this
 * order, and of 'last' the end.
 */
export interface Evidence {
  kind: 'cause' | 'first-error' | 'retrying' | 'last';
  title: string;
  lines: LogLine[];
  /** Stack frames of the entry left out (the full log has them). */
  framesLeftOut?: number;
}

/** Started, but the same "… Retrying" warning keeps coming: something the node needs does not answer. */
export interface Degraded {
  /** The retried message, as logged the first time. */
  message: string;
  logger: string;
  /** How often it came so far. */
  count: number;
  first: LogLine;
  last: LogLine;
}

export interface Failure {
  reason: FailReason;
  /** The line that decided it (the entry's header), when a line did. */
  line?: LogLine;
  port?: number;
  /** The lines that matter, most important first (see Evidence). */
  evidence: Evidence[];
  /** ERROR/FATAL entries seen during this start. */
  errorCount: number;
  degraded?: Degraded;
}

export interface Ready {
  line: LogLine;
  /** Carbon's own figure: "WSO2 Carbon started in N sec". */
  carbonSeconds: number;
  consoleUrl?: string;
}

const MAX_ENTRY_LINES = 60;
const KEEP_LAST = 30;
/** The second time the same warning says it retries, Carbon is running without what it retries. */
const DEGRADED_AFTER = 2;
const MAX_RETRIED = 100;

const READY = /^WSO2 Carbon started in (\d+) sec/;
const CONSOLE = /^Mgt Console URL\s*:\s*(\S+)/;
const STARTING = /^Starting WSO2 Carbon/;
const STOPPING = /^(Shutdown hook triggered|Gracefully shutting down|Shutting down WSO2)/;
const HALTED = /^Halting JVM/;
const DELAYED = /Carbon initialization is delayed/;
// A port taken: not any "already in use" (an H2 database says "Database may be already in use").
const IN_USE = /BindException|\b(address|port)\b[^\n]{0,40}already in use/i;
const RETRYING = /\bRetrying\b/i;
/** A stack frame ("\tat a.B.c(B.java:1)") or its "... 12 more": left out of the chain. */
const FRAME = /^\s+(at\s|\.\.\.\s+\d+\s+more\b)/;

/** An entry as the admin needs it: the header, then every line that is not a stack frame (the exception, each "Caused by", a multi-line message). */
export function causeChain(lines: readonly LogLine[]): { lines: LogLine[]; framesLeftOut: number } {
  const kept = lines.filter((l, i) => i === 0 || !FRAME.test(l.text));
  return { lines: kept, framesLeftOut: lines.length - kept.length };
}

const entryTitle = (p: Problem, what: string) => `${what} (line ${p.lines[0]!.n}${p.lines.length > 1 ? ', with what caused it' : ''}):`;

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
  private firstError: Problem | undefined;
  private errorCount = 0;
  private retries = new Map<string, Degraded>();
  readyInfo: Ready | undefined;
  /** Set once a retried warning came again during this run (it stays: the retries may go on quietly). */
  degraded: Degraded | undefined;
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
      this.firstError = undefined;
      this.errorCount = 0;
      this.retries.clear();
      this.degraded = undefined;
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
    } else if ((h.level === 'WARN' || h.level === 'ERROR') && RETRYING.test(msg)) {
      this.retried(h, line, events);
    }
  }

  private retried(h: Header, line: LogLine, events: WatchEvent[]): void {
    // The same warning again: same logger, same words (numbers may differ: "after 15 seconds").
    const key = `${h.logger} ${h.message.replace(/\d+/g, '#')}`;
    const seen = this.retries.get(key);
    if (!seen) {
      // Bounded: a log of ever-new messages must not grow this without end.
      if (this.retries.size < MAX_RETRIED) this.retries.set(key, { message: h.message, logger: h.logger, count: 1, first: line, last: line });
      return;
    }
    seen.count++;
    seen.last = line;
    if (!this.degraded && seen.count >= DEGRADED_AFTER) this.degraded = seen;
    // Each repeat of the retried warning is told (the screen counts them).
    if (this.degraded === seen) events.push({ type: 'milestone', milestone: 'degraded', line, degraded: { ...seen } });
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
      this.firstError ??= problem;
    }
    events.push({ type: 'problem', problem });
    // Once ready, a later error is reported but no longer decides the start.
    if (this.failure || this.readyInfo || (kind !== 'port-in-use' && kind !== 'fatal' && kind !== 'delayed')) return;
    const what = kind === 'delayed' ? 'The delayed start and what it waits for' : `The ${header.level} entry that decided it`;
    const chain = causeChain(e.lines);
    const cause: Evidence = { kind: 'cause', title: entryTitle(problem, what), lines: chain.lines, framesLeftOut: chain.framesLeftOut + e.truncated };
    this.failure = { reason: kind, line: e.lines[0], port: problem.port, evidence: [cause, ...this.context(problem)], errorCount: this.errorCount, degraded: this.degraded };
  }

  /** The process is gone and the start was not decided: it exited. */
  gone(): Failure {
    this.failure ??= { reason: 'exited', line: this.halted, evidence: [...this.context(), this.lastLines('The last lines before it exited')], errorCount: this.errorCount, degraded: this.degraded };
    return this.failure;
  }

  timedOut(): Failure {
    this.failure ??= { reason: 'timeout', evidence: [...this.context(), this.lastLines('The last lines written')], errorCount: this.errorCount, degraded: this.degraded };
    return this.failure;
  }

  /** What the lines of a ready start that keeps retrying are. */
  degradedEvidence(): Evidence[] {
    return this.context();
  }

  /** The first ERROR/FATAL of the run (unless it is the deciding entry) and the warning being retried. */
  private context(decided?: Problem): Evidence[] {
    const out: Evidence[] = [];
    const f = this.firstError;
    if (f && f !== decided) {
      const chain = causeChain(f.lines);
      out.push({ kind: 'first-error', title: entryTitle(f, `The first ${f.header.level}${this.errorCount > 1 ? ` of ${this.errorCount}` : ''}`), lines: chain.lines, framesLeftOut: chain.framesLeftOut });
    }
    const d = this.degraded;
    if (d) out.push({ kind: 'retrying', title: `Retrying, ${d.count} times since line ${d.first.n}:`, lines: d.first === d.last ? [d.first] : [d.last] });
    return out;
  }

  private lastLines(title: string): Evidence {
    return { kind: 'last', title: `${title}:`, lines: [...this.last] };
  }
}
