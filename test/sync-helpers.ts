// A Gateway Manager and its workers on this machine for the sync tests. The manager's product
// home is a real absolute path, and --root sees it at that same path (a symbolic link), so the
// generated script and cron entry name paths that work when run as cron runs them, while
// /etc/cron.d and /etc/hosts stay under the temp root.
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { templatesDir } from '../src/core/node/demo.js';
import { parseCron } from './cron.js';
import { runCli, tempDir, type CliResult } from './helpers.js';
import { USER, type Sshd } from './sshd-helpers.js';

export interface Node {
  base: string;
  root: string;
  home: string;
  workers: string[];
  answersFile: string;
  answers: Record<string, unknown>;
  cli(args: string[]): CliResult;
  /** <home>/repository/deployment/server/ of the manager. */
  deployment: string;
  key: string;
  log: string;
}

/** A deployment tree with nested directories and names with spaces. */
export async function fillDeployment(dir: string): Promise<void> {
  const files: Record<string, string> = {
    'synapse-configs/default/api/admin--PizzaShackAPI_v1.0.0.xml': '<api name="admin--PizzaShackAPI" context="/pizzashack/1.0.0"/>\n',
    'synapse-configs/default/sequences/_auth_failure_handler_.xml': '<sequence name="_auth_failure_handler_"/>\n',
    'synapse-configs/default/local-entries/a b/with space.xml': '<localEntry key="with space"/>\n',
    'jaggeryapps/store/site/conf/site.json': '{"context": "/store"}\n',
    'webapps/readme.txt': 'webapps\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

export interface NodeOptions {
  workers?: number;
  tenants?: boolean;
  /** Extra answers (override). */
  answers?: Record<string, unknown>;
}

export async function managerNode(sshd: Sshd, opts: NodeOptions = {}): Promise<Node> {
  const base = await tempDir('agw-sync-');
  const root = join(base, 'root');
  const home = join(base, 'manager', 'wso2am-2.1.0');
  // The home lives inside the root (--root is a jail: no link in it may lead out); the same path
  // outside the root links to it, so that cron, ssh and rsync, which run outside, find it too.
  await cp(join(templatesDir(), 'demo', 'opt', 'wso2am-2.1.0'), join(root, home), { recursive: true });
  await cp(join(templatesDir(), 'demo', 'etc'), join(root, 'etc'), { recursive: true });
  await mkdir(dirname(home), { recursive: true });
  await symlink(join(root, home), home);
  const deployment = join(home, 'repository/deployment/server/');
  await fillDeployment(deployment);
  await mkdir(join(home, 'repository/tenants'), { recursive: true });
  const workers: string[] = [];
  for (let i = 1; i <= (opts.workers ?? 2); i++) {
    const w = join(base, `worker${i}`, 'wso2am-2.1.0');
    await mkdir(join(w, 'repository/deployment/server/synapse-configs'), { recursive: true });
    await mkdir(join(w, 'repository/tenants'), { recursive: true });
    // A file the manager no longer has: --delete must remove it, after the admin saw it.
    await writeFile(join(w, 'repository/deployment/server/synapse-configs/stale API.xml'), '<api name="stale"/>\n');
    workers.push(w);
  }
  const answers: Record<string, unknown> = {
    role: 'manager',
    productHome: home,
    hostName: 'am.wso2.com',
    mgtHostName: 'mgt.am.wso2.com',
    workerIps: ['127.0.0.1'],
    syncTargets: workers.map((w) => `${USER}@127.0.0.1:${w}`),
    syncCronUser: USER,
    syncSshPort: sshd.port,
    syncTenants: opts.tenants ?? false,
    ...opts.answers,
  };
  const answersFile = join(base, 'manager.json');
  await writeFile(answersFile, JSON.stringify(answers, null, 2));
  return {
    base,
    root,
    home,
    workers,
    answersFile,
    answers,
    deployment,
    key: join(home, 'depsync/id_ed25519'),
    log: join(home, 'depsync/depsync.log'),
    cli: (args) => runCli([...args, '--answers', answersFile, '--root', root]),
  };
}

export async function rewriteAnswers(node: Node, changes: Record<string, unknown>): Promise<void> {
  Object.assign(node.answers, changes);
  await writeFile(node.answersFile, JSON.stringify(node.answers, null, 2));
}

export async function cronEntry(node: Node) {
  return parseCron(await readFile(join(node.root, 'etc/cron.d/apim-gateway-wizard-depsync'), 'utf8'));
}
