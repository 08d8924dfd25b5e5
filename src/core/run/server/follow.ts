// Following a log file as it grows (tail -F): from its current end, through log4j's daily
// rotation (the file renamed, a new one created) and truncation (copytruncate), and a file that
// does not exist yet. Reads in bounded chunks and yields to the event loop between them, so keys
// are answered during a burst. Memory stays bounded: lines are handed on, not kept; the full log
// is read back from the files themselves (LogHistory keeps their descriptors and a sparse index).
import { open, stat, type FileHandle } from 'node:fs/promises';

export type FollowNote =
  | { kind: 'waiting'; file: string }
  | { kind: 'appeared'; file: string }
  | { kind: 'rotated'; file: string }
  | { kind: 'truncated'; file: string };

export interface FollowOptions {
  /** 'end' (default): only what is written from now on; 'start': the whole file first. */
  from?: 'end' | 'start';
  /** How often to look for new data when there is none. Default 100 ms. */
  pollMs?: number;
  /** Bytes read per turn of the event loop. Default 64 KiB. */
  chunkBytes?: number;
  /** A line longer than this is handed on in pieces (a runaway write without newlines). */
  maxLineBytes?: number;
  onLines(lines: string[]): void;
  onNote?(note: FollowNote): void;
}

const INDEX_EVERY = 256;

interface Segment {
  fd: FileHandle;
  /** Byte offset of its first line. */
  start: number;
  /** Line number (0-based) of its first line. */
  firstLine: number;
  /** The file was truncated under it: its bytes are gone. */
  lost: boolean;
}

/** Every line followed so far, read back from the log files on demand (the "full log" view). */
export class LogHistory {
  private segments: Segment[] = [];
  private index: Array<{ line: number; seg: number; offset: number }> = [];
  private lines = 0;
  private closed = false;

  get count(): number {
    return this.lines;
  }

  /** @internal the follower opened a file (or the file restarted at 0 after a truncation). */
  segment(fd: FileHandle, start: number): void {
    this.segments.push({ fd, start, firstLine: this.lines, lost: false });
  }

  /** @internal the current segment's bytes were truncated away. */
  lose(): void {
    const s = this.segments.at(-1);
    if (s) s.lost = true;
  }

  /** @internal a line starting at `offset` of the current segment was handed on. */
  note(offset: number): void {
    if (this.lines % INDEX_EVERY === 0) this.index.push({ line: this.lines, seg: this.segments.length - 1, offset });
    this.lines++;
  }

  /** Lines [from, from + count) of the followed log (0-based), as far as they exist. */
  async read(from: number, count: number): Promise<string[]> {
    if (this.closed) throw new Error('the log history was closed');
    const to = Math.min(this.lines, from + count);
    const out: string[] = [];
    if (from >= to) return out;
    let lo = 0;
    let hi = this.index.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.index[mid]!.line <= from) lo = mid;
      else hi = mid - 1;
    }
    let { line, seg, offset } = this.index[lo]!;
    while (line < to && seg < this.segments.length) {
      const s = this.segments[seg]!;
      const segEnd = this.segments[seg + 1]?.firstLine ?? this.lines;
      if (s.lost) {
        for (; line < segEnd && line < to; line++) if (line >= from) out.push('(this line is gone: the log file was truncated)');
      } else {
        line = await this.readSegment(s, offset, line, Math.min(segEnd, to), from, out);
      }
      seg++;
      offset = this.segments[seg]?.start ?? 0;
      line = Math.max(line, segEnd);
    }
    return out;
  }

  private async readSegment(s: Segment, offset: number, line: number, end: number, from: number, out: string[]): Promise<number> {
    const buf = Buffer.allocUnsafe(64 * 1024);
    let rest: Buffer = Buffer.alloc(0);
    let pos = offset;
    while (line < end) {
      const { bytesRead } = await s.fd.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) {
        if (rest.length) {
          if (line >= from) out.push(rest.toString('utf8').replace(/\r$/, ''));
          line++;
        }
        break;
      }
      pos += bytesRead;
      const data = rest.length ? Buffer.concat([rest, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let i = data.indexOf(10); i !== -1 && line < end; i = data.indexOf(10, start)) {
        if (line >= from) out.push(data.toString('utf8', start, i > start && data[i - 1] === 13 ? i - 1 : i));
        line++;
        start = i + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    return line;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const fds = new Set(this.segments.map((s) => s.fd));
    this.segments = [];
    for (const fd of fds) await fd.close().catch(() => {});
  }
}

export class FileFollower {
  readonly history = new LogHistory();
  private fd: FileHandle | undefined;
  private ino = 0;
  private pos = 0;
  private partial: Buffer | undefined;
  private partialAt = 0;
  private readonly buf: Buffer;
  private stopped = false;
  private started = false;
  private waitingSaid = false;
  private wake: (() => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private failure: Error | undefined;
  /** Date.now() of the last byte read. */
  lastData = Date.now();

  constructor(readonly path: string, private readonly opts: FollowOptions) {
    this.buf = Buffer.allocUnsafe(opts.chunkBytes ?? 64 * 1024);
  }

  /** Positions at the end (or start) of the file and starts following. */
  async start(): Promise<void> {
    await this.exclusive(() => this.openFile(this.opts.from === 'start' ? 'start' : 'end'));
    this.started = true;
    this.loop = this.pump();
  }

  /** Reads everything written so far (before a verdict is given on it). */
  async drain(): Promise<void> {
    await this.exclusive(async () => {
      while ((await this.step()) > 0);
    });
  }

  /** Stops following; the partial last line, if any, is handed on. History stays readable until close(). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.exclusive(async () => this.flushPartial());
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.stop().catch(() => {});
    await this.history.close();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async pump(): Promise<void> {
    try {
      while (!this.stopped) {
        const n = await this.exclusive(() => this.step());
        if (n > 0) {
          // Let timers and keys run between chunks.
          await new Promise<void>((r) => setImmediate(r));
          continue;
        }
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.opts.pollMs ?? 100);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        this.wake = undefined;
      }
    } catch (e) {
      this.failure = e as Error;
    }
  }

  private async openFile(at: 'start' | 'end'): Promise<boolean> {
    let fd: FileHandle;
    try {
      fd = await open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (!this.waitingSaid) this.opts.onNote?.({ kind: 'waiting', file: this.path });
      this.waitingSaid = true;
      return false;
    }
    const st = await fd.stat();
    this.fd = fd;
    this.ino = st.ino;
    this.pos = at === 'end' ? st.size : 0;
    this.history.segment(fd, this.pos);
    return true;
  }

  /** One read, or one change of file; returns how much happened (0: nothing new). */
  private async step(): Promise<number> {
    if (!this.fd) {
      if (!(await this.openFile('start'))) return 0;
      if (this.started) this.opts.onNote?.({ kind: 'appeared', file: this.path });
    }
    const fd = this.fd!;
    const { bytesRead } = await fd.read(this.buf, 0, this.buf.length, this.pos);
    if (bytesRead > 0) {
      this.consume(this.buf.subarray(0, bytesRead), this.pos);
      this.pos += bytesRead;
      this.lastData = Date.now();
      return bytesRead;
    }
    const size = (await fd.stat()).size;
    if (size < this.pos) {
      // Truncated in place (copytruncate): what follows starts again at 0.
      this.flushPartial();
      this.history.lose();
      this.pos = 0;
      this.history.segment(fd, 0);
      this.opts.onNote?.({ kind: 'truncated', file: this.path });
      return 1;
    }
    const now = await stat(this.path).catch(() => undefined);
    if (now && now.ino !== this.ino) {
      // Rotated: the old file is read to its end (above); the new one is read from its start.
      this.flushPartial();
      this.fd = undefined;
      if (await this.openFile('start')) this.opts.onNote?.({ kind: 'rotated', file: this.path });
      return 1;
    }
    return 0;
  }

  private consume(chunk: Buffer, offset: number): void {
    const data = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    const base = this.partial ? this.partialAt : offset;
    this.partial = undefined;
    const lines: string[] = [];
    let start = 0;
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, start)) {
      lines.push(data.toString('utf8', start, i > start && data[i - 1] === 13 ? i - 1 : i));
      this.history.note(base + start);
      start = i + 1;
    }
    if (start < data.length) {
      const max = this.opts.maxLineBytes ?? 1024 * 1024;
      if (data.length - start > max) {
        lines.push(data.toString('utf8', start));
        this.history.note(base + start);
      } else {
        // Copied: `chunk` is the reused read buffer.
        this.partial = Buffer.from(data.subarray(start));
        this.partialAt = base + start;
      }
    }
    if (lines.length) this.opts.onLines(lines);
  }

  private flushPartial(): void {
    if (!this.partial) return;
    const text = this.partial.toString('utf8').replace(/\r$/, '');
    this.history.note(this.partialAt);
    this.partial = undefined;
    this.opts.onLines([text]);
  }
}
