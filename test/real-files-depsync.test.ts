// The sync step on the real, byte-exact 2.1.0 files from ../shared/fixtures (copied into a
// temp root): carbon.xml ships with SVN DepSync off, so the sync adds no carbon.xml change of
// its own; a node where DepSync was turned on gets exactly one line back to false.
// Skipped with a reason when the folder is missing, except under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { makePlan } from '../src/core/plan/plan.js';
import { HOME, realFilesSuite, realRoot } from './real-fixtures.js';

const skip = realFilesSuite('real-files sync suite');

const manager = (sync: boolean) =>
  resolveAnswers({
    role: 'manager',
    productHome: HOME,
    hostName: 'am.wso2.com',
    mgtHostName: 'mgt.am.wso2.com',
    workerIps: ['10.0.0.21'],
    ...(sync ? { syncTargets: ['wso2carbon@10.0.0.21:/opt/wso2am-2.1.0'], syncCronUser: 'wso2carbon' } : {}),
  });

const carbonOf = (plan: Awaited<ReturnType<typeof makePlan>>) => plan.changes.find((c) => c.file === `${HOME}/repository/conf/carbon.xml`)!;

test('shipped carbon.xml: DepSync is already off, the sync step changes none of its bytes', { skip }, async () => {
  const root = await realRoot();
  const withSync = carbonOf(await makePlan(manager(true), root));
  const without = carbonOf(await makePlan(manager(false), root));
  assert.ok(withSync.after.equals(without.after));
  assert.ok(withSync.reasons.some((r) => /DeploymentSynchronizer \(SVN DepSync\) off/.test(r)));
});

test('DepSync turned on: exactly that one line goes back to false, the registry-based sample comment stays', { skip }, async () => {
  const root = await realRoot();
  const file = join(root, HOME, 'repository/conf/carbon.xml');
  const shipped = await readFile(file, 'latin1');
  const on = shipped.replace('<DeploymentSynchronizer>\n        <Enabled>false</Enabled>', '<DeploymentSynchronizer>\n        <Enabled>true</Enabled>');
  assert.notEqual(on, shipped);
  await writeFile(file, on, 'latin1');
  const withSync = carbonOf(await makePlan(manager(true), root));
  const without = carbonOf(await makePlan(manager(false), root));
  // The only difference the sync step makes is that line; the commented-out <Enabled>true in the sample stays.
  assert.equal(withSync.after.toString('latin1'), without.after.toString('latin1').replace('<DeploymentSynchronizer>\n        <Enabled>true</Enabled>', '<DeploymentSynchronizer>\n        <Enabled>false</Enabled>'));
  assert.match(withSync.after.toString('latin1'), /<!--<DeploymentSynchronizer>\n {8}<Enabled>true<\/Enabled>/);
});
