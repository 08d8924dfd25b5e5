// Headless start, stop and status: the server events as plain lines while they happen.
// start: exit 0 ready, 1 failed or not started, 130 interrupted (the server keeps starting).
// stop: exit 0 stopped or not running, 1 failed. status: exit 0 running, 3 not running.
import type { Paint } from '../core/messages/paint.js';
import { markWorkerRestarted, serverPaths, startServer, stopServer, workerRestartPending, type StartOutcome } from '../core/run/server/control.js';
import { renderEvent, renderOutcome, renderStatus, renderStop } from '../core/run/server/render.js';
import { serverStatus } from '../core/run/server/status.js';
import { parseDuration, type ServerContext } from './server-context.js';

type Out = (s: string) => void;

export interface StartFlags {
  timeoutMs: number;
  restart: boolean;
  restartAfterFirstStart: boolean;
}

export function startFlags(values: Record<string, unknown>): StartFlags {
  return {
    timeoutMs: parseDuration(values.timeout, 600_000),
    restart: values.restart === true,
    restartAfterFirstStart: values['restart-after-first-start'] === true,
  };
}

const lines = (out: Out) => (ls: string[]) => {
  if (ls.length) out(ls.join('\n') + '\n');
};

/** 'stopped' or 'not-running' when the way is clear for a start; undefined when the stop failed. */
async function stopFirst(ctx: ServerContext, paint: Paint, out: Out): Promise<'stopped' | 'not-running' | undefined> {
  const stopped = await stopServer({ home: ctx.home, root: ctx.root, onEvent: (e) => lines(out)(renderEvent(e, paint)) });
  lines(out)(renderStop(stopped, paint));
  return stopped.status === 'stopped' || stopped.status === 'not-running' ? stopped.status : undefined;
}

async function startOnce(ctx: ServerContext, flags: StartFlags, paint: Paint, out: Out): Promise<StartOutcome> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  const run = startServer({
    home: ctx.home,
    root: ctx.root,
    role: ctx.role,
    demo: ctx.demo,
    release: ctx.release,
    timeoutMs: flags.timeoutMs,
    signal: ac.signal,
    onEvent: (e) => lines(out)(renderEvent(e, paint)),
  });
  try {
    const outcome = await run.done;
    lines(out)(renderOutcome(outcome, paint));
    return outcome;
  } finally {
    process.off('SIGINT', onSigint);
    await run.close();
  }
}

function exitCode(o: StartOutcome): number {
  return o.status === 'ready' ? 0 : o.status === 'interrupted' ? 130 : 1;
}

/** What opening the state said (an old state moved, or ignored and why). */
function sayNotes(ctx: ServerContext, paint: Paint, out: Out): void {
  for (const note of ctx.notes) out(paint('yellow', note) + '\n');
}

export async function startCommand(ctx: ServerContext, flags: StartFlags, paint: Paint, out: Out): Promise<number> {
  sayNotes(ctx, paint, out);
  out(`${ctx.role === 'worker' ? 'Gateway Worker' : 'Gateway Manager'} at ${ctx.home}${ctx.demo ? ' (demo sandbox)' : ''}; role from ${ctx.roleFrom}\n`);
  const paths = serverPaths(ctx.home, ctx.root);
  const before = flags.restart ? await stopFirst(ctx, paint, out) : 'not-running';
  if (!before) return 1;
  const firstStart = ctx.role === 'worker' && (await workerRestartPending(paths));
  let outcome = await startOnce(ctx, flags, paint, out);
  if (outcome.status !== 'ready' || !firstStart) return exitCode(outcome);
  if (before === 'stopped') {
    // This start was the restart the docs ask for.
    await markWorkerRestarted(paths);
    return 0;
  }
  if (!flags.restartAfterFirstStart) {
    out(
      '\nThis is the first start of this worker: WSO2 asks to restart a worker once after it.\n' +
        'Restart it now: apim-gateway-wizard start --restart (or next time: start --restart-after-first-start)\n',
    );
    return 0;
  }
  out(paint('bold', '\nFirst start of this worker: restarting it once, as WSO2 asks.\n'));
  if (!(await stopFirst(ctx, paint, out))) return 1;
  outcome = await startOnce(ctx, flags, paint, out);
  if (outcome.status === 'ready') await markWorkerRestarted(paths);
  return exitCode(outcome);
}

export async function stopCommand(ctx: ServerContext, values: Record<string, unknown>, paint: Paint, out: Out): Promise<number> {
  sayNotes(ctx, paint, out);
  const stopped = await stopServer({
    home: ctx.home,
    root: ctx.root,
    timeoutMs: parseDuration(values.timeout, 120_000),
    onEvent: (e) => lines(out)(renderEvent(e, paint)),
  });
  lines(out)(renderStop(stopped, paint));
  return stopped.status === 'stopped' || stopped.status === 'not-running' ? 0 : 1;
}

export async function statusCommand(ctx: ServerContext, paint: Paint, out: Out): Promise<number> {
  sayNotes(ctx, paint, out);
  const s = await serverStatus(ctx.home, ctx.role, ctx.root);
  lines(out)([`${ctx.role === 'worker' ? 'Gateway Worker' : 'Gateway Manager'} at ${ctx.home}`, ...renderStatus(s, paint)]);
  return s.running || s.launchers.length ? 0 : 3;
}
