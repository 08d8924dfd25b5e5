// Shared test helpers: a throw-away copy of the demo sandbox, hashing a tree, the real CLI.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { after } from 'node:test';
import { templatesDir } from '../src/core/node/demo.js';

export const REPO = join(import.meta.dirname, '..');
export const BIN = join(REPO, 'bin', 'apim-gateway-wizard.js');
export const DEMO_HOME = '/opt/wso2am-2.1.0';

// The launcher keeps V8's code cache under $XDG_CACHE_HOME: tests keep theirs to themselves
// (inherited by every process a test file starts), and remove it at the end.
const cacheHome = mkdtempSync(join(tmpdir(), 'agw-test-cache-'));
process.env.XDG_CACHE_HOME = cacheHome;
process.on('exit', () => rmSync(cacheHome, { recursive: true, force: true }));

const made: string[] = [];
after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

export async function tempDir(prefix = 'agw-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A fresh root holding the demo product home and /etc/hosts. */
export async function demoSandbox(): Promise<string> {
  const root = await tempDir();
  await cp(join(templatesDir(), 'demo'), root, { recursive: true });
  return root;
}

/** path → sha256 and mode of every file below dir (links by target): equal maps mean an untouched tree. */
export async function treeState(dir: string, opts: { skip?: string[] } = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string): Promise<void> {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (opts.skip?.includes(entry.name)) continue;
      if (entry.isSymbolicLink()) out[relative(dir, p)] = `-> ${await readlink(p)}`;
      else if (entry.isDirectory()) await walk(p);
      else {
        const st = await stat(p);
        // A FIFO, socket or device is recorded by kind: reading it would hang or fail.
        if (!st.isFile()) {
          out[relative(dir, p)] = `special ${entry.isFIFO() ? 'fifo' : entry.isSocket() ? 'socket' : 'device'} ${(st.mode & 0o7777).toString(8)}`;
          continue;
        }
        out[relative(dir, p)] = `${createHash('sha256').update(await readFile(p)).digest('hex')} ${(st.mode & 0o7777).toString(8)}`;
      }
    }
  }
  await walk(dir);
  return out;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built executable, as an admin would, without a terminal. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd = REPO): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CARBON_HOME: undefined, NO_COLOR: undefined, ...env } as NodeJS.ProcessEnv,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Load-balancer answers on loopback (manager 127.0.0.1, workers .2 and .3; a trial certificate). */
export const LB_ANSWERS = {
  role: 'load-balancer',
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  managerIp: '127.0.0.1',
  workerIps: ['127.0.0.2', '127.0.0.3'],
  listenAddress: '127.0.0.1',
  proxyHttpPort: 18080,
  proxyHttpsPort: 18443,
  selfSignedCertificate: true,
  nginxSite: '/etc/nginx/sites-available/apim-gateway',
} as const;
