// What an offline node gets: the packed package installed without the repository (the bundle
// carries every dependency and the templates), and the bundle alone in an empty directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO, tempDir } from './helpers.js';

const WORKER = ['--role', 'worker', '--host-name', 'am.wso2.com', '--mgt-host-name', 'mgt.am.wso2.com', '--manager-ip', '10.0.0.10'];
const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version as string;

test('npm pack → npm install -g --prefix: --version, --help and plan work without the repository', async () => {
  const dir = await tempDir();
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  const prefix = join(dir, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(dir, tarball)], { cwd: dir, stdio: 'pipe' });
  const bin = join(prefix, 'bin', 'apim-gateway-wizard');
  const env = { ...process.env, TMPDIR: dir, CARBON_HOME: '' };
  assert.equal(execFileSync(bin, ['--version'], { cwd: dir, env, encoding: 'utf8' }).trim(), version);
  assert.match(execFileSync(bin, ['--help'], { cwd: dir, env, encoding: 'utf8' }), /--answers FILE/);
  const plan = spawnSync(bin, ['plan', '--demo', ...WORKER], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(plan.status, 2, plan.stderr);
  assert.match(plan.stdout, /Plan for this Gateway Worker/);
  const installed = join(prefix, 'lib', 'node_modules', 'apim-gateway-wizard');
  assert.deepEqual(readdirSync(installed).sort(), ['README.md', 'ansible', 'bin', 'dist', 'package.json', 'templates']);
  // The collection the cluster commands run: exactly the repository's files (no Python caches).
  const tracked = execFileSync('git', ['ls-files', 'ansible'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').sort();
  const shipped = (readdirSync(join(installed, 'ansible'), { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile()).map((e) => relative(installed, join(e.parentPath ?? e.path, e.name))).sort();
  assert.deepEqual(shipped, tracked);
});

test('the bundle alone in an empty directory runs: --help (same as the launcher), plan on the demo', async () => {
  const dir = await tempDir();
  copyFileSync(join(REPO, 'dist', 'cli.cjs'), join(dir, 'apim-gateway-wizard.cjs'));
  const env = { ...process.env, TMPDIR: dir, CARBON_HOME: '' };
  const help = execFileSync(process.execPath, ['apim-gateway-wizard.cjs', '--help'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(help, execFileSync(process.execPath, [join(REPO, 'bin', 'apim-gateway-wizard.js'), '--help'], { encoding: 'utf8' }));
  const plan = spawnSync(process.execPath, ['apim-gateway-wizard.cjs', 'plan', '--demo', ...WORKER], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(plan.status, 2, plan.stderr);
  assert.match(plan.stdout, /\+ {4}<HostName>am\.wso2\.com<\/HostName>/);
});

test('the bundle alone in an empty directory shows the wizard\'s first screen in a real terminal (tmux)', async (t) => {
  const dir = await tempDir();
  copyFileSync(join(REPO, 'dist', 'cli.cjs'), join(dir, 'apim-gateway-wizard.cjs'));
  const socket = `agw-pack-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  t.after(() => tmux('kill-server'));
  // Ink writes only its last frame when CI is set, so the pane's shell runs without it.
  const started = tmux('new-session', '-d', '-x', '80', '-y', '24', '-c', dir, `env -u CI TMPDIR=${dir} ${process.execPath} apim-gateway-wizard.cjs --demo`);
  assert.equal(started.status, 0, started.stderr);
  const deadline = Date.now() + 20_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p').stdout;
    if (screen.includes('Welcome · apim-gateway-wizard') && screen.includes('WSO2 API Manager 2.1.0')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(screen, /DEMO — writing under /);
  assert.match(screen, /Welcome · apim-gateway-wizard/);
  assert.match(screen, /WSO2 API Manager 2\.1\.0/);
  tmux('send-keys', 'q');
});
