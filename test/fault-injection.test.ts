// Apply and rollback killed with SIGKILL at every point of their work (the test-only fault
// points of src/core/apply/faults.ts). After each kill every file holds its old or its new bytes,
// never a mix and no stray temp file; the next run restores; rollback returns the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

// The wizard's state folder (core/node/layout.ts stateDir) is under var/lib/apim-gateway-wizard.
const STATE = 'apim-gateway-wizard';
const tree = (root: string) => treeState(root, { skip: [STATE] });
const HOME = ['--home', DEMO_HOME];

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CARBON_HOME: undefined, ...env } as NodeJS.ProcessEnv });
}

async function countPoints(root: string, args: string[]): Promise<string[]> {
  const file = join(await tempDir(), 'points');
  const r = run([...args, '--root', root], { APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: file });
  assert.equal(r.status, 0, r.stderr);
  return (await readFile(file, 'utf8')).trim().split('\n');
}

/**
 * Every file is either as before or as after. The only other thing allowed is the temp file of
 * an atomic write cut short (next to its file, never in its place); the next run removes it.
 */
function assertOldOrNew(now: Record<string, string>, before: Record<string, string>, after: Record<string, string>, where: string, moving: Record<string, string> = {}) {
  for (const [file, state] of Object.entries(now)) {
    const temp = /^(.*)\.\d+$/.exec(file);
    if (temp && (temp[1]! in before || temp[1]! in after)) continue;
    assert.ok(state === before[file] || state === after[file], `${where}: ${file} is neither the old nor the new version (or a stray file)`);
  }
  for (const file of Object.keys(before)) {
    if (!(file in after) || file in now) continue;
    // A folder moved between its place and the checkpoint (two renames cannot be one): the
    // file is not at its place for that moment, but it is in the checkpoint, whole.
    const held = Object.entries(moving).some(([path, state]) => path.includes('/dirs/') && path.endsWith(`/${file}`) && state === before[file]);
    assert.ok(held, `${where}: ${file} disappeared`);
  }
}

interface Scenario {
  name: string;
  /** Changes made by hand before the wizard runs (part of the original). */
  byHand?(root: string): Promise<void>;
  /** Prepares the root the killed command starts from. */
  setup(root: string): Promise<void>;
  command: string[];
  /** Brings a killed node to the final state: recovery plus a finished run. */
  finish: string[];
}

const manager = join(REPO, 'templates/examples/manager.json');
const worker = join(REPO, 'templates/examples/worker.json');
const applied = (answers: string) => async (root: string) => {
  assert.equal(runCli(['apply', '--answers', answers, '--root', root, '--yes']).code, 0);
};

const scenarios: Scenario[] = [
  { name: 'manager apply', setup: async () => {}, command: ['apply', '--answers', manager, '--yes'], finish: ['apply', '--answers', manager, '--yes'] },
  { name: 'worker apply', setup: async () => {}, command: ['apply', '--answers', worker, '--yes'], finish: ['apply', '--answers', worker, '--yes'] },
  {
    name: 'manager re-apply with new ports',
    setup: applied(manager),
    command: ['apply', '--answers', manager, '--yes', '--proxy-http-port', '8080', '--proxy-https-port', '8443'],
    finish: ['apply', '--answers', manager, '--yes', '--proxy-http-port', '8080', '--proxy-https-port', '8443'],
  },
  { name: 'rollback', setup: applied(manager), command: ['rollback', ...HOME], finish: ['rollback', ...HOME] },
  {
    name: 'rollback of a worker whose deployment directory was emptied',
    byHand: async (root) => {
      const deployment = join(root, DEMO_HOME, 'repository/deployment/server');
      await writeFile(join(deployment, 'api.xml'), '<api/>');
      // Kept by the reset (moved back into the new folder) and carried along by the rollback.
      await mkdir(join(deployment, 'synapse-configs/default'), { recursive: true });
      await writeFile(join(deployment, 'synapse-configs/default/synapse.xml'), '<definitions xmlns="http://ws.apache.org/ns/synapse"/>\n');
    },
    setup: async (root) => {
      assert.equal(runCli(['apply', '--answers', worker, '--root', root, '--yes', '--reset-deployment', 'yes']).code, 0);
    },
    command: ['rollback', ...HOME],
    finish: ['rollback', ...HOME],
  },
];

test('SIGKILL at every fault point of apply and rollback: old or new bytes only; the next run restores; rollback returns the original', async (t) => {
  let killed = 0;
  for (const s of scenarios) {
    const pristine = await demoSandbox();
    await s.byHand?.(pristine);
    const original = await tree(pristine);
    await s.setup(pristine);
    const before = await tree(pristine);
    const reference = await tempDir();
    await cp(pristine, reference, { recursive: true });
    const points = await countPoints(reference, s.command);
    const after = await tree(reference);
    assert.notDeepEqual(before, after, `${s.name} changes something`);

    for (let k = 1; k <= points.length; k++) {
      const where = `${s.name}, killed at ${points[k - 1]}`;
      const root = await tempDir();
      await cp(pristine, root, { recursive: true });
      const r = run([...s.command, '--root', root], { APIM_GATEWAY_WIZARD_TEST_KILL_AT: String(k) });
      assert.equal(r.signal, 'SIGKILL', `${where}: expected the kill (${r.stderr})`);
      killed += 1;
      assertOldOrNew(await tree(root), before, after, where, await treeState(join(root, 'var/lib', STATE)).catch(() => ({})));

      const next = run([...s.finish, '--root', root]);
      assert.equal(next.status, 0, `${where}: the next run: ${next.stderr}`);
      assert.deepEqual(await tree(root), after, `${where}: the next run ends as the uninterrupted one`);

      // Roll back every apply: the node is exactly as it was before the wizard.
      for (let i = 0; i < 3 && runCli(['rollback', '--root', root, ...HOME]).code === 0; i++);
      assert.deepEqual(await tree(root), original, `${where}: rollback returns the original`);
      await rm(root, { recursive: true, force: true });
    }
  }
  t.diagnostic(`killed at ${killed} points`);
  assert.ok(killed >= 50, `killed at ${killed} points; at least 50 wanted`);
});

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('two applies at once: one wins, the other refuses naming the holder, files consistent', async () => {
  const root = await demoSandbox();
  const reference = await demoSandbox();
  assert.equal(runCli(['apply', '--answers', manager, '--root', reference, '--yes']).code, 0);
  const dir = await tempDir();
  const pause = join(dir, 'pause');
  const count = join(dir, 'points');
  writeFileSync(pause, '');
  const first = spawn(process.execPath, [BIN, 'apply', '--answers', manager, '--root', root, '--yes'], {
    env: { ...process.env, APIM_GATEWAY_WIZARD_TEST_PAUSE_AT: '6', APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE: pause, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: count },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
  try {
    await waitFor(async () => existsSync(count) && (await readFile(count, 'utf8')).split('\n').length > 6, 'the first apply to reach its pause point');
    const second = runCli(['apply', '--answers', worker, '--root', root, '--yes']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`another apply is running \\(pid ${first.pid} `));
  } finally {
    await rm(pause, { force: true });
  }
  assert.equal(await exited, 0);
  assert.deepEqual(await tree(root), await tree(reference));
});
