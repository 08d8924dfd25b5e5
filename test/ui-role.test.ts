// Role screen: the three roles with what each does; a role whose step core does not have
// says it comes later and stays; the Manager and Worker need a product home, the load
// balancer does not; the role decides the questions; Esc goes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { act, createElement } from 'react';
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { rolePlanned } from '../src/core/node/session.js';
import { RoleScreen } from '../src/ui/screens/Role.js';
import { DEMO_HOME, demoSandbox, tempDir } from './helpers.js';
import { flat, KEY, startWizard } from './ui-helpers.js';

async function atRole(values: Record<string, unknown> = {}) {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME, ...values });
  await w.waitFor('Found');
  await w.press(KEY.enter);
  await w.waitFor('What is this node?');
  return w;
}

test('each role with its one line; a fresh node starts on the Gateway Manager', async () => {
  const w = await atRole();
  const f = flat(w.frame());
  assert.ok(f.includes('Load balancer nginx in front of the manager (management host) and the workers (cluster host)'), f);
  assert.ok(f.includes('❯ Gateway Manager the one node that publishes APIs'));
  assert.ok(f.includes('Gateway Worker serves API traffic; receives deployed artifacts from the manager over rsync'));
  await w.unmount();
});

test('a role core cannot plan yet says so plainly, and another role can be picked', async () => {
  let picked: string | undefined;
  let r!: ReturnType<typeof render>;
  await act(async () => {
    r = render(
    createElement(RoleScreen, {
      width: 80,
      hasHome: true,
      initial: 'load-balancer',
      planned: (role) => role !== 'load-balancer',
      onPick: (role) => (picked = role),
      onBack: () => {},
      onQuit: () => {},
    }),
    );
  });
  const frame = () => flat(stripVTControlCharacters(r.lastFrame() ?? ''));
  const press = (k: string) => act(async () => {
    r.stdin.write(k);
  });
  assert.ok(frame().includes('❯ Load balancer (in a later version)'));
  await press(KEY.enter);
  assert.ok(frame().includes('The load balancer step (nginx) comes in a later version of apim-gateway-wizard'), frame());
  assert.equal(picked, undefined, 'nothing picked');
  await press(KEY.down);
  assert.ok(!frame().includes('later version of'), 'the message goes with the highlight');
  await press(KEY.enter);
  assert.equal(picked, 'manager');
  await act(async () => r.unmount());
});

test('the load balancer, with its step in core: its own questions', async () => {
  assert.ok(rolePlanned('load-balancer'));
  const w = await atRole();
  await w.press(KEY.up, KEY.enter);
  const f = await w.waitFor('Questions 1/');
  assert.match(f, /^Step 1 of 5 · Load balancer · Questions 1\/\d+/);
  assert.match(f, /Self-signed certificate +no +default/);
  // The path is whole (it wraps, never cut), its source after it.
  assert.match(flat(f), /nginx site file +\/etc\/nginx\/sites-available\/\S+ +from nginx -V/);
  assert.ok(!f.includes('Cluster name → address'), 'the manager\'s /etc/hosts question is not asked');
  await w.unmount();
});

test('a worker is asked no worker addresses; a manager is', async () => {
  let w = await atRole();
  await w.press(KEY.down, KEY.enter);
  let f = await w.waitFor('Questions 1/');
  assert.match(f, /^Step 3 of 5 · Gateway Worker · Questions 1\/\d+/, f);
  assert.ok(!f.includes('Worker addresses'));
  assert.ok(f.includes('Manager address'));
  await w.unmount();
  w = await atRole();
  await w.press(KEY.enter);
  f = await w.waitFor('Questions 1/');
  assert.match(f, /^Step 2 of 5 · Gateway Manager · Questions 1\/\d+/);
  assert.ok(f.includes('Worker addresses') && f.includes('Cluster name → address'));
  await w.unmount();
});

test('--role: its questions come next, no role asked; Esc shows the roles with it preselected, then the welcome screen', async () => {
  const w = await startWizard({ root: await demoSandbox(), home: DEMO_HOME, role: 'worker' });
  await w.waitFor('Found');
  await w.press(KEY.enter);
  await w.waitFor('Gateway Worker · Questions 1/');
  await w.press(KEY.esc);
  const f = await w.waitFor('What is this node?');
  assert.ok(f.includes('❯ Gateway Worker'), f);
  await w.press(KEY.esc);
  await w.waitFor('Product home');
  await w.press(KEY.enter);
  await w.waitFor('Gateway Worker · Questions 1/');
  await w.unmount();
});

test('no API-M on this machine: an empty home means the load balancer; Manager and Worker say they need a home', async () => {
  const root = await tempDir(); // no product home anywhere under it
  const w = await startWizard({ root });
  await w.waitFor('Where is wso2am-2.x.0 unpacked?');
  assert.ok(flat(w.frame()).includes('Leave it empty if API-M is not on this machine'));
  await w.press(KEY.enter);
  let f = await w.waitFor('Product home');
  assert.ok(f.includes('none: this machine is the load balancer (nginx only)'));
  await w.waitFor('Saved answers');
  await w.press(KEY.enter);
  f = await w.waitFor('What is this node?');
  assert.ok(f.includes('❯ Load balancer'));
  await w.press(KEY.down, KEY.enter);
  f = flat(await w.waitFor('configured in the API-M home'));
  assert.ok(f.includes('run the wizard again with --home /path/to/wso2am-2.x.0'));
  await w.press(KEY.up, KEY.enter);
  await w.waitFor('Load balancer · Questions 1/');
  await w.unmount();

  // --role load-balancer on such a machine does not ask for a home at all.
  const lb = await startWizard({ root, role: 'load-balancer' });
  f = await lb.waitFor('Product home');
  assert.ok(f.includes('none: this machine is the load balancer'));
  await lb.unmount();
});
