// What a failed start means and what to do next, in plain words: one headline, the reason,
// and the next step. The evidence (the log lines that matter) travels with it separately.
import { launcherCommand, type Release } from '../../node/release.js';
import { displayText } from './log-line.js';
import type { Degraded, Failure } from './watch.js';
import type { NodePort, SocketOwner } from './ports.js';

export interface Advice {
  headline: string;
  detail: string;
  next: string;
}

export interface AdviceContext {
  role: string;
  /** The release the server was started for (its flags are the ones to run it with in the foreground). */
  release?: Release;
  ports: readonly NodePort[];
  offset: number;
  /** The running server's pid, when it is still there. */
  pid?: number;
  /** Who holds the port of a port-in-use failure (another program). */
  holder?: SocketOwner;
  /** The smallest offset that frees every port of the node. */
  suggestedOffset?: number;
  timeoutMs: number;
}

const foreground = (c: AdviceContext) =>
  c.release && (c.role === 'manager' || c.role === 'worker') ? launcherCommand(c.release, c.role, { background: false }) : 'sh bin/wso2server.sh';

export function minutes(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/** A wait as a clock shows it: 72_000 → "1:12", 600_000 → "10:00", an hour and more → "1:00:05". */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "waiting 1:12 of 10:00": how long the start has been followed, and when it will be given up. */
export function waitingText(elapsedMs: number, limitMs: number): string {
  return `waiting ${clockTime(Math.min(elapsedMs, limitMs))} of ${clockTime(limitMs)}`;
}

/** The retried message without its "Retrying after 15 seconds..." and the logger's last name. */
function retriedWhat(d: Degraded): string {
  const said = d.message.replace(/\.?\s*Retrying\b.*$/i, '').trim() || d.message;
  // Log text is the service user's: made safe before it reaches root's terminal.
  return displayText(`${d.logger.split('.').at(-1)}: ${said}`);
}

/** A start that runs but keeps retrying something: what it is, and where that is configured. */
export function degradedAdvice(d: Degraded): { detail: string; next: string } {
  const throttling = /throttl|blocking condition|KeyTemplate|BlockingCondition/i.test(`${d.logger} ${d.message}`);
  return {
    detail: `Degraded: it keeps retrying (${d.count} times since line ${d.first.n}): ${retriedWhat(d)}.`,
    next: throttling
      ? 'The gateway cannot fetch throttling data (key templates, blocking conditions) from the Traffic Manager, so it runs without them. ' +
        'Start the node that runs the Traffic Manager, or check the Traffic Manager addresses under <ThrottlingConfigurations> in repository/conf/api-manager.xml; the retries stop once it answers.'
      : 'The server runs without what it retries. Make that service reachable (the message names it); the retries stop once it answers.',
  };
}

/** A configuration file the deciding entry names ("… invalid value in repository/conf/api-manager.xml"). */
function namedFile(f: Failure): string | undefined {
  const cause = f.evidence.find((e) => e.kind === 'cause');
  for (const l of cause?.lines ?? []) {
    const m = /(?:^|[\s'"(:=])((?:\/[\w.@+-]+)*\/?repository\/[\w.@+/-]*\w|\/[\w.@+/-]+\.(?:xml|properties|jks|conf))/.exec(l.text);
    if (m) return m[1];
  }
  return undefined;
}

export function failureAdvice(f: Failure, c: AdviceContext): Advice {
  const stillRunning = c.pid !== undefined ? ` The server is still running (pid ${c.pid}) without it: stop it first (apim-gateway-wizard stop).` : '';
  const errors = f.errorCount ? ` ${f.errorCount} ERROR entr${f.errorCount === 1 ? 'y was logged (shown)' : 'ies were logged (the first is shown)'}.` : '';
  switch (f.reason) {
    case 'port-in-use': {
      const known = c.ports.find((p) => p.port === f.port);
      const which = f.port === undefined ? 'a port of this node' : `port ${f.port}${known ? ` (${known.use})` : ''}`;
      const by = c.holder ? `${c.holder.name} (pid ${c.holder.pid})` : 'another program';
      const offset = c.suggestedOffset ?? c.offset + 1;
      const example = c.ports.slice(0, 3).map((p) => `${p.base} → ${p.base + offset}`).join(', ');
      return {
        headline: `failed: ${which} is already in use`,
        detail: `java.net.BindException: ${which} is held by ${by}, so this server cannot listen on it.${stillRunning}`,
        next:
          `Stop ${by === 'another program' ? 'the program that holds it' : by}, or move every port of this node: set <Ports><Offset> in repository/conf/carbon.xml to ${offset} ` +
          `(${example}, …) and point the load balancer at the new ports. Then start again.`,
      };
    }
    case 'fatal': {
      const file = namedFile(f);
      return {
        headline: 'failed: FATAL error during start',
        detail: `Carbon logged a FATAL error (line ${f.line?.n ?? '?'}): it will not come up.${file ? ` It names ${file}.` : ''}${stillRunning}`,
        next: file
          ? `Read the FATAL entry and what caused it (shown), then fix ${file}: a typo, a wrong host name or path. Stop the server, start again.`
          : 'Read the FATAL entry and what caused it (shown). The usual cause is a configuration file edited just before the start: a typo, a wrong host name or path. Fix it, stop the server, start again.',
      };
    }
    case 'delayed':
      return {
        headline: 'failed: Carbon initialization is delayed',
        detail: `Carbon is waiting for components that never became available (listed under line ${f.line?.n ?? '?'}).${errors}${stillRunning}`,
        next: 'Look for the ERROR lines before it: a component failed to start, most often because of a configuration error, a database that cannot be reached, or a missing or damaged component. Fix it, stop the server, start again.',
      };
    case 'exited':
      return {
        headline: 'failed: the server process exited before it was ready',
        detail: `The JVM ended${f.line ? ` ("Halting JVM", line ${f.line.n})` : ' without shutting down (no "Halting JVM")'}.${errors}`,
        next:
          `wso2server.sh start throws the JVM's own output away. Run it in the foreground to see it: ${foreground(c)} ` +
          '(a crashed JVM also leaves hs_err_pid*.log in the product home).',
      };
    case 'timeout': {
      const degraded = f.degraded ? ` ${degradedAdvice(f.degraded).detail}` : '';
      return {
        headline: `not ready after ${minutes(c.timeoutMs)}`,
        detail: `No "WSO2 Carbon started" in ${minutes(c.timeoutMs)}.${degraded}${errors}${c.pid !== undefined ? ` The server keeps running (pid ${c.pid}).` : ''}`,
        next: f.degraded
          ? degradedAdvice(f.degraded).next
          : 'Read the last lines (shown). A slow machine may just need longer (apim-gateway-wizard status tells when it is up; --timeout to wait longer); otherwise stop it, fix what the log names, start again.',
      };
    }
  }
}
