// Helpers for the start/stop/status tests: a demo product home whose bin/wso2server.sh is the
// simulator, on a port offset under which its ports are free; a stand-in `java` (CI has
// none); and cleanup that stops every process of a home, whatever a test left running.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import { serverPaths, type ServerPaths } from '../src/core/run/server/paths.js';
import { nodePorts } from '../src/core/run/server/ports.js';
import { processTree, productProcesses, readPid } from '../src/core/run/server/procs.js';
import { DEMO_HOME, demoSandbox, tempDir } from './helpers.js';

const homes: ServerPaths[] = [];
after(async () => {
  for (const p of homes) await killServer(p);
});

/** Every process of the home (launcher, simulated server, its listener): SIGKILL. */
export async function killServer(paths: ServerPaths): Promise<void> {
  const pids = new Set<number>();
  const pid = await readPid(paths.pidFile);
  if (pid !== undefined) for (const p of await processTree(pid).catch(() => [pid])) pids.add(p);
  for (const proc of await productProcesses(paths)) for (const p of await processTree(proc.pid)) pids.add(p);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

/**
 * A port offset under which every port of a node (nodePorts, manager and worker) is free right
 * now. Drawn below the kernel's ephemeral range (32768 up), where other tests' listen(0) servers
 * and outgoing connections take their ports, so that a port free now stays free.
 */
export async function freeOffset(): Promise<number> {
  for (;;) {
    const offset = 1000 + Math.floor(Math.random() * 20_000); // highest port: 11111 + 21000 < 32768
    const ports = nodePorts('manager', offset).map((p) => p.port);
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) return offset;
  }
}

export interface SimHome {
  root: string;
  home: string;
  paths: ServerPaths;
  offset: number;
  httpsPort: number;
}

/** The demo sandbox with an <Offset> under which the node's ports are free. */
export async function simHome(): Promise<SimHome> {
  const root = await demoSandbox();
  const offset = await freeOffset();
  const port = 9443 + offset;
  const carbon = join(root, DEMO_HOME, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Offset>0</Offset>', `<Offset>${offset}</Offset>`), 'latin1');
  const paths = serverPaths(DEMO_HOME, root);
  homes.push(paths);
  return { root, home: DEMO_HOME, paths, offset, httpsPort: port };
}

/** A stand-in for a JDK: bin/java answers -version like OpenJDK does (on stderr). Returns its JAVA_HOME. */
export async function fakeJava(version = '1.8.0_392'): Promise<string> {
  const home = join(await tempDir('agw-jdk-'), 'jdk');
  await mkdir(join(home, 'bin'), { recursive: true });
  const java = join(home, 'bin', 'java');
  await writeFile(java, `#!/bin/sh\necho 'openjdk version "${version}"' >&2\necho 'OpenJDK Runtime Environment (build ${version}-b08)' >&2\n`);
  await chmod(java, 0o755);
  return home;
}

/** Polls until `check` holds; fails with `what` after the deadline. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** true when something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
