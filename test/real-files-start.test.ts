// Steps 4 and 5 on the real, byte-exact API-M 2.1.0 files and start-up logs from
// ../shared/fixtures (read-only; copied into a temp root per test). Skipped with a reason when
// the folder is missing, except under CI=true, where a missing folder fails the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { makePlan, pending } from '../src/core/plan/plan.js';
import { FileFollower } from '../src/core/run/server/follow.js';
import { nodePorts } from '../src/core/run/server/ports.js';
import { StartupWatch } from '../src/core/run/server/watch.js';
import { readClustering } from '../src/core/steps/hazelcast.js';
import { decodeText } from '../src/core/edit/textfile.js';
import { validateXml } from '../src/core/edit/xml/index.js';
import { tempDir } from './helpers.js';
import { HOME, LOGS, realFilesSuite, realRoot } from './real-fixtures.js';
import { until } from './server-helpers.js';

const skip = realFilesSuite('real-files start suite');

const base = { productHome: HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '10.0.0.10' };
const AXIS2 = join(HOME, 'repository/conf/axis2/axis2.xml');
const API_MANAGER = join(HOME, 'repository/conf/api-manager.xml');

/** axis2.xml without its <clustering> element. */
function outsideClustering(text: string): string {
  const start = text.indexOf('    <clustering class=');
  const end = text.indexOf('</clustering>') + '</clustering>'.length;
  assert.ok(start > 0 && end > start);
  return text.slice(0, start) + text.slice(end);
}

for (const [role, answers] of [
  ['manager', () => resolveAnswers({ ...base, role: 'manager', workerIps: ['10.0.0.21', '10.0.0.22'], hazelcast: true })],
  ['worker', () => resolveAnswers({ ...base, role: 'worker', hazelcast: true, localMemberHost: '10.0.0.21' })],
] as const) {
  test(`the real axis2.xml, ${role} with Hazelcast: re-parses, only <clustering> changes, a second plan is empty`, { skip }, async () => {
    const root = await realRoot();
    const path = join(root, AXIS2);
    const before = await readFile(path);
    await applyPlan(await makePlan(answers(), root), { root });
    const after = await readFile(path);
    const text = decodeText(after, path).text;
    assert.deepEqual(validateXml(text), { ok: true });
    // ISO-8859-1 declared, every byte outside <clustering> kept.
    assert.equal(outsideClustering(after.toString('latin1')), outsideClustering(before.toString('latin1')));
    const c = readClustering(text)!;
    assert.equal(c.enabled, true);
    assert.equal(c.membershipScheme, 'wka');
    assert.equal(c.domain, 'wso2.am.domain');
    assert.equal(c.localMemberPort, role === 'manager' ? '4500' : '4200');
    assert.equal(c.properties.get('subDomain'), role === 'manager' ? 'mgt' : 'worker');
    assert.equal(c.properties.get('port.mapping.80'), role === 'manager' ? '9763' : undefined);
    assert.deepEqual(c.members, role === 'manager' ? ['10.0.0.10:4500', '10.0.0.21:4200', '10.0.0.22:4200'] : ['10.0.0.10:4500', '10.0.0.21:4200']);
    // The commented-out sample parameters around it are untouched.
    assert.match(text, /<!--<parameter name="licenseKey">xxx<\/parameter>-->/);
    assert.equal(pending(await makePlan(answers(), root)).length, 0);
  });
}

test('the real api-manager.xml: lines 621 and 628 of the JMS publisher block change, nothing else', { skip }, async () => {
  const root = await realRoot();
  const plan = await makePlan(resolveAnswers({ ...base, role: 'worker' }), root);
  const diff = plan.changes.find((c) => c.file === API_MANAGER)!.diff;
  assert.deepEqual(diff.split('\n').filter((l) => /^(@@|[+-] )/.test(l)), [
    '@@ -618,14 +618,14 @@',
    '-        <JMSEventPublisherParameters>',
    '+        <!--JMSEventPublisherParameters>',
    '-        </JMSEventPublisherParameters>',
    '+        </JMSEventPublisherParameters-->',
  ]);
  await applyPlan(plan, { root });
  assert.deepEqual(validateXml(await readFile(join(root, API_MANAGER), 'utf8')), { ok: true });
});

const logs = skip ? [] : readdirSync(LOGS).sort();
for (const name of logs) {
  test(`the real log ${name}, replayed as it was written: ready at its "WSO2 Carbon started" line`, { skip }, async (t) => {
    const lines = readFileSync(join(LOGS, name), 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // The right line, found independently of the watcher: the last "started in" of the file.
    const expected = lines.map((l) => / - {2}WSO2 Carbon started in \d+ sec /.test(l)).lastIndexOf(true) + 1;
    assert.ok(expected > 0);
    const seconds = Number(/started in (\d+) sec/.exec(lines[expected - 1]!)![1]);
    const url = /Mgt Console URL {2}: (\S+)/.exec(lines.slice(expected).join('\n'))![1];

    const file = join(await tempDir(), 'wso2carbon.log');
    await writeFile(file, '');
    const watch = new StartupWatch(nodePorts('manager', 0));
    const follower = new FileFollower(file, { pollMs: 10, onLines: (l) => watch.push(l) });
    await follower.start();
    t.after(() => follower.close());
    // Written in bursts of a few lines, the way log4j flushes.
    for (let i = 0; i < lines.length; i += 7) {
      await appendFile(file, lines.slice(i, i + 7).join('\n') + '\n');
      if (watch.readyInfo?.consoleUrl) break;
    }
    await until(() => watch.readyInfo?.consoleUrl !== undefined, 'readiness with the console URL');
    assert.equal(watch.failure, undefined);
    assert.equal(watch.readyInfo!.line.n, expected);
    assert.equal(watch.readyInfo!.carbonSeconds, seconds);
    assert.equal(watch.readyInfo!.consoleUrl, url);
    assert.equal(watch.readyInfo!.consoleUrl, 'https://172.17.0.1:9443/carbon/');
    assert.equal(watch.startedAt?.text.includes('Starting WSO2 Carbon...'), true);
  });
}

test('the real logs name their ready lines where a reader of the file finds them', { skip }, () => {
  const at = (name: string) => readFileSync(join(LOGS, name), 'utf8').split('\n').findIndex((l) => l.includes('WSO2 Carbon started in')) + 1;
  assert.equal(at('wso2am-2.1.0_first-start_wso2carbon.log.2017-04-30'), 263);
  assert.equal(at('wso2am-2.1.0_shutdown-restart_wso2carbon.log.2017-05-03'), 406);
});

test('the real restart log: degraded from the second "Failed retrieving throttling data … Retrying", ready at its line, still degraded; the first start never is', { skip }, () => {
  const read = (name: string) => {
    const lines = readFileSync(join(LOGS, name), 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  };
  const lines = read('wso2am-2.1.0_shutdown-restart_wso2carbon.log.2017-05-03');
  // Found independently of the watcher: the retried throttling warnings of the last run, before its ready line.
  const ready = lines.findIndex((l) => l.includes(' -  WSO2 Carbon started in ')) + 1;
  const lastStart = lines.map((l) => l.includes(' -  Starting WSO2 Carbon...')).lastIndexOf(true) + 1;
  const retries = lines
    .map((l, i) => ({ l, n: i + 1 }))
    .filter(({ l, n }) => n > lastStart && n < ready && /KeyTemplateRetriever\} - {2}Failed retrieving throttling data .*Retrying after 15 seconds/.test(l))
    .map(({ n }) => n);
  assert.ok(retries.length >= 2, `retries in the real log: ${retries}`);

  const watch = new StartupWatch(nodePorts('manager', 0));
  const events = [...watch.push(lines), ...watch.flush()];
  const degraded = events.filter((e) => e.type === 'milestone' && e.milestone === 'degraded');
  // The first "degraded" comes with the second retry; each one after it is counted.
  assert.equal(degraded[0]?.type === 'milestone' && degraded[0].line.n, retries[1]);
  assert.equal(watch.readyInfo?.line.n, ready);
  assert.equal(watch.failure, undefined);
  assert.equal(watch.degraded?.logger, 'org.wso2.carbon.apimgt.gateway.throttling.util.KeyTemplateRetriever');
  assert.equal(watch.degraded?.first.n, retries[0]);
  assert.ok(watch.degraded!.count > retries.length, 'it goes on retrying after the ready line too');
  assert.match(watch.degraded!.message, /^Failed retrieving throttling data from remote endpoint: Connection refused \(Connection refused\)\. Retrying after 15 seconds\.\.\.$/);

  const first = new StartupWatch(nodePorts('manager', 0));
  first.push(read('wso2am-2.1.0_first-start_wso2carbon.log.2017-04-30'));
  assert.ok(first.readyInfo);
  assert.equal(first.degraded, undefined, 'a start without retries is not degraded');
});
