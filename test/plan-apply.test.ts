// Plan and apply on the demo product home (our own small files) under a temp root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, rm, stat, symlink, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan, ApplyError } from '../src/core/apply/apply.js';
import { detectedAnswers, detectNode } from '../src/core/node/detect.js';
import { buildPlan, makePlan, pending, PlanError, readSnapshot } from '../src/core/plan/plan.js';
import { DEMO_HOME, demoSandbox, treeState } from './helpers.js';

const managerAnswers = () =>
  resolveAnswers({
    role: 'manager',
    productHome: DEMO_HOME,
    hostName: 'am.wso2.com',
    mgtHostName: 'mgt.am.wso2.com',
    workerIps: ['10.0.0.21', '10.0.0.22'],
  });
const workerAnswers = () =>
  resolveAnswers({ role: 'worker', productHome: DEMO_HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '10.0.0.10' });

/** The changed lines of a unified diff, without headers and context. */
function changedLines(diff: string): string[] {
  return diff.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l));
}

test('manager plan: exactly the HostName and MgtHostName lines, two proxyPorts, the hosts block', async () => {
  const root = await demoSandbox();
  const plan = await makePlan(managerAnswers(), root);
  // The fourth: api-manager.xml (step 5, the JMS event publisher block commented out).
  assert.equal(plan.summary, '4 files to change, 0 to create, 0 unchanged');
  const [carbon, catalina, hosts] = plan.changes;
  assert.deepEqual(changedLines(carbon!.diff), [
    '-    <!--HostName>www.wso2.org</HostName-->',
    '+    <HostName>am.wso2.com</HostName>',
    '-    <!--MgtHostName>mgt.wso2.org</MgtHostName-->',
    '+    <MgtHostName>mgt.am.wso2.com</MgtHostName>',
  ]);
  assert.deepEqual(changedLines(catalina!.diff), ['+                   proxyPort="80"', '+                   proxyPort="443"']);
  assert.deepEqual(changedLines(hosts!.diff), [
    '+# BEGIN apim-gateway-wizard',
    '+# Managed by apim-gateway-wizard; edits between these markers are replaced on its next apply.',
    '+10.0.0.21\tam.wso2.com',
    '+# END apim-gateway-wizard',
  ]);
});

test('worker plan: HostName only, both proxyPorts, the manager in /etc/hosts', async () => {
  const root = await demoSandbox();
  const plan = await makePlan(workerAnswers(), root);
  assert.deepEqual(changedLines(plan.changes[0]!.diff), ['-    <!--HostName>www.wso2.org</HostName-->', '+    <HostName>am.wso2.com</HostName>']);
  assert.equal(changedLines(plan.changes[1]!.diff).length, 2);
  assert.ok(changedLines(plan.changes[2]!.diff).includes('+10.0.0.10\tmgt.am.wso2.com'));
});

test('plan is pure: same snapshot, same plan; nothing is written', async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const snap = await readSnapshot(managerAnswers(), root);
  const a = buildPlan(managerAnswers(), snap);
  const b = buildPlan(managerAnswers(), snap);
  assert.deepEqual(a.changes.map((c) => c.after.toString('hex')), b.changes.map((c) => c.after.toString('hex')));
  assert.deepEqual(await treeState(root), before);
});

test('apply writes, keeps modes, backs up; a second plan is empty; detect reads the values back', async () => {
  const root = await demoSandbox();
  const carbonPath = join(root, DEMO_HOME, 'repository/conf/carbon.xml');
  await chmod(carbonPath, 0o640);
  const original = await readFile(carbonPath);
  const result = await applyPlan(await makePlan(managerAnswers(), root), { root });
  assert.equal(result.written.length, 4);
  assert.equal((await stat(carbonPath)).mode & 0o777, 0o640);
  assert.ok((await readFile(join(result.backupDir!, 'files', DEMO_HOME, 'repository/conf/carbon.xml'))).equals(original));
  const manifest = JSON.parse(await readFile(join(result.backupDir!, 'manifest.json'), 'utf8'));
  assert.equal(manifest.files[0].mode, 0o640);

  const again = await makePlan(managerAnswers(), root);
  assert.equal(pending(again).length, 0);
  assert.equal(again.summary, 'Nothing to change: 4 files already as asked.');

  const d = await detectNode(DEMO_HOME, root);
  assert.deepEqual([d.version, d.hostName, d.mgtHostName, d.proxyHttpPort, d.proxyHttpsPort, d.portOffset, d.looksLike], [
    '2.1.0',
    { value: 'am.wso2.com', commented: false },
    { value: 'mgt.am.wso2.com', commented: false },
    80,
    443,
    0,
    'manager',
  ]);
  const layer = detectedAnswers(d);
  assert.equal(layer.clusterHostIp, '10.0.0.21');
  assert.equal(layer.role, 'manager');
});

test('detect on a fresh home: sample host names are commented out and not answers', async () => {
  const root = await demoSandbox();
  const d = await detectNode(DEMO_HOME, root);
  assert.deepEqual(d.hostName, { value: 'www.wso2.org', commented: true });
  assert.equal(d.looksLike, undefined);
  assert.deepEqual(detectedAnswers(d), { productHome: DEMO_HOME });
});

test('a file edited after the plan was made is refused; nothing is written', async () => {
  const root = await demoSandbox();
  const plan = await makePlan(managerAnswers(), root);
  const catalina = join(root, DEMO_HOME, 'repository/conf/tomcat/catalina-server.xml');
  await writeFile(catalina, (await readFile(catalina, 'utf8')).replace('<!-- Demo', '<!-- edited Demo'));
  const before = await treeState(root);
  await assert.rejects(applyPlan(plan, { root }), (e: Error) => e instanceof ApplyError && /catalina-server\.xml changed since the plan was made; nothing was written/.test(e.message));
  assert.deepEqual(await treeState(root), before);
});

test('a failure in the middle of an apply restores every file it wrote', async () => {
  const root = await demoSandbox();
  const before = await treeState(join(root, 'etc'));
  const homeBefore = await treeState(join(root, DEMO_HOME, 'repository'));
  const plan = await makePlan(managerAnswers(), root);
  await assert.rejects(
    applyPlan(plan, {
      root,
      beforeWrite: (i) => {
        if (i === 2) throw new Error('disk full (injected)');
      },
    }),
    (e: Error) => e instanceof ApplyError && /disk full \(injected\)/.test(e.message) && e.restored.length === 2,
  );
  assert.deepEqual(await treeState(join(root, 'etc')), before);
  assert.deepEqual(await treeState(join(root, DEMO_HOME, 'repository')), homeBefore);
});

test('a symlinked config file: the target is edited, the link kept', async () => {
  const root = await demoSandbox();
  const conf = join(root, DEMO_HOME, 'repository/conf');
  await rename(join(conf, 'carbon.xml'), join(conf, 'carbon.real.xml'));
  await symlink('carbon.real.xml', join(conf, 'carbon.xml'));
  await applyPlan(await makePlan(workerAnswers(), root), { root });
  assert.ok((await import('node:fs')).lstatSync(join(conf, 'carbon.xml')).isSymbolicLink());
  assert.match(await readFile(join(conf, 'carbon.real.xml'), 'utf8'), /<HostName>am\.wso2\.com<\/HostName>/);
});

test('a missing /etc/hosts is created; a missing product file is an error naming it', async () => {
  const root = await demoSandbox();
  await rm(join(root, 'etc/hosts'));
  const plan = await makePlan(workerAnswers(), root);
  assert.equal(plan.changes[2]!.status, 'create');
  await rm(join(root, DEMO_HOME, 'repository/conf/tomcat/catalina-server.xml'));
  await assert.rejects(makePlan(workerAnswers(), root), (e: Error) => e instanceof PlanError && /catalina-server\.xml: not found; is productHome the home of an API-M 2\.x release\?/.test(e.message));
});

test('a product file that is not well-formed is refused with its line', async () => {
  const root = await demoSandbox();
  const carbon = join(root, DEMO_HOME, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('</Version>', '</Versio>'), 'latin1');
  await assert.rejects(makePlan(workerAnswers(), root), /carbon\.xml: .*(line 1\d|not well-formed)/);
});
