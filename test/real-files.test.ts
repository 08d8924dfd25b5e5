// The real, byte-exact WSO2 API-M 2.1.0 files from ../shared/fixtures (read-only; copied
// into a temp root per test). Skipped with a reason when the folder is missing, except
// under CI=true, where a missing folder fails the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { detectNode } from '../src/core/node/detect.js';
import { listed, makePlan, pending } from '../src/core/plan/plan.js';
import { decodeText } from '../src/core/edit/textfile.js';
import { validateXml } from '../src/core/edit/xml/index.js';
import { runCli } from './helpers.js';
import { HOME, realFilesSuite, realRoot } from './real-fixtures.js';

const skip = realFilesSuite('real-files suite');

const manager = () =>
  resolveAnswers({ role: 'manager', productHome: HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', workerIps: ['10.0.0.21'] });
const worker = () =>
  resolveAnswers({ role: 'worker', productHome: HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '10.0.0.10' });

// The exact hunks of manager and worker plans on these files (and on every other release):
// test/real-files-releases.test.ts.

test('apply on the real files: every other byte kept, results re-parse, modes survive, plan after apply is empty', { skip }, async () => {
  const root = await realRoot();
  const carbonPath = join(root, HOME, 'repository/conf/carbon.xml');
  await chmod(carbonPath, 0o600);
  const original = await readFile(carbonPath);
  await applyPlan(await makePlan(manager(), root), { root });
  const now = await readFile(carbonPath);
  assert.equal((await stat(carbonPath)).mode & 0o777, 0o600);
  // Same bytes once the two edited lines are put back: tabs, trailing spaces, ISO-8859-1 kept.
  const restored = now
    .toString('latin1')
    .replace('    <HostName>am.wso2.com</HostName>', '    <!--HostName>www.wso2.org</HostName-->')
    .replace('    <MgtHostName>mgt.am.wso2.com</MgtHostName>', '    <!--MgtHostName>mgt.wso2.org</MgtHostName-->');
  assert.ok(Buffer.from(restored, 'latin1').equals(original));
  for (const f of ['carbon.xml', 'tomcat/catalina-server.xml']) {
    const text = decodeText(await readFile(join(root, HOME, 'repository/conf', f)), f).text;
    assert.deepEqual(validateXml(text), { ok: true });
  }
  assert.equal(pending(await makePlan(manager(), root)).length, 0);
  const d = await detectNode(HOME, root);
  assert.equal(d.looksLike, 'manager');
});

test('values already in the files: nothing to change', { skip }, async () => {
  const root = await realRoot();
  const conf = join(root, HOME, 'repository/conf');
  const carbon = await readFile(join(conf, 'carbon.xml'), 'latin1');
  await writeFile(join(conf, 'carbon.xml'), carbon.replace('<!--HostName>www.wso2.org</HostName-->', '<HostName>am.wso2.com</HostName>'), 'latin1');
  const catalina = await readFile(join(conf, 'tomcat/catalina-server.xml'), 'utf8');
  await writeFile(
    join(conf, 'tomcat/catalina-server.xml'),
    catalina.replace('port="9763"', 'port="9763" proxyPort="80"').replace('port="9443"', 'port="9443" proxyPort="443"'),
  );
  const plan = await makePlan(worker(), root);
  // /etc/hosts and api-manager.xml (step 5) still change (and so, unlisted, the saved answers).
  assert.deepEqual(listed(plan).map((c) => c.status), ['unchanged', 'unchanged', 'change', 'change']);
});

test('the CLI on the real files: plan exit 2, apply, plan exit 0', { skip }, async () => {
  const root = await realRoot();
  const answers = join(root, 'manager.json');
  await writeFile(answers, JSON.stringify({ role: 'manager', productHome: HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', workerIps: ['10.0.0.21'] }));
  assert.equal(runCli(['plan', '--answers', answers, '--root', root]).code, 2);
  assert.equal(runCli(['apply', '--answers', answers, '--root', root, '--yes']).code, 0);
  const r = runCli(['plan', '--answers', answers, '--root', root]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Nothing to change/);
});
