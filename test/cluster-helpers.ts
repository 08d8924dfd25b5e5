// A cluster on this machine for the cluster test and the cluster benchmark: every node its own
// --root (the demo's files), its own loopback address and its own sshd (one port, one address
// each, as real hosts have), one client key and a known_hosts that pins every node's host key.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { templatesDir } from '../src/core/node/demo.js';
import { onPath, runProcess } from '../src/core/run/process.js';
import { BIN, DEMO_HOME, REPO } from './helpers.js';
import { freePort, newHostKey, startSshd, SSHD, type Sshd } from './sshd-helpers.js';

/**
 * Why a cluster suite cannot run here (root for sshd and root logins; Ansible, sshd, ssh, nginx,
 * and tmux when `screen`), or false. Under CI a missing tool is a failing test, not a skip.
 */
export async function clusterSuiteSkip(suite: string, screen = false): Promise<string | false> {
  const tools: [boolean, string][] = [
    [existsSync(SSHD), SSHD],
    [!!(await onPath('ansible-playbook')), 'ansible-playbook (apt-get install ansible-core)'],
    [!!(await onPath('nginx')), 'nginx'],
    [!!(await onPath('ssh')), 'ssh'],
    ...(screen ? [[!!(await onPath('tmux')), 'tmux'] as [boolean, string]] : []),
  ];
  const missing = tools.filter(([there]) => !there).map(([, name]) => name);
  const skip = process.getuid?.() !== 0 ? `${suite} needs root (sshd, root logins)` : missing.length ? `missing: ${missing.join(', ')}` : false;
  if (skip && process.env.CI === 'true') {
    // Imported here: node:test loaded at all turns the benchmarks that share these helpers into TAP output.
    const [{ test }, { default: assert }] = await Promise.all([import('node:test'), import('node:assert/strict')]);
    test(`${suite}: sshd, ssh, ansible-core, nginx${screen ? ', tmux' : ''} and root are there under CI`, () => assert.fail(skip));
  } else if (skip) console.log(`# skipping ${suite}: ${skip}`);
  return skip;
}

export interface TestNode {
  name: string;
  role: 'manager' | 'worker' | 'load-balancer';
  address: string;
  root: string;
  sshd?: Sshd;
  hostKey: string;
  publicKey: string;
}

export interface ClusterRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class LoopbackCluster {
  readonly nodes: TestNode[] = [];
  readonly clusterFile: string;
  private readonly clientKey: string;
  private readonly knownHosts: string;

  private constructor(
    readonly base: string,
    private readonly port: number,
    private readonly shared: Record<string, unknown>,
    private readonly top: Record<string, unknown>,
  ) {
    this.clientKey = join(base, 'id_ed25519');
    this.knownHosts = join(base, 'known_hosts');
    this.clusterFile = join(base, 'cluster.json');
  }

  /** `base` is a root-only temp folder the caller removes; `shared` the cluster file's shared answers, `top` its other keys (sync). */
  static async create(base: string, shared: Record<string, unknown>, top: Record<string, unknown> = {}): Promise<LoopbackCluster> {
    const c = new LoopbackCluster(base, await freePort(), shared, top);
    await mkdir(join(base, 'home'), { recursive: true });
    const made = await runProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', c.clientKey]);
    if (!made.ok) throw new Error(`ssh-keygen: ${made.stderr.join('\n')}`);
    return c;
  }

  /** A node with the demo's files under its root and its sshd listening; the cluster file is rewritten. */
  async addNode(name: string, role: TestNode['role'], address: string, setEnv?: Record<string, string>): Promise<TestNode> {
    const dir = join(this.base, name);
    const root = join(dir, 'root');
    await mkdir(root, { recursive: true });
    await cp(join(templatesDir(), 'demo', 'etc'), join(root, 'etc'), { recursive: true });
    if (role !== 'load-balancer') await cp(join(templatesDir(), 'demo', 'opt'), join(root, 'opt'), { recursive: true });
    const hostKey = await newHostKey(dir);
    const publicKey = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    const node: TestNode = { name, role, address, root, hostKey, publicKey };
    await this.startSshd(node, setEnv);
    this.nodes.push(node);
    await writeFile(this.knownHosts, this.nodes.map((n) => `[${n.address}]:${this.port} ${n.publicKey}`).join('\n') + '\n');
    await writeFile(this.clusterFile, this.json());
    return node;
  }

  node(name: string): TestNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  /** (Re)starts a node's sshd: same host key, address and port; `setEnv` reaches the wizard it runs. */
  async startSshd(node: TestNode, setEnv?: Record<string, string>): Promise<void> {
    const dir = join(this.base, node.name, 'sshd');
    await mkdir(dir, { recursive: true });
    node.sshd = await startSshd({ dir, hostKey: node.hostKey, port: this.port, listen: node.address, ...(setEnv ? { setEnv } : {}) });
    await writeFile(node.sshd.authorizedKeys, await readFile(`${this.clientKey}.pub`, 'utf8'));
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) await n.sshd?.stop();
  }

  json(): string {
    return JSON.stringify({
      cluster: 1,
      ...this.top,
      shared: this.shared,
      serviceUser: 'nobody',
      ssh: { user: 'root', port: this.port, privateKey: this.clientKey },
      nodes: this.nodes.map((n) => ({
        name: n.name,
        role: n.role,
        address: n.address,
        root: n.root,
        wizardDir: join(this.base, n.name, 'wizard'),
        ...(n.role === 'load-balancer' ? {} : { productHome: DEMO_HOME }),
      })),
    }, null, 2);
  }

  /** What `cluster …` runs with here: Ansible's ssh pinned to the known_hosts, its temp folders in the base. */
  env(): Record<string, string> {
    return {
      HOME: join(this.base, 'home'),
      ANSIBLE_LOCAL_TEMP: join(this.base, 'ansible-local'),
      ANSIBLE_REMOTE_TEMP: join(this.base, 'ansible-remote'),
      ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${this.knownHosts} -o StrictHostKeyChecking=yes -o ControlMaster=no`,
    };
  }

  /**
   * The CLI's `cluster …`, as an admin runs it, with Ansible's ssh pinned to the known_hosts and its
   * temp folders in the base. No ssh master connections: none outlives the run (a stopped sshd is
   * unreachable at once, and nothing is left running after a test).
   */
  run(args: string[], onStdout?: (text: string) => void): Promise<ClusterRun> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'cluster', ...args, '--cluster', this.clusterFile], {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: '1', ...this.env() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c;
        onStdout?.(stdout);
      });
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
}
