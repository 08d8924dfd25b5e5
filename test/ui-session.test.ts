// The wizard's start: finding the product home, the demo rule, where each pre-filled value
// comes from, and the command printed for the next node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findProductHome } from '../src/core/node/home.js';
import { prefill, questionFields, type SourcedLayer } from '../src/core/answers/prefill.js';
import { answerLayers, nextNodeCommand, prepareWizard } from '../src/core/node/session.js';
import { commandWords } from '../src/core/node/invocation.js';
import { fieldByKey, type FieldSpec } from '../src/core/answers/schema.js';
import { templatesDir } from '../src/core/node/demo.js';
import { RELEASES } from '../src/core/node/release.js';
import { AnswersError } from '../src/core/answers/load.js';
import { DEMO_HOME, tempDir } from './helpers.js';
import { testEnv } from './ui-helpers.js';

/** A root holding product homes (just carbon.xml) at the given paths. */
async function rootWithHomes(...homes: string[]): Promise<string> {
  const root = await tempDir();
  for (const home of homes) {
    await mkdir(join(root, home, 'repository/conf'), { recursive: true });
    await cp(join(templatesDir(), 'demo', DEMO_HOME, 'repository/conf/carbon.xml'), join(root, home, 'repository/conf/carbon.xml'));
  }
  return root;
}

test('home search order: answers file, $CARBON_HOME, current directory, usual places, ~/wso2am-<release>; every release, newest first', async () => {
  const newestFirst = [...RELEASES].reverse();
  const usual = ['/opt/wso2am-', '/usr/lib/wso2/wso2am/', '/home/admin/wso2am-'].flatMap((p) => newestFirst.map((r) => `${p}${r}`));
  assert.equal(usual[0], '/opt/wso2am-2.6.0');
  assert.ok(usual.includes('/usr/lib/wso2/wso2am/2.0.0') && usual.includes('/home/admin/wso2am-2.2.0'));
  const all = ['/srv/from-answers', '/srv/carbon-home', '/srv/cwd', ...usual];
  const hints = { answersFile: all[0], carbonHome: all[1], cwd: all[2]!, userHome: '/home/admin' };
  const sources = ['the answers file', '$CARBON_HOME', 'the current directory', ...usual.map(() => 'a usual install place')];
  for (let i = 0; i < all.length; i++) {
    const root = await rootWithHomes(...all.slice(i));
    const found = await findProductHome({ ...hints, root });
    assert.equal(found.home, all[i]);
    assert.equal(found.source, sources[i]);
    assert.deepEqual(found.tried.map((t) => t.found), [...Array(i).fill(false), true]);
  }
  const none = await findProductHome({ ...hints, root: await rootWithHomes() });
  assert.equal(none.home, undefined);
  assert.equal(none.tried.length, all.length);
});

test('an explicit --home that is not a product home stops the search and says why', async () => {
  const root = await rootWithHomes('/opt/wso2am-2.1.0');
  const wrong = await findProductHome({ flag: '/opt/other', cwd: '/', root });
  assert.equal(wrong.home, undefined);
  assert.equal(wrong.problem, '--home /opt/other does not exist');
  await mkdir(join(root, '/opt/empty'));
  assert.match((await findProductHome({ flag: '/opt/empty', cwd: '/', root })).problem!, /has no repository\/conf\/carbon.xml; is it the wso2am-2\.x\.0 directory\?/);
  // A relative --home is taken from the current directory.
  const relative = await findProductHome({ flag: 'wso2am-2.1.0', cwd: '/opt', root });
  assert.deepEqual([relative.home, relative.source], ['/opt/wso2am-2.1.0', '--home']);
});

test('npm start with no product home anywhere opens the demo sandbox; a plain run asks instead', async () => {
  const base = await tempDir();
  const env = testEnv({ startedByNpm: true, demoBase: base });
  const demo = await prepareWizard({}, env);
  assert.equal(demo.root, join(base, 'apim-gateway-wizard-demo'));
  assert.deepEqual(demo.demo, { reason: 'npm start found no product home', node: 'manager', base });
  assert.equal(demo.home.home, DEMO_HOME);

  const plain = await prepareWizard({}, testEnv({ demoBase: base }));
  assert.equal(plain.demo, undefined);
  assert.equal(plain.home.home, undefined);

  // --root is a rehearsal of a real node: never swapped for the demo.
  const rehearsal = await prepareWizard({ root: await tempDir() }, env);
  assert.equal(rehearsal.demo, undefined);

  await assert.rejects(prepareWizard({ demo: true, root: '/tmp' }, env), AnswersError);
  const asked = await prepareWizard({ demo: true }, env);
  assert.deepEqual(asked.demo, { reason: '--demo', node: 'manager', base });
  // --demo-node: another sandbox of the same cluster, beside the manager's.
  const worker = await prepareWizard({ 'demo-node': 'worker-2' }, env);
  assert.deepEqual([worker.root, worker.demo], [join(base, 'apim-gateway-wizard-demo-worker-2'), { reason: '--demo', node: 'worker-2', base }]);
  await assert.rejects(prepareWizard({ 'demo-node': 'worker-3' }, env), /--demo-node: "worker-3" is not a node of the demo cluster \(manager, worker-1, worker-2, load-balancer\)/);
});

test('pre-fill: the first layer that has a value wins, then docs example, default, derived', () => {
  const f = (k: string) => fieldByKey(k)!;
  const layers: SourcedLayer[] = [
    { layer: { hostName: 'flag.example.com' }, label: (x: FieldSpec) => `--${x.flag}` },
    { layer: { hostName: 'file.example.com', managerIp: '192.0.2.1' }, label: () => '--answers file' },
    { layer: { managerIp: '192.0.2.2', proxyHttpPort: 8080 }, label: () => 'from disk' },
  ];
  assert.deepEqual(prefill(f('hostName'), layers, {}), { value: 'flag.example.com', source: '--host-name' });
  assert.deepEqual(prefill(f('managerIp'), layers, {}), { value: '192.0.2.1', source: '--answers file' });
  assert.deepEqual(prefill(f('proxyHttpPort'), layers, {}), { value: 8080, source: 'from disk' });
  assert.deepEqual(prefill(f('mgtHostName'), layers, {}), { value: 'mgt.am.wso2.com', source: 'docs example' });
  assert.deepEqual(prefill(f('proxyHttpsPort'), layers, {}), { value: 443, source: 'default' });
  assert.deepEqual(prefill(f('clusterHostIp'), layers, { workerIps: ['192.0.2.9'] }), { value: '192.0.2.9', source: 'default: the first worker' });
  assert.equal(prefill(f('workerIps'), layers, {}), undefined);
});

test('questions per role, and the order of the answers layers', async () => {
  const worker = questionFields('worker').map((f) => f.key);
  const manager = questionFields('manager').map((f) => f.key);
  assert.deepEqual(worker.slice(0, 5), ['hostName', 'mgtHostName', 'managerIp', 'proxyHttpPort', 'proxyHttpsPort']);
  assert.deepEqual(manager.slice(0, 7), ['hostName', 'mgtHostName', 'managerIp', 'workerIps', 'clusterHostIp', 'proxyHttpPort', 'proxyHttpsPort']);
  for (const asked of [worker, manager]) assert.ok(!asked.includes('role') && !asked.includes('productHome'), 'settled before the questions');
  assert.ok(!worker.includes('workerIps') && !worker.includes('clusterHostIp'));
  const inputs = { flags: { role: 'worker' }, answersFile: { path: '/a.json', layer: { role: 'manager' } }, home: { tried: [] } };
  const node = {
    home: '/h',
    detected: { problems: [] },
    detectedLayer: { hostName: 'disk' },
    nginxLayer: {},
    saved: { file: '/var/lib/apim-gateway-wizard/nodes/h-1/answers.json', layer: { hostName: 'saved.manager' } },
    savedWithoutHome: { file: '/var/lib/apim-gateway-wizard/nodes/load-balancer/answers.json', layer: { hostName: 'saved.lb' } },
  };
  const layers = answerLayers(inputs, node, 'manager');
  assert.deepEqual(layers.map((l) => l.label(fieldByKey('hostName')!)), ['--host-name', '--answers file', 'from carbon.xml', 'from nginx -V / the nginx directories', 'saved answers']);
  // Each role starts from what its own last apply saved: the load balancer keeps its answers outside any product home.
  assert.equal(layers.at(-1)!.layer.hostName, 'saved.manager');
  assert.equal(answerLayers(inputs, node, 'load-balancer').at(-1)!.layer.hostName, 'saved.lb');
});

test('the next node command: the saved answers with --role worker, --demo or --root kept, quoted for the shell', () => {
  const home = { tried: [] };
  assert.equal(
    nextNodeCommand('/var/lib/apim-gateway-wizard/nodes/wso2am-2.1.0-0123456789ab/answers.json', { flags: {}, home }),
    'apim-gateway-wizard --answers /var/lib/apim-gateway-wizard/nodes/wso2am-2.1.0-0123456789ab/answers.json --role worker',
  );
  const demo = (node: 'manager' | 'worker-1' | 'worker-2' | 'load-balancer') => ({ flags: {}, home, root: `/tmp/${node}`, demo: { reason: '--demo', node, base: '/tmp' } });
  // The demo: the next sandbox of the cluster, with the role of that node, whatever role this one had.
  assert.equal(nextNodeCommand('/tmp/d/a.json', demo('manager'), 'manager'), 'apim-gateway-wizard --demo-node worker-1 --answers /tmp/d/a.json --role worker');
  assert.equal(nextNodeCommand('/tmp/d/a.json', demo('worker-1'), 'worker'), 'apim-gateway-wizard --demo-node worker-2 --answers /tmp/d/a.json --role worker');
  assert.equal(nextNodeCommand('/tmp/d/a.json', demo('worker-2'), 'worker'), 'apim-gateway-wizard --demo-node load-balancer --answers /tmp/d/a.json --role load-balancer');
  assert.equal(nextNodeCommand('/tmp/d/a.json', demo('load-balancer'), 'load-balancer'), undefined);
  assert.equal(nextNodeCommand("/srv/my home/it's.json", { flags: {}, home, root: '/srv/r' }), `apim-gateway-wizard --root /srv/r --answers '/srv/my home/it'\\''s.json' --role worker`);
});

test('the next node in WSO2\'s order: manager → worker → load balancer → none; started as this wizard was', () => {
  const home = { tried: [] };
  assert.equal(nextNodeCommand('/a.json', { flags: {}, home }, 'worker'), 'apim-gateway-wizard --answers /a.json --role load-balancer');
  assert.equal(nextNodeCommand('/a.json', { flags: {}, home }, 'load-balancer'), undefined);
  const started = commandWords({ script: '/home/admin/apim gateway/bin/apim-gateway-wizard.js', execPath: '/usr/bin/node', sea: false, path: '/usr/bin' });
  assert.equal(nextNodeCommand('/a.json', { flags: {}, home, command: started }, 'manager'), `node '/home/admin/apim gateway/bin/apim-gateway-wizard.js' --answers /a.json --role worker`);
});

test('how the wizard was started: the installed name when the shell finds it, npx, the executable, node and the script', () => {
  const base = { execPath: '/usr/bin/node', sea: false, path: '/usr/local/sbin:/usr/local/bin:/usr/bin' };
  assert.deepEqual(commandWords({ ...base, script: '/usr/local/bin/apim-gateway-wizard' }), ['apim-gateway-wizard']);
  // The same name, not on the PATH: by its path.
  assert.deepEqual(commandWords({ ...base, script: '/opt/tools/apim-gateway-wizard' }), ['node', '/opt/tools/apim-gateway-wizard']);
  assert.deepEqual(commandWords({ ...base, script: '/srv/w/bin/apim-gateway-wizard.js' }), ['node', '/srv/w/bin/apim-gateway-wizard.js']);
  assert.deepEqual(commandWords({ ...base, script: '/root/apim-gateway-wizard.cjs' }), ['node', '/root/apim-gateway-wizard.cjs']);
  assert.deepEqual(commandWords({ ...base, script: '/root/.npm/_npx/1/node_modules/.bin/apim-gateway-wizard', npmCommand: 'exec' }), ['npx', 'apim-gateway-wizard']);
  assert.deepEqual(commandWords({ ...base, sea: true, execPath: '/usr/local/bin/apim-gateway-wizard', script: '/usr/local/bin/apim-gateway-wizard' }), ['apim-gateway-wizard']);
  assert.deepEqual(commandWords({ ...base, sea: true, execPath: '/root/dist/apim-gateway-wizard' }), ['/root/dist/apim-gateway-wizard']);
  assert.deepEqual(commandWords({ ...base }), ['apim-gateway-wizard']);
});
