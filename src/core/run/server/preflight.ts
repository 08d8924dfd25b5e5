// Before a start: the launcher is there, Java is found (and its version shown), the server is
// not running already, and the node's ports (with the offset) are free. Each check says what
// it found; a failed one says what to do.
import { lstat, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeText } from '../../edit/textfile.js';
import { readClustering } from '../../steps/hazelcast.js';
import { findJava, type JavaFound } from './java.js';
import { busyPorts, listeningSockets, nodePorts, readPortOffset, socketOwners, suggestOffset, type NodePort } from './ports.js';
import type { ServerPaths } from './paths.js';
import { productProcesses, runningServer, type Running } from './procs.js';
import { onPath } from '../process.js';
import { readRelease, ReleaseError, RELEASE_FILES, type Release, type ReleaseId } from '../../node/release.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface PreflightCheck {
  id: 'script' | 'release' | 'optimizer' | 'java' | 'running' | 'ports' | 'cluster-port' | 'user';
  status: CheckStatus;
  /** One line: what was found. */
  label: string;
  /** What to do (a failure or a warning). */
  detail?: string;
}

export interface Preflight {
  checks: PreflightCheck[];
  ok: boolean;
  java?: JavaFound;
  offset: number;
  ports: NodePort[];
  running?: Running;
  /** The release the start arguments are chosen for (undefined when it could not be read: a failed check). */
  release?: Release;
}

export interface PreflightOptions {
  paths: ServerPaths;
  role: string;
  /** The demo's simulated server needs no Java. */
  demo?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The `release` answer, when given (overrides what the product says). */
  release?: ReleaseId;
  /** The product home as on the node and --root: where the release is read. */
  root?: string;
}

/** Which release, and (2.5+ worker) what its --optimize start needs: bin/profileSetup.sh and xmllint. */
async function releaseChecks(o: PreflightOptions): Promise<{ checks: PreflightCheck[]; release?: Release }> {
  let found;
  try {
    found = await readRelease(o.paths.home, o.root, o.release);
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    return { checks: [{ id: 'release', status: 'fail', label: 'release unknown', detail: e.message }] };
  }
  const { release } = found;
  const checks: PreflightCheck[] = [
    found.warnings.length
      ? { id: 'release', status: 'warn', label: `API-M ${release.id} (${found.from})`, detail: found.warnings.join('; ') }
      : { id: 'release', status: 'ok', label: `API-M ${release.id}` },
  ];
  if (o.role === 'worker' && release.workerOptimizer) {
    // The name itself: a link there is not the pack's script (and is not followed out of --root).
    const setup = await lstat(join(o.paths.homeOnDisk, RELEASE_FILES.profileSetup)).catch(() => undefined);
    const xmllint = await onPath('xmllint', o.env?.PATH);
    if (!setup?.isFile()) {
      checks.push({
        id: 'optimizer',
        status: 'fail',
        label: setup ? `${RELEASE_FILES.profileSetup} is not a plain file` : `${RELEASE_FILES.profileSetup} not found`,
        detail: `A ${release.id} worker starts with --optimize, which runs ${RELEASE_FILES.profileSetup}; put back the pack's copy (or give --release if this is not ${release.id})`,
      });
    } else if (!xmllint) {
      checks.push({
        id: 'optimizer',
        status: 'fail',
        label: 'xmllint not found (the --optimize start needs it)',
        detail: `${RELEASE_FILES.profileSetup} reads api-manager.xml and registry.xml with xmllint; without it, it skips turning off PolicyDeployer and registry indexing (its webapp and jaggeryapp removals still run). Install it: apt-get install libxml2-utils (dnf install libxml2)`,
      });
    } else {
      checks.push({ id: 'optimizer', status: 'ok', label: `--optimize: ${RELEASE_FILES.profileSetup} and ${xmllint}` });
    }
  }
  return { checks, release };
}

async function userName(uid: number): Promise<string> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  return passwd.split('\n').map((l) => l.split(':')).find((f) => f[2] === String(uid))?.[0] ?? `uid ${uid}`;
}

async function javaCheck(o: PreflightOptions): Promise<{ check: PreflightCheck; java?: JavaFound }> {
  if (o.demo) return { check: { id: 'java', status: 'ok', label: 'Java: not needed by the demo\'s simulated server' } };
  const r = await findJava(o.env);
  if ('problem' in r) return { check: { id: 'java', status: 'fail', label: 'Java not found', detail: r.problem } };
  const j = r.found;
  const where = j.derived ? `${j.java} (JAVA_HOME not set: ${j.javaHome} is handed to wso2server.sh)` : `JAVA_HOME ${j.javaHome}`;
  return {
    java: j,
    check: { id: 'java', status: j.warning ? 'warn' : 'ok', label: `Java ${j.version ?? '(version unknown)'}: ${where}`, ...(j.warning ? { detail: j.warning } : {}) },
  };
}

async function portsCheck(ports: NodePort[], offset: number): Promise<PreflightCheck> {
  const busy = await busyPorts(ports.map((p) => p.port));
  if (busy.size === 0) return { id: 'ports', status: 'ok', label: `ports free (offset ${offset}): ${ports.map((p) => p.port).join(', ')}` };
  const owners = await socketOwners(new Set([...busy.values()].map((l) => l.inode)));
  const all = new Set((await listeningSockets()).map((l) => l.port));
  const offsetNow = suggestOffset(ports.map((p) => p.base), all, offset);
  const taken = ports.filter((p) => busy.has(p.port)).map((p) => {
    const owner = owners.get(busy.get(p.port)!.inode);
    return `${p.port} (${p.use})${owner ? ` held by ${owner.name}, pid ${owner.pid}` : ''}`;
  });
  return {
    id: 'ports',
    status: 'fail',
    label: `port${taken.length === 1 ? '' : 's'} in use: ${taken.join('; ')}`,
    detail: `Stop what holds ${taken.length === 1 ? 'it' : 'them'}, or set <Ports><Offset> in repository/conf/carbon.xml to ${offsetNow} (every port of this node moves up by it; point the load balancer at the new ports).`,
  };
}

async function clusterPortCheck(paths: ServerPaths): Promise<PreflightCheck | undefined> {
  const file = join(paths.homeOnDisk, 'repository/conf/axis2/axis2.xml');
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes) return undefined;
  const c = (() => {
    try {
      return readClustering(decodeText(bytes, file).text);
    } catch {
      return undefined;
    }
  })();
  if (!c?.enabled || !c.localMemberPort || !/^\d+$/.test(c.localMemberPort)) return undefined;
  const port = Number(c.localMemberPort);
  if ((await busyPorts([port])).size === 0) return { id: 'cluster-port', status: 'ok', label: `Hazelcast port ${port} free` };
  return {
    id: 'cluster-port',
    status: 'warn',
    label: `Hazelcast port ${port} (localMemberPort) is in use`,
    detail: 'Hazelcast then takes the next free port, where the other members (which expect this one) do not look for it. Free the port or change localMemberPort on every node.',
  };
}

async function userCheck(paths: ServerPaths): Promise<PreflightCheck | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const st = await stat(paths.homeOnDisk).catch(() => undefined);
  if (!st || st.uid === 0) return undefined;
  const owner = await userName(st.uid);
  return {
    id: 'user',
    status: 'warn',
    label: `starting as root; the product home belongs to ${owner}`,
    detail: `Files the server creates (logs, tmp, deployed artifacts) will belong to root, and the manager's rsync, which logs in as ${owner}, cannot replace them. Start it as that user: sudo -u ${owner} apim-gateway-wizard start …`,
  };
}

export async function preflight(o: PreflightOptions): Promise<Preflight> {
  const checks: PreflightCheck[] = [];
  const { paths } = o;
  const script = await stat(paths.script).catch(() => undefined);
  checks.push(
    script?.isFile()
      ? { id: 'script', status: 'ok', label: `launcher ${paths.script}` }
      : { id: 'script', status: 'fail', label: `${paths.script} not found`, detail: `Is ${paths.home} the home of an API-M 2.x release (wso2am-2.x.0)?` },
  );
  const rel = await releaseChecks(o);
  checks.push(...rel.checks);
  let offset = 0;
  try {
    offset = await readPortOffset(join(paths.homeOnDisk, 'repository/conf/carbon.xml'));
  } catch (e) {
    checks.push({ id: 'ports', status: 'fail', label: 'port offset unknown', detail: (e as Error).message });
  }
  const ports = nodePorts(o.role, offset);
  const java = await javaCheck(o);
  checks.push(java.check);
  const running = await runningServer(paths);
  const launchers = running ? [] : await productProcesses(paths);
  if (running) {
    checks.push({
      id: 'running',
      status: 'fail',
      label: `already running (pid ${running.pid}${running.since ? `, since ${running.since.toLocaleString()}` : ''})`,
      detail: 'Stop it first (apim-gateway-wizard stop), or restart it: apim-gateway-wizard start --restart',
    });
  } else if (launchers.length) {
    checks.push({
      id: 'running',
      status: 'fail',
      label: `a start is already under way (pid ${launchers.map((p) => p.pid).join(', ')})`,
      detail: 'Wait for it (apim-gateway-wizard status), or stop it.',
    });
  } else {
    checks.push({ id: 'running', status: 'ok', label: 'not running' });
    if (!checks.some((c) => c.id === 'ports')) checks.push(await portsCheck(ports, offset));
  }
  const cluster = await clusterPortCheck(paths);
  if (cluster && !running) checks.push(cluster);
  const user = await userCheck(paths);
  if (user) checks.push(user);
  return { checks, ok: checks.every((c) => c.status !== 'fail'), java: java.java, offset, ports, running, ...(rel.release ? { release: rel.release } : {}) };
}
