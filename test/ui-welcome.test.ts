// Welcome screen: the home found and how, the version, whether the node is configured;
// asking for the home when none was found; the demo banner and why the demo opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { templatesDir } from '../src/core/demo.js';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply.js';
import { makePlan } from '../src/core/plan.js';
import { DEMO_HOME, demoSandbox, tempDir, treeState } from './helpers.js';
import { flat, KEY, startWizard } from './ui-helpers.js';

const HOME = '/srv/apim/wso2am-2.1.0';

test('a home given with --home: version, not configured yet, no saved answers', async () => {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME });
  const f = await w.waitFor('Found');
  assert.match(f, /Product home +\/opt\/wso2am-2\.1\.0 \(--home\)/);
  assert.match(f, /Found +WSO2 API Manager 2\.1\.0/);
  assert.match(f, /This node +not configured yet/);
  assert.match(f, /Saved answers +none yet/);
  assert.ok(!f.includes('DEMO'), 'no demo banner on a real run');
  await w.press(KEY.enter);
  await w.waitFor('What is this node?');
  await w.unmount();
});

test('a node configured before says as what', async () => {
  const root = await demoSandbox();
  const answers = resolveAnswers({ role: 'worker', productHome: DEMO_HOME, hostName: 'gw.example.com', mgtHostName: 'mgt.example.com', managerIp: '192.0.2.10' });
  await applyPlan(await makePlan(answers, root), { root });
  const w = await startWizard({ root, home: DEMO_HOME });
  const f = await w.waitFor('This node');
  assert.ok(flat(f).includes('This node already configured as a Gateway Worker (carbon.xml HostName gw.example.com)'), f);
  await w.unmount();
});

test('no home found: asks for it, checks the path, then reads the node', async () => {
  // The product unpacked somewhere the search does not look.
  const root = await tempDir();
  await cp(join(templatesDir(), 'demo', DEMO_HOME), join(root, HOME), { recursive: true });
  const before = await treeState(root);
  const w = await startWizard({ root });
  let f = await w.waitFor('Where is wso2am-2.1.0 unpacked?');
  assert.ok(f.includes('No WSO2 API Manager 2.1.0 home was found. Looked in:'));
  assert.ok(f.includes('✖ /opt/wso2am-2.1.0 (a usual install place)'));
  assert.ok(f.includes('✖ /usr/lib/wso2/wso2am/2.1.0 (a usual install place)'));
  assert.ok(flat(f).includes('apim-gateway-wizard --demo'), 'points to the demo');
  await w.type('opt/wso2am');
  await w.press(KEY.enter);
  f = await w.waitFor('✖ opt/wso2am must be an absolute path');
  for (let i = 0; i < 'opt/wso2am'.length; i++) await w.press(KEY.backspace);
  await w.type('/opt/nothing-here');
  await w.press(KEY.enter);
  await w.waitFor('✖ /opt/nothing-here does not exist');
  for (let i = 0; i < '/opt/nothing-here'.length; i++) await w.press(KEY.backspace);
  await w.type(HOME);
  await w.press(KEY.enter);
  f = await w.waitFor('Found');
  assert.match(f, /Product home +\/srv\/apim\/wso2am-2\.1\.0 \(typed in\)/);
  assert.match(f, /Found +WSO2 API Manager 2\.1\.0/);
  await w.unmount();
  assert.deepEqual(await treeState(root), before);
});

test('a wrong --home is shown and offered for correction', async () => {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: '/opt/wso2am-2.0.0' });
  const f = await w.waitFor('Where is');
  assert.ok(f.includes('--home /opt/wso2am-2.0.0 does not exist'));
  assert.ok(f.includes('> /opt/wso2am-2.0.0'), 'the input starts from the flag');
  await w.unmount();
});

test('--demo: a banner on every screen and the reason on the welcome screen', async () => {
  const base = await tempDir();
  const w = await startWizard({ demo: true }, { env: { demoBase: base } });
  const banner = `DEMO — writing under ${join(base, 'apim-gateway-wizard-demo')}`;
  let f = await w.waitFor('Found');
  assert.ok(f.startsWith(` ${banner}`), f);
  assert.ok(f.includes('You asked for the demo sandbox (--demo).'));
  await w.press(KEY.enter);
  f = await w.waitFor('What is this node?');
  assert.ok(f.includes(banner));
  await w.press(KEY.enter);
  f = await w.waitFor('Questions 1/');
  assert.ok(f.includes(banner));
  await w.unmount();
});

test('npm start with no product home says it opened the demo', async () => {
  const base = await tempDir();
  const w = await startWizard({}, { env: { demoBase: base, startedByNpm: true } });
  const f = await w.waitFor('Found');
  assert.ok(f.includes('No WSO2 API-M home was found anywhere, so `npm start` opened the demo sandbox.'), f);
  assert.ok(f.includes('DEMO — writing under'));
  await w.unmount();
});
