// Plain-text rendering of the server events and outcomes for the headless verbs (one line per
// log line, as it arrives; coloured by level when asked).
import type { Paint } from '../../messages/paint.js';
import { degradedAdvice } from './advice.js';
import { displayText } from './log-line.js';
import type { PreflightCheck } from './preflight.js';
import type { ServerEvent, StartOutcome, StopOutcome } from './control.js';
import type { ServerStatus } from './status.js';
import type { LogLine } from './watch.js';

export function paintLine(line: LogLine, paint: Paint): string {
  const text = displayText(line.text);
  switch (line.level) {
    case 'FATAL':
    case 'ERROR':
      return paint('red', text);
    case 'WARN':
      return paint('yellow', text);
    case 'DEBUG':
    case 'TRACE':
      return paint('dim', text);
    default:
      return text;
  }
}

const MARK: Record<PreflightCheck['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

export function renderCheck(c: PreflightCheck, paint: Paint): string[] {
  const mark = c.status === 'ok' ? paint('green', MARK.ok) : c.status === 'warn' ? paint('yellow', MARK.warn) : paint('red', MARK.fail);
  return [`  ${mark} ${c.label}`, ...(c.detail ? [`       ${c.detail}`] : [])];
}

export function renderEvent(e: ServerEvent, paint: Paint): string[] {
  switch (e.type) {
    case 'preflight':
      return ['Before starting:', ...e.checks.flatMap((c) => renderCheck(c, paint))];
    case 'command':
      return [paint('bold', `$ ${e.command}`)];
    case 'output':
      return [`wso2server.sh: ${e.text}`];
    case 'lines':
      return e.lines.map((l) => paintLine(l, paint));
    case 'note':
      return [paint('dim', `-- ${e.text}`)];
    case 'milestone':
      // Degraded is said once, when the retried warning comes the second time; the rest show through the lines and the outcome.
      return e.milestone === 'degraded' && e.degraded?.count === 2 ? [paint('yellow', `-- ${degradedAdvice(e.degraded).detail}`)] : [];
    case 'problem':
      return [];
  }
}

export function renderOutcome(o: StartOutcome, paint: Paint): string[] {
  const out: string[] = [''];
  out.push(o.status === 'ready' ? paint('green', o.headline) : o.status === 'interrupted' ? paint('yellow', o.headline) : paint('red', o.headline));
  if (o.detail) out.push(o.detail);
  if (o.evidence.length) out.push('', 'The lines that matter:');
  for (const e of o.evidence) {
    out.push(`  ${e.title}`);
    for (const l of e.lines) out.push(`${String(l.n).padStart(6)}  ${paintLine(l, paint)}`);
    if (e.framesLeftOut) out.push(paint('dim', `        (${e.framesLeftOut} stack frame${e.framesLeftOut === 1 ? '' : 's'} left out; the log has them)`));
  }
  if (o.next) out.push('', `Next: ${o.next}`);
  return out;
}

export function renderStop(o: StopOutcome, paint: Paint): string[] {
  const ok = o.status === 'stopped' || o.status === 'not-running';
  return ['', ok ? paint('green', o.headline) : paint('red', o.headline), ...(o.next ? [`Next: ${o.next}`] : [])];
}

export function renderStatus(s: ServerStatus, paint: Paint): string[] {
  const out: string[] = [];
  if (s.running) {
    const since = s.running.since ? `, since ${s.running.since.toLocaleString()}` : '';
    out.push(paint('green', `running: pid ${s.running.pid}${since}${s.running.profile ? `, profile ${s.running.profile}` : ''}`));
  } else if (s.launchers.length) {
    out.push(paint('yellow', `starting: launcher pid ${s.launchers.map((l) => l.pid).join(', ')} (Carbon has not written wso2carbon.pid yet)`));
  } else {
    out.push(paint('yellow', `not running${s.stalePid !== undefined ? ` (wso2carbon.pid names ${s.stalePid}, which is gone)` : ''}`));
  }
  if (s.running || s.launchers.length) {
    out.push(`listening: ${s.listening.length ? s.listening.map((l) => `${l.port} (${l.address})`).join(', ') : 'nothing yet'}`);
    const missing = s.expected.filter((p) => !p.listening);
    if (missing.length && s.listening.length) out.push(paint('dim', `not listening (yet): ${missing.map((p) => p.port).join(', ')}`));
  }
  if (s.offset !== undefined) out.push(`port offset: ${s.offset}`);
  const l = s.last;
  if (!l) out.push(`last start: nothing in ${s.paths.logFile}`);
  else if (l.readyLine) {
    out.push(`last start: ${l.startedAt} — "${l.readyLine}" at ${l.readyAt}${l.consoleUrl ? `; console ${l.consoleUrl}` : ''}`);
    if (l.haltedAt) out.push(`stopped since: Halting JVM at ${l.haltedAt}`);
  } else {
    out.push(`last start: ${l.startedAt}, no "WSO2 Carbon started" after it${l.haltedAt ? ` (Halting JVM at ${l.haltedAt})` : ''}`);
  }
  return out;
}
