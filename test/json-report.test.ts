// plan --json, apply --json, check --json: the real bundle prints one node document on stdout
// (nothing else, stderr empty, errors inside it), and its exit code is the document's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NODE_DOCUMENT_FORMAT, NODE_DOCUMENT_KEYS, NODE_DOCUMENT_VERSION, type NodeDocument } from '../src/core/plan/json-report.js';
import { BIN, DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState, type CliResult } from './helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');
const WORKER = join(REPO, 'templates/examples/worker.json');
const CARBON = join(DEMO_HOME, 'repository/conf/carbon.xml');
const WORKERS_LIST = join(DEMO_HOME, 'depsync/workers.list');

/** The one document a --json run printed: all of stdout, nothing on stderr, its exitCode the process's. */
function documentOf(r: CliResult, what: string): NodeDocument {
  assert.equal(r.stderr, '', `${what}: stderr`);
  assert.ok(r.stdout.startsWith('{') && r.stdout.endsWith('}\n'), `${what}: stdout is one JSON object and a newline:\n${r.stdout}`);
  const doc = JSON.parse(r.stdout) as NodeDocument;
  assert.equal(doc.format, NODE_DOCUMENT_FORMAT);
  assert.equal(doc.version, NODE_DOCUMENT_VERSION);
  assert.equal(doc.exitCode, r.code, `${what}: the exit code is the document's`);
  // The declared keys are the document's, in its order (README's reference is made from them).
  assert.deepEqual(Object.keys(doc), [...new Set(NODE_DOCUMENT_KEYS.map((k) => k.key.split(/[.[]/)[0]))], what);
  if (doc.exitCode !== 1) assert.deepEqual(doc.errors, [], what);
  return doc;
}

const json = (args: string[], env: Record<string, string | undefined> = {}) => documentOf(runCli([...args, '--json'], env), args.join(' '));

test('plan --json on a fresh node: exit 2, every file with its diff, secrets masked; apply --json --yes writes; plan --json again: nothing pending', async () => {
  const root = await demoSandbox();
  const carbon = join(root, CARBON);
  await writeFile(carbon, (await readFile(carbon, 'utf8')).replace('    <!--HostName>', '    <KeyPassword>k3y-pw</KeyPassword>\n    <!--HostName>'));
  const before = await treeState(root);

  const plan = json(['plan', '--answers', MANAGER, '--root', root]);
  assert.equal(plan.exitCode, 2);
  assert.equal(plan.command, 'plan');
  assert.deepEqual(plan.node, { role: 'manager', productHome: DEMO_HOME, root });
  assert.equal(plan.release?.id, '2.1.0');
  assert.equal(plan.release?.startCommand, 'wso2server.sh start');
  assert.match(plan.summary, /^\d+ files to change, 3 to create, 0 unchanged$/);
  assert.equal(plan.changed, true);
  assert.ok(plan.pending > plan.files.length, 'the saved answers and the generated files\' records count too');
  const carbonFile = plan.files.find((f) => f.path === CARBON);
  assert.ok(carbonFile, 'files are named as on the node, without --root');
  assert.equal(carbonFile.status, 'change');
  assert.match(carbonFile.diff, new RegExp(`^--- a${CARBON}\\n\\+\\+\\+ b${CARBON}\\n@@ `));
  assert.ok(carbonFile.diff.includes('\n+    <HostName>am.wso2.com</HostName>\n'));
  assert.ok(carbonFile.diff.includes('\n     <KeyPassword>********</KeyPassword>\n'), 'the secret next to the change is masked');
  assert.ok(!JSON.stringify(plan).includes('k3y-pw'));
  for (const f of plan.files) assert.ok(f.reasons.length > 0 && (f.status === 'unchanged') === (f.diff === ''), f.path);
  assert.ok(!plan.files.some((f) => f.path.includes('apim-gateway-wizard/nodes')), 'the wizard\'s own records are not listed');
  assert.deepEqual(plan.answers, ['saved for the first time']);
  assert.ok(plan.actions.includes(`change ${CARBON}`) && plan.actions.includes(`create ${WORKERS_LIST}`), plan.actions.join('\n'));
  assert.equal(plan.applied, null);
  assert.deepEqual(await treeState(root), before, 'plan --json writes nothing');

  const apply = json(['apply', '--answers', MANAGER, '--root', root, '--yes']);
  assert.equal(apply.exitCode, 0);
  assert.equal(apply.changed, true);
  assert.deepEqual(apply.applied?.written, plan.files.map((f) => f.path));
  assert.ok(apply.applied?.backupDir?.startsWith(root));
  assert.ok(apply.applied?.answersSaved && existsSync(apply.applied.answersSaved));
  assert.ok(apply.actions.includes(`changed ${CARBON}`) && apply.actions.includes(`created ${WORKERS_LIST}`), apply.actions.join('\n'));
  assert.equal(apply.actions.at(-1), `saved the answers to ${apply.applied?.answersSaved}`);
  assert.ok((await readFile(carbon, 'utf8')).includes('<KeyPassword>k3y-pw</KeyPassword>'), 'written with the real value');

  const again = json(['plan', '--answers', MANAGER, '--root', root]);
  assert.equal(again.exitCode, 0);
  assert.equal(again.changed, false);
  assert.equal(again.pending, 0);
  assert.deepEqual(again.actions, []);
  assert.ok(again.files.every((f) => f.status === 'unchanged' && f.diff === ''));
  const nothing = json(['apply', '--answers', MANAGER, '--root', root, '--yes']);
  assert.equal(nothing.exitCode, 0);
  assert.equal(nothing.changed, false);
  assert.deepEqual(nothing.applied, { written: [], backupDir: null, answersSaved: null });
});

test('check --json after hand edits: exit 2, the drift as a diff, a generated file edited by hand as a conflict with its local edits', async () => {
  const root = await demoSandbox();
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']).code, 0);
  const clean = json(['check', '--root', root, '--home', DEMO_HOME]);
  assert.equal(clean.exitCode, 0);
  assert.equal(clean.changed, false);

  const carbon = join(root, CARBON);
  await writeFile(carbon, (await readFile(carbon, 'utf8')).replace('<HostName>am.wso2.com</HostName>', '<HostName>edited.example.org</HostName>'));
  const list = join(root, WORKERS_LIST);
  await writeFile(list, `${await readFile(list, 'utf8')}wso2carbon@192.0.2.99:/opt/wso2am-2.1.0\n`);
  const before = await treeState(root);
  const drift = json(['check', '--root', root, '--home', DEMO_HOME]);
  assert.equal(drift.exitCode, 2);
  assert.equal(drift.command, 'check');
  assert.equal(drift.changed, true);
  const edited = drift.files.find((f) => f.path === CARBON);
  assert.equal(edited?.status, 'change');
  assert.ok(edited?.diff.includes('\n-    <HostName>edited.example.org</HostName>\n+    <HostName>am.wso2.com</HostName>\n'), edited?.diff);
  const conflict = drift.files.find((f) => f.path === WORKERS_LIST);
  assert.equal(conflict?.status, 'conflict');
  assert.ok(conflict?.localEdits?.includes('\n+wso2carbon@192.0.2.99:/opt/wso2am-2.1.0'), conflict?.localEdits);
  assert.ok(drift.actions.some((a) => a.startsWith(`refuse: ${WORKERS_LIST} was edited by hand`)), drift.actions.join('\n'));
  assert.ok(drift.warnings.some((w) => w.includes('edited by hand')));
  assert.deepEqual(await treeState(root), before, 'check writes nothing');
});

test('errors are in the document, exit 1, stderr empty: bad answers, no --yes, an unknown option, a refused role switch; nothing written', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const bad = join(await tempDir(), 'bad.json');
  await writeFile(bad, JSON.stringify({ role: 'worker', hostname: 'x', proxyHttpPort: 'eighty' }));
  for (const verb of ['plan', 'check', 'apply']) {
    const doc = json([verb, '--answers', bad, '--root', root, ...(verb === 'apply' ? ['--yes'] : [])]);
    assert.equal(doc.exitCode, 1, verb);
    assert.equal(doc.command, verb);
    assert.deepEqual([...doc.errors].sort(), [`${bad}: proxyHttpPort must be a number`, `${bad}: unknown key "hostname"`]);
    assert.deepEqual(doc.node, { role: null, productHome: null, root });
    assert.deepEqual([doc.summary, doc.files, doc.pending, doc.changed, doc.applied], ['', [], 0, false, null]);
  }

  const noYes = json(['apply', '--answers', MANAGER, '--root', root]);
  assert.equal(noYes.exitCode, 1);
  assert.match(noYes.errors[0]!, /run apply again with --yes/);
  assert.equal(noYes.node.role, 'manager');
  const savedNoYes = json(['apply', '--plan', join(root, 'no.plan'), '--root', root]);
  assert.equal(savedNoYes.exitCode, 1);
  assert.match(savedNoYes.errors[0]!, /--yes/);

  const unknown = json(['plan', '--answers', MANAGER, '--root', root, '--frobnicate']);
  assert.equal(unknown.exitCode, 1);
  assert.match(unknown.errors[0]!, /Unknown option '--frobnicate'/);
  const missing = json(['plan', '--answers', MANAGER, '--root', root, '--home', '/opt/nowhere']);
  assert.deepEqual(missing.errors, [`productHome ${join(root, '/opt/nowhere')} does not exist or is not a directory`]);
  assert.deepEqual(await treeState(root), before);

  // Configured as the manager, planned as a worker: refused, with what the switch would do.
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', root, '--yes']).code, 0);
  const applied = await treeState(root);
  const switched = json(['apply', '--answers', WORKER, '--root', root, '--yes']);
  assert.equal(switched.exitCode, 1);
  assert.equal(switched.roleSwitch?.from, 'manager');
  assert.equal(switched.roleSwitch?.to, 'worker');
  assert.ok(switched.roleSwitch!.leaves.length > 0);
  assert.match(switched.errors[0]!, /^role: this node is configured as manager/);
  assert.deepEqual([switched.files, switched.applied], [[], null], 'nothing was planned');
  assert.deepEqual(await treeState(root), applied);
  // Text without --json is unchanged: the refusal on stderr, nothing on stdout.
  const text = runCli(['apply', '--answers', WORKER, '--root', root, '--yes']);
  assert.equal(text.code, 1);
  assert.match(text.stderr, /^error: role: this node is configured as manager/);
});

test('--demo, plan --out with apply --plan FILE --json: the saved plan is applied and said so', async () => {
  const tmp = await tempDir();
  const saved = join(await tempDir(), 'worker.plan');
  const plan = json(['plan', '--demo', '--answers', WORKER, '--out', saved], { TMPDIR: tmp });
  assert.equal(plan.exitCode, 2);
  assert.equal(plan.savedPlan, saved);
  assert.equal(plan.node.role, 'worker');
  assert.ok(plan.node.root?.startsWith(tmp));
  assert.equal(plan.release?.startCommand, 'wso2server.sh start -Dprofile=gateway-worker');
  const apply = json(['apply', '--demo', '--plan', saved, '--yes'], { TMPDIR: tmp });
  assert.equal(apply.exitCode, 0);
  assert.equal(apply.changed, true);
  assert.deepEqual(apply.applied?.written, plan.files.filter((f) => f.status !== 'unchanged').map((f) => f.path));
  const stale = json(['apply', '--demo', '--plan', saved, '--yes'], { TMPDIR: tmp });
  assert.equal(stale.exitCode, 1);
  assert.match(stale.errors[0]!, /the node is not as it was when this plan was made/);
});

/** The number of apply's fault point `label` (core/apply/faults.ts), counted on a copy of the demo node. */
async function faultPointOf(label: string): Promise<number> {
  const counted = await demoSandbox();
  const count = join(await tempDir(), 'points');
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', counted, '--yes'], { APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: count }).code, 0);
  const line = (await readFile(count, 'utf8')).split('\n').find((l) => l.endsWith(` ${label}`));
  assert.ok(line, `a fault point "${label}"`);
  return Number(line.split(' ')[0]);
}

test('an apply killed half-way: plan --json warns, apply --json --yes restores first and says so in its actions', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const killed = runCli(['apply', '--answers', MANAGER, '--root', root, '--yes', '--json'], { APIM_GATEWAY_WIZARD_TEST_KILL_AT: String(await faultPointOf(`wrote ${CARBON}`)) });
  assert.equal(killed.code, null, 'killed before it printed anything');
  assert.equal(killed.stdout, '');
  assert.notEqual((await treeState(root))[CARBON.slice(1)], before[CARBON.slice(1)], 'carbon.xml was written before the kill');

  const plan = json(['plan', '--answers', MANAGER, '--root', root]);
  assert.equal(plan.exitCode, 2);
  assert.ok(plan.warnings.includes('an earlier apply was interrupted; apply or rollback restores its files first'), plan.warnings.join('\n'));
  const apply = json(['apply', '--answers', MANAGER, '--root', root, '--yes']);
  assert.equal(apply.exitCode, 0);
  assert.equal(apply.changed, true);
  assert.match(apply.actions[0]!, new RegExp(`^An earlier apply was interrupted; restored first: .*${CARBON}`));
  assert.equal(json(['plan', '--answers', MANAGER, '--root', root]).exitCode, 0);
});

test('apply --json that fails half-way: exit 1, the error and the restored files in the document, the node as it was', async () => {
  const root = await demoSandbox();
  // Where apply stands once its checkpoint is written.
  const point = await faultPointOf('checkpoint written');
  const before = await treeState(root);

  const dir = await tempDir();
  const pause = join(dir, 'pause');
  const seen = join(dir, 'points');
  await writeFile(pause, '');
  const child = spawn(process.execPath, [BIN, 'apply', '--answers', MANAGER, '--root', root, '--yes', '--json'], {
    env: { ...process.env, CARBON_HOME: undefined, APIM_GATEWAY_WIZARD_TEST_PAUSE_AT: String(point), APIM_GATEWAY_WIZARD_TEST_PAUSE_FILE: pause, APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: seen },
  });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const blocker = join(root, DEMO_HOME, 'depsync');
  try {
    while (!(existsSync(seen) && (await readFile(seen, 'utf8')).trim().split('\n').length >= point)) {
      if (child.exitCode !== null) assert.fail(`apply ended before point ${point}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // The folder of the sync script becomes a plain file: its write fails after carbon.xml's.
    await writeFile(blocker, 'not a folder\n');
  } finally {
    await rm(pause, { force: true });
  }
  const doc = documentOf({ code: await exited, stdout, stderr }, 'the failed apply');
  assert.equal(doc.exitCode, 1);
  assert.equal(doc.changed, false);
  assert.equal(doc.applied, null);
  assert.match(doc.errors[0]!, /^apply failed: .*depsync/);
  assert.match(doc.errors[0]!, /restored \d+ file\(s\) to what they were/);
  assert.ok(doc.actions.includes(`changed ${CARBON}`), doc.actions.join('\n'));
  const restored = doc.actions.find((a) => a.startsWith('restored '));
  assert.ok(restored?.includes(CARBON), doc.actions.join('\n'));
  await rm(blocker);
  const now = await treeState(root);
  for (const file of Object.keys(before)) assert.equal(now[file], before[file], `${file} is as it was`);
});

test('a load balancer\'s document: no product home, no release; its trial key is never in a diff', async () => {
  const tmp = await tempDir();
  const doc = json(['plan', '--demo-node', 'load-balancer', '--answers', join(REPO, 'templates/examples/load-balancer.json')], { TMPDIR: tmp });
  assert.equal(doc.exitCode, 2);
  assert.deepEqual([doc.node.role, doc.node.productHome, doc.release], ['load-balancer', null, null]);
  const key = doc.files.find((f) => f.path.endsWith('.key'));
  assert.equal(key?.status, 'create');
  assert.ok(!JSON.stringify(doc).includes('PRIVATE KEY'), 'the trial key is not shown');
});
