// The optional standalone executable (npm run build:sea): Node.js with the bundle inside runs
// with no Node.js and no files beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO, tempDir } from './helpers.js';

const canCarry = process.platform === 'linux' && readFileSync(process.execPath).includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2');

test('build:sea makes one executable that runs from an empty directory without node on the PATH', { skip: !canCarry && `${process.execPath} has no single-executable fuse` }, async () => {
  const dir = await tempDir();
  const exe = join(dir, 'apim-gateway-wizard');
  execFileSync(process.execPath, [join(REPO, 'scripts', 'build-sea.mjs'), exe], { stdio: 'pipe' });
  const run = (args: string[]) =>
    spawnSync(exe, args, { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: dir, TMPDIR: dir, NO_COLOR: '1' } });
  assert.equal(run(['--version']).stdout.trim(), JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  assert.equal(run(['--help']).stdout, execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }));
  const plan = run(['plan', '--demo', '--role', 'worker', '--host-name', 'am.wso2.com', '--mgt-host-name', 'mgt.am.wso2.com', '--manager-ip', '10.0.0.10']);
  assert.equal(plan.status, 2, plan.stderr);
  assert.match(plan.stdout, /\+ {4}<HostName>am\.wso2\.com<\/HostName>/);
  // The single-executable warning is switched off; nothing else on stderr either.
  assert.equal(plan.stderr, '');
  const bad = run(['plan', '--demo', '--role', 'nobody']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^error: flags: role must be one of manager, worker, load-balancer\n$/);
});
