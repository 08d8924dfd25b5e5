// What a failed start means and what to do next, in plain words: one headline, the reason,
// and the next step. The evidence (the log lines that matter) travels with it separately.
import { launcherCommand, type Release } from '../../node/release.js';
import type { Failure } from './watch.js';
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

export function failureAdvice(f: Failure, c: AdviceContext): Advice {
  const stillRunning = c.pid !== undefined ? ` The server is still running (pid ${c.pid}) without it: stop it first (apim-gateway-wizard stop).` : '';
  const errors = f.errorCount ? ` ${f.errorCount} ERROR entr${f.errorCount === 1 ? 'y was' : 'ies were'} logged (shown).` : '';
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
    case 'fatal':
      return {
        headline: 'failed: FATAL error during start',
        detail: `Carbon logged a FATAL error (line ${f.line?.n ?? '?'}): it will not come up.${stillRunning}`,
        next: 'Read the FATAL entry and its stack trace (shown). The usual cause is a configuration file edited just before the start: a typo, a wrong host name or path. Fix it, stop the server, start again.',
      };
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
    case 'timeout':
      return {
        headline: `not ready after ${minutes(c.timeoutMs)}`,
        detail: `No "WSO2 Carbon started" in ${minutes(c.timeoutMs)}.${errors}${c.pid !== undefined ? ` The server keeps running (pid ${c.pid}).` : ''}`,
        next: 'Read the last lines (shown). A slow machine may just need longer (apim-gateway-wizard status tells when it is up; --timeout to wait longer); otherwise stop it, fix what the log names, start again.',
      };
  }
}
