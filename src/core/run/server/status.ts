// `status`: is the server running (pid file, process alive and this product's), since when,
// with which profile, which ports its processes listen on, and what the log says about the
// last start (the readiness line, or how far it got).
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { parseHeader } from './log-line.js';
import { serverPaths, type ServerPaths } from './paths.js';
import { listeningSockets, nodePorts, readPortOffset, socketInodes, type NodePort } from './ports.js';
import { processTree, productProcesses, readPid, runningServer, type ProcessInfo, type Running } from './procs.js';

export interface LastStart {
  /** "Starting WSO2 Carbon..." line time. */
  startedAt?: string;
  /** The readiness line as logged, and its time. */
  readyLine?: string;
  readyAt?: string;
  carbonSeconds?: number;
  consoleUrl?: string;
  /** "Halting JVM" after the last start. */
  haltedAt?: string;
}

export interface ServerStatus {
  paths: ServerPaths;
  running?: Running;
  /** Processes of this product without a live pid file: a start under way. */
  launchers: ProcessInfo[];
  /** A pid file naming a process that is gone (a crash, or a stop that left it). */
  stalePid?: number;
  offset?: number;
  expected: Array<NodePort & { listening: boolean }>;
  /** Ports the server's processes listen on. */
  listening: Array<{ port: number; address: string }>;
  last?: LastStart;
}

/** The last start recorded in the tail of the log (the last few MiB are enough for one start). */
export async function lastStart(logFile: string, tailBytes = 4 * 1024 * 1024): Promise<LastStart | undefined> {
  const fd = await open(logFile, 'r').catch(() => undefined);
  if (!fd) return undefined;
  let text: string;
  try {
    const { size } = await fd.stat();
    const from = Math.max(0, size - tailBytes);
    const buf = Buffer.alloc(size - from);
    await fd.read(buf, 0, buf.length, from);
    text = buf.toString('utf8');
  } finally {
    await fd.close();
  }
  let last: LastStart | undefined;
  for (const line of text.split('\n')) {
    const h = parseHeader(line.replace(/\r$/, ''));
    if (!h) continue;
    if (/^Starting WSO2 Carbon/.test(h.message)) last = { startedAt: h.time };
    if (!last) continue;
    const ready = /^WSO2 Carbon started in (\d+) sec/.exec(h.message);
    if (ready) Object.assign(last, { readyLine: h.message, readyAt: h.time, carbonSeconds: Number(ready[1]) });
    const url = /^Mgt Console URL\s*:\s*(\S+)/.exec(h.message);
    if (url) last.consoleUrl = url[1];
    if (/^Halting JVM/.test(h.message)) last.haltedAt = h.time;
  }
  return last;
}

export async function serverStatus(home: string, role: string, root?: string): Promise<ServerStatus> {
  const paths = serverPaths(home, root);
  const running = await runningServer(paths);
  const launchers = running ? [] : await productProcesses(paths);
  const pid = await readPid(paths.pidFile);
  const offset = await readPortOffset(join(paths.homeOnDisk, 'repository/conf/carbon.xml')).catch(() => undefined);
  const listening: ServerStatus['listening'] = [];
  const mine = running ? await processTree(running.pid) : launchers.length ? (await Promise.all(launchers.map((l) => processTree(l.pid)))).flat() : [];
  if (mine.length) {
    const held = await socketInodes(mine);
    for (const s of await listeningSockets()) {
      if (held.has(s.inode) && !listening.some((l) => l.port === s.port)) listening.push({ port: s.port, address: s.address });
    }
    listening.sort((a, b) => a.port - b.port);
  }
  const expected = nodePorts(role, offset ?? 0).map((p) => ({ ...p, listening: listening.some((l) => l.port === p.port) }));
  return {
    paths,
    running,
    launchers,
    stalePid: !running && pid !== undefined ? pid : undefined,
    offset,
    expected,
    listening,
    last: await lastStart(paths.logFile),
  };
}
