// The server side of step 5 for the screens and the headless verbs: start (preflight, launch,
// follow the log as events), stop, status. Core only: no Ink, no terminal.
export { startServer, stopServer, workerRestartPending, markWorkerRestarted, type ServerEvent, type ServerRun, type StartOptions, type StartOutcome, type StopOptions, type StopOutcome } from './control.js';
export { serverStatus, lastStart, type ServerStatus, type LastStart } from './status.js';
export { preflight, type Preflight, type PreflightCheck } from './preflight.js';
export { serverPaths, type ServerPaths } from './paths.js';
export { nodePorts, type NodePort } from './ports.js';
export type { LogHistory } from './follow.js';
export type { Degraded, Evidence, LogLine, Milestone, Problem, ProblemKind, FailReason } from './watch.js';
export { clockTime, waitingText } from './advice.js';
export { displayText } from './log-line.js';
export { renderEvent, renderOutcome, renderStatus, renderStop, paintLine } from './render.js';
