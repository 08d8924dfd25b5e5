// The one process runner (rsync, ssh, wso2server.sh, nginx, openssl): argument arrays, never
// a shell string; output streamed line by line as it arrives. A carriage return ends a
// progress update (rsync --info=progress2) rather than a line, so callers can redraw it.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export type Stream = 'stdout' | 'stderr';

export interface OutputLine {
  stream: Stream;
  text: string;
  /** true when the text ended with \r: an update that replaces the previous one. */
  progress: boolean;
}

export interface RunOptions {
  cwd?: string;
  /** Added to the environment; `cleanEnv` starts from an empty one (as cron does). */
  env?: Record<string, string | undefined>;
  cleanEnv?: boolean;
  /** Aborting sends SIGTERM (then SIGKILL after killGraceMs). */
  signal?: AbortSignal;
  timeoutMs?: number;
  killGraceMs?: number;
  input?: string;
  onLine?: (line: OutputLine) => void;
  /** Lines kept of each stream for the result (the last N). Default 200. */
  keep?: number;
}

export interface RunResult {
  command: string;
  exitCode?: number;
  signal?: string;
  ok: boolean;
  timedOut: boolean;
  aborted: boolean;
  stdout: string[];
  stderr: string[];
  /** Set when the program could not be started at all (not installed, not executable). */
  startError?: string;
}

/** Splits a stream into lines and \r-terminated progress updates, keeping a partial tail. */
function splitter(stream: Stream, emit: (l: OutputLine) => void) {
  let rest = '';
  return {
    push(chunk: string) {
      rest += chunk;
      for (;;) {
        const m = /\r\n|\n|\r/.exec(rest);
        if (!m) break;
        emit({ stream, text: rest.slice(0, m.index), progress: m[0] === '\r' });
        rest = rest.slice(m.index + m[0].length);
      }
    },
    end() {
      if (rest) emit({ stream, text: rest, progress: false });
      rest = '';
    },
  };
}

export async function runProcess(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const keep = opts.keep ?? 200;
  const kept: Record<Stream, string[]> = { stdout: [], stderr: [] };
  const emit = (l: OutputLine) => {
    if (!l.progress) {
      kept[l.stream].push(l.text);
      if (kept[l.stream].length > keep) kept[l.stream].shift();
    }
    opts.onLine?.(l);
  };
  const command = [file, ...args].join(' ');
  // Loaded on first use: execa's start-up is 5 ms that the wizard's first frame need not wait for.
  const { execa } = await import('execa');
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: !opts.cleanEnv,
    cancelSignal: opts.signal,
    timeout: opts.timeoutMs,
    forceKillAfterDelay: opts.killGraceMs ?? 5000,
    reject: false,
    buffer: false,
    encoding: 'utf8',
    stripFinalNewline: false,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  });
  const out = splitter('stdout', emit);
  const err = splitter('stderr', emit);
  child.stdout?.setEncoding('utf8').on('data', (c: string) => out.push(c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => err.push(c));
  const r = await child;
  out.end();
  err.end();
  const notStarted = r.failed && r.exitCode === undefined && !r.signal && !r.isCanceled && !r.timedOut;
  return {
    command,
    exitCode: r.exitCode,
    signal: r.signal,
    ok: !r.failed,
    timedOut: r.timedOut,
    aborted: r.isCanceled,
    stdout: kept.stdout,
    stderr: kept.stderr,
    ...(notStarted ? { startError: r.shortMessage } : {}),
  };
}

/** The first executable `name` on PATH (default: this process's), or undefined. */
export async function onPath(name: string, path = process.env.PATH): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && (await access(p, constants.X_OK).then(() => true, () => false))) return p;
  }
  return undefined;
}
