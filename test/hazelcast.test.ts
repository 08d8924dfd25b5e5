// Step 4, Hazelcast in axis2.xml, on the demo product home: only <clustering> changes, in the
// file's own layout; a second plan is empty; off means enable="false" and nothing else;
// not answered means axis2.xml is left alone. Bad member lists are refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnswersError, layerFromFlags, resolveAnswers, type AnswersLayer } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { detectedAnswers, detectNode } from '../src/core/node/detect.js';
import { makePlan, pending } from '../src/core/plan/plan.js';
import { clusteringEdit, readClustering } from '../src/core/steps/hazelcast.js';
import { validateXml } from '../src/core/edit/xml/index.js';
import { DEMO_HOME, demoSandbox, runCli } from './helpers.js';

const AXIS2 = join(DEMO_HOME, 'repository/conf/axis2/axis2.xml');
const base = { productHome: DEMO_HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com' };
const manager = (more: AnswersLayer = {}) =>
  resolveAnswers({ ...base, role: 'manager', managerIp: '10.0.0.10', workerIps: ['10.0.0.21', '10.0.0.22'], hazelcast: true, ...more });
const worker = (more: AnswersLayer = {}) =>
  resolveAnswers({ ...base, role: 'worker', managerIp: '10.0.0.10', hazelcast: true, localMemberHost: '10.0.0.21', ...more });

/** The text outside <clustering>…</clustering>. */
function outside(text: string): string {
  const start = text.indexOf('<clustering ');
  const end = text.indexOf('</clustering>') + '</clustering>'.length;
  return text.slice(0, start) + text.slice(end);
}

const clusteringBlock = (text: string) => text.slice(text.indexOf('    <clustering '), text.indexOf('</clustering>') + '</clustering>'.length);

test('manager: the defaults from the docs, in the file\'s own indentation; only <clustering> changes; a second plan is empty', async () => {
  const root = await demoSandbox();
  const before = await readFile(join(root, AXIS2), 'latin1');
  const plan = await makePlan(manager(), root);
  const change = plan.changes.find((c) => c.file === AXIS2)!;
  assert.equal(change.status, 'change');
  assert.equal(
    change.reasons[0],
    'Hazelcast clustering on: wka, domain wso2.am.domain; this member 10.0.0.10:4500 (subDomain mgt, port mappings 80 → 9763, 443 → 9443, shifted by carbon.xml <Ports><Offset>); members 10.0.0.10:4500, 10.0.0.21:4200, 10.0.0.22:4200',
  );
  await applyPlan(plan, { root });
  const after = await readFile(join(root, AXIS2), 'latin1');
  assert.deepEqual(validateXml(after), { ok: true });
  assert.equal(outside(after), outside(before));
  assert.equal(
    clusteringBlock(after),
    [
      '    <clustering class="org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"',
      '                enable="true">',
      '',
      '        <parameter name="AvoidInitiation">true</parameter>',
      '',
      '        <!-- "multicast" or "wka" (well-known addresses) -->',
      '        <parameter name="membershipScheme">wka</parameter>',
      '',
      '        <!-- The clustering domain/group: nodes of one group form one cluster. -->',
      '        <parameter name="domain">wso2.am.domain</parameter>',
      '',
      '        <parameter name="mcastPort">45564</parameter>',
      '',
      '        <!-- The host name or IP address of this member -->',
      '        <parameter name="localMemberHost">10.0.0.10</parameter>',
      '',
      '        <!-- The TCP port other nodes contact this member on -->',
      '        <parameter name="localMemberPort">4500</parameter>',
      '',
      '        <parameter name="properties">',
      '            <property name="backendServerURL" value="https://${hostName}:${httpsPort}/services/"/>',
      '            <property name="mgtConsoleURL" value="https://${hostName}:${httpsPort}/"/>',
      '            <property name="subDomain" value="mgt"/>',
      '            <property name="port.mapping.80" value="9763"/>',
      '            <property name="port.mapping.443" value="9443"/>',
      '        </parameter>',
      '',
      '        <!-- The static or well-known members, used with membershipScheme "wka" -->',
      '        <members>',
      '            <member>',
      '                <hostName>10.0.0.10</hostName>',
      '                <port>4500</port>',
      '            </member>',
      '            <member>',
      '                <hostName>10.0.0.21</hostName>',
      '                <port>4200</port>',
      '            </member>',
      '            <member>',
      '                <hostName>10.0.0.22</hostName>',
      '                <port>4200</port>',
      '            </member>',
      '        </members>',
      '',
      '        <groupManagement enable="false">',
      '            <applicationDomain name="wso2.apim.domain"',
      '                               description="APIM group"',
      '                               agent="org.wso2.carbon.core.clustering.hazelcast.HazelcastGroupManagementAgent"',
      '                               subDomain="worker"',
      '                               port="2222"/>',
      '        </groupManagement>',
      '    </clustering>',
    ].join('\n'),
  );
  assert.equal(pending(await makePlan(manager(), root)).length, 0);
  // Read back as the defaults of a re-run.
  const layer = detectedAnswers(await detectNode(DEMO_HOME, root));
  assert.deepEqual(
    [layer.hazelcast, layer.hazelcastDomain, layer.localMemberHost, layer.localMemberPort, layer.hazelcastMembers],
    [true, 'wso2.am.domain', '10.0.0.10', 4500, ['10.0.0.10:4500', '10.0.0.21:4200', '10.0.0.22:4200']],
  );
});

test('manager with a port offset: the port mappings name the shifted servlet ports', async () => {
  const root = await demoSandbox();
  const carbon = join(root, DEMO_HOME, 'repository/conf/carbon.xml');
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Offset>0</Offset>', '<Offset>3</Offset>'), 'latin1');
  await applyPlan(await makePlan(manager(), root), { root });
  const state = readClustering(await readFile(join(root, AXIS2), 'latin1'))!;
  assert.equal(state.properties.get('port.mapping.80'), '9766');
  assert.equal(state.properties.get('port.mapping.443'), '9446');
  assert.equal(pending(await makePlan(manager(), root)).length, 0);
  // The offset changed later: the next plan moves the mappings with it.
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Offset>3</Offset>', '<Offset>0</Offset>'), 'latin1');
  const diff = (await makePlan(manager(), root)).changes.find((c) => c.file === AXIS2)!.diff;
  assert.match(diff, /^-\s*<property name="port\.mapping\.443" value="9446"\/>$/m);
  assert.match(diff, /^\+\s*<property name="port\.mapping\.443" value="9443"\/>$/m);
});

test('worker: subDomain worker, port 4200, the manager and itself as members, no port mappings', async () => {
  const root = await demoSandbox();
  await applyPlan(await makePlan(worker(), root), { root });
  const c = readClustering(await readFile(join(root, AXIS2), 'latin1'))!;
  assert.equal(c.enabled, true);
  assert.equal(c.membershipScheme, 'wka');
  assert.equal(c.localMemberHost, '10.0.0.21');
  assert.equal(c.localMemberPort, '4200');
  assert.deepEqual([...c.properties], [
    ['backendServerURL', 'https://${hostName}:${httpsPort}/services/'],
    ['mgtConsoleURL', 'https://${hostName}:${httpsPort}/'],
    ['subDomain', 'worker'],
  ]);
  assert.deepEqual(c.members, ['10.0.0.10:4500', '10.0.0.21:4200']);
  assert.equal(pending(await makePlan(worker(), root)).length, 0);
});

test('a manager whose proxy port changed: the old mapping is commented out, the new one added; members given by hand, IPv6 too', async () => {
  const root = await demoSandbox();
  await applyPlan(await makePlan(manager(), root), { root });
  const members = ['10.0.0.10:4500', '[2001:db8::21]:4200'];
  const plan = await makePlan(manager({ proxyHttpPort: 8080, hazelcastMembers: members }), root);
  const diff = plan.changes.find((c) => c.file === AXIS2)!.diff;
  const changed = diff.split('\n').filter((l) => /^[+-] /.test(l));
  assert.deepEqual(changed, [
    '-            <property name="port.mapping.80" value="9763"/>',
    '+            <!--property name="port.mapping.80" value="9763"/-->',
    '+            <property name="port.mapping.8080" value="9763"/>',
    '-                <hostName>10.0.0.21</hostName>',
    '+                <hostName>2001:db8::21</hostName>',
    '-            <member>',
    '-                <hostName>10.0.0.22</hostName>',
    '-                <port>4200</port>',
    '-            </member>',
  ]);
  await applyPlan(plan, { root });
  assert.deepEqual(readClustering(await readFile(join(root, AXIS2), 'latin1'))!.members, members);
  // Back to port 80: the commented-out mapping is uncommented, not duplicated.
  await applyPlan(await makePlan(manager({ hazelcastMembers: members }), root), { root });
  const text = await readFile(join(root, AXIS2), 'latin1');
  assert.equal(text.match(/port\.mapping\.80"/g)?.length, 1);
  assert.match(text, /<!--property name="port\.mapping\.8080" value="9763"\/-->/);
});

test('off: enable="false" and nothing else; not answered: axis2.xml is not part of the plan', async () => {
  const root = await demoSandbox();
  await applyPlan(await makePlan(manager(), root), { root });
  const on = await readFile(join(root, AXIS2), 'latin1');
  const plan = await makePlan(manager({ hazelcast: false }), root);
  const change = plan.changes.find((c) => c.file === AXIS2)!;
  assert.equal(change.reasons[0], 'Hazelcast clustering off (enable="false")');
  assert.deepEqual(change.diff.split('\n').filter((l) => /^[+-] /.test(l)), ['-                enable="true">', '+                enable="false">']);
  assert.equal(clusteringEdit(on, manager({ hazelcast: false })), on.replace('enable="true">', 'enable="false">'));

  const unanswered = resolveAnswers({ ...base, role: 'manager', workerIps: ['10.0.0.21'] });
  assert.equal((await makePlan(unanswered, root)).changes.some((c) => c.file === AXIS2), false);
});

test('bad input names the field and changes nothing: members, the local member, a file without <clustering>', async () => {
  const problems = (layer: AnswersLayer) => {
    try {
      resolveAnswers(layer);
      return [];
    } catch (e) {
      return (e as AnswersError).problems;
    }
  };
  assert.deepEqual(problems({ ...base, role: 'worker', managerIp: '10.0.0.10', hazelcast: true }), [
    "localMemberHost is required for role worker (with hazelcast: axis2.xml localMemberHost, the address other nodes reach this one on (default on the manager: managerIp))",
  ]);
  assert.deepEqual(problems({ ...base, role: 'worker', managerIp: '10.0.0.10', hazelcast: true, localMemberHost: '10.0.0.21', hazelcastMembers: ['10.0.0.10', '2001:db8::1:4200', '10.0.0.10:70000', 'a:1'] }), [
    'answers: hazelcastMembers[0] "10.0.0.10" is not IP:port (write an IPv6 address as [addr]:port)',
    'answers: hazelcastMembers[1] "2001:db8::1:4200" is not IP:port (write an IPv6 address as [addr]:port)',
    'answers: hazelcastMembers[2] "10.0.0.10:70000": the port must be a whole number from 1 to 65535',
    'answers: hazelcastMembers[3] "a:1": a is not an IP address',
  ]);
  assert.deepEqual(problems({ ...manager(), hazelcastMembers: ['10.0.0.10:4500', '10.0.0.10:4500'] }), ['answers: hazelcastMembers lists 10.0.0.10:4500 twice']);
  // The manager's saved answers carried to a worker: its own address and port would be the manager's.
  const carried = { ...manager(), role: 'worker' as const };
  assert.deepEqual(problems(carried), [
    "localMemberHost is the manager's address 10.0.0.10; on a worker it is this worker's own address",
  ]);
  assert.deepEqual(problems({ ...carried, localMemberHost: '10.0.0.21' }), [
    'hazelcastMembers lists this node as 10.0.0.21:4200, but localMemberPort is 4500; the other members would look for it on the wrong port',
  ]);
  assert.deepEqual(layerFromFlags({ hazelcast: 'yes', 'hazelcast-members': ['10.0.0.10:4500, [::1]:4200'] }), { hazelcast: true, hazelcastMembers: ['10.0.0.10:4500', '[::1]:4200'] });

  const root = await demoSandbox();
  const answers = join(root, 'a.json');
  await import('node:fs/promises').then((fs) => fs.writeFile(answers, JSON.stringify({ role: 'manager', ...base, workerIps: ['10.0.0.21'], hazelcast: true, managerIp: '10.0.0.10', localMemberPort: 'x' })));
  const r = runCli(['plan', '--answers', answers, '--root', root]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /localMemberPort must be a number/);
  assert.throws(() => clusteringEdit('<axisconfig name="x"><parameter name="a">b</parameter></axisconfig>', manager()), /\/axisconfig\/clustering not found/);
});
