// Welcome screen: the home found and how, the release (where it was read, what disagrees),
// whether the node is configured; asking for the home when none was found; the demo banner
// and why the demo opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { templatesDir } from '../src/core/node/demo.js';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { makePlan } from '../src/core/plan/plan.js';
import { DEMO_HOME, demoSandbox, tempDir, treeState } from './helpers.js';
import { flat, frameFits, KEY, startWizard } from './ui-helpers.js';
import { bare } from './screen-helpers.js';

const HOME = '/srv/apim/wso2am-2.1.0';

test('a home given with --home: version, not configured yet, no saved answers', async () => {
  const root = await demoSandbox();
  const w = await startWizard({ root, home: DEMO_HOME });
  const f = await w.waitFor('Found');
  assert.match(f, /Product home +\/opt\/wso2am-2\.1\.0 \(--home\)/);
  assert.match(f, /Found +WSO2 API Manager 2\.1\.0/);
  assert.match(f, /Release +API-M 2\.1\.0 \(read from carbon\.xml <Version> 2\.1\.0\)/);
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
  let f = await w.waitFor('Where is wso2am-2.x.0 unpacked?');
  assert.ok(f.includes('No WSO2 API Manager 2.x home was found. Looked in:'));
  // Looked up for every release, said once per place.
  assert.ok(f.includes('✖ /opt/wso2am-2.x.0 (usual install places, 2.0.0 to 2.6.0)'), f);
  assert.ok(f.includes('✖ /usr/lib/wso2/wso2am/2.x.0 (usual install places, 2.0.0 to 2.6.0)'), f);
  assert.ok(!f.includes('/opt/wso2am-2.6.0'), 'one line per place, not per release');
  assert.ok(flat(f).includes('apim-gateway-wizard --demo'), 'points to the demo');
  assert.equal(frameFits(f), undefined, f);
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
  assert.ok(bare(f).startsWith(bare(banner)), f);
  assert.ok(f.includes('You asked for the demo sandbox (--demo).'));
  await w.press(KEY.enter);
  f = await w.waitFor('What is this node?');
  assert.ok(bare(f).includes(bare(banner)));
  await w.press(KEY.enter);
  f = await w.waitFor('Questions 1/');
  assert.ok(bare(f).includes(bare(banner)));
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

/** A small product home of our own: carbon.xml with <Version>, the Tomcat file, and the given extra files. */
async function homeSaying(root: string, home: string, version: string, extra: Record<string, string> = {}): Promise<void> {
  const files: Record<string, string> = {
    'repository/conf/carbon.xml': `<?xml version="1.0" encoding="ISO-8859-1"?>\n<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">\n  <Name>WSO2 API Manager</Name>\n  <Version>${version}</Version>\n  <!--HostName>www.wso2.org</HostName-->\n</Server>\n`,
    'repository/conf/tomcat/catalina-server.xml': '<Server><Service name="Catalina"><Connector port="9763"/><Connector port="9443"/></Service></Server>\n',
    ...extra,
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, home, file, '..'), { recursive: true });
    await writeFile(join(root, home, file), text);
  }
}

/** The welcome frame once the node is read: it fits 80×24 and nothing below the release was clipped. */
async function welcome(values: Record<string, unknown>): Promise<string> {
  const w = await startWizard(values);
  const f = await w.waitFor('Saved answers');
  await w.unmount();
  assert.equal(frameFits(f), undefined, f);
  assert.match(f, /Saved answers +none yet/);
  return f;
}

test('a 2.6.0 home in a usual install place: the release and where it was read, no warning', async () => {
  const root = await tempDir();
  await homeSaying(root, '/opt/wso2am-2.6.0', '2.6.0', { 'bin/version.txt': 'WSO2 API Manager v2.6.0\n', 'bin/profileSetup.sh': '#!/bin/sh\n' });
  const f = await welcome({ root });
  assert.match(f, /Product home +\/opt\/wso2am-2\.6\.0 \(a usual install place\)/);
  assert.match(f, /Found +WSO2 API Manager 2\.6\.0/);
  assert.match(f, /Release +API-M 2\.6\.0 \(read from carbon\.xml <Version> 2\.6\.0\)/);
  assert.ok(!f.includes('!'), f);
  assert.ok(flat(f).includes('WSO2 API Manager 2.x (2.0.0 to 2.6.0) distributed Gateway'), 'the intro names every release');
});

test('carbon.xml says 2.3.0, bin/version.txt 2.2.0: planned as the nearest known release, both said in yellow', async () => {
  const root = await tempDir();
  const home = '/srv/wso2am-2.3.0';
  await homeSaying(root, home, '2.3.0', { 'bin/version.txt': 'WSO2 API Manager v2.2.0\n' });
  const f = await welcome({ root, home });
  assert.match(f, /Found +WSO2 API Manager 2\.3\.0/);
  assert.match(f, /Release +API-M 2\.2\.0 \(read from carbon\.xml <Version> 2\.3\.0\)/);
  const text = flat(f);
  assert.ok(text.includes('! carbon.xml <Version> says 2.3.0, a release this wizard does not know: planned as the nearest known one, 2.2.0 (give --release to choose)'), f);
  assert.ok(text.includes('! carbon.xml <Version> says 2.3.0 but bin/version.txt says 2.2.0: planned as 2.2.0'), f);
});

test('carbon.xml says 3.2.0: no 2.x release to plan for, said in red with the --release hint', async () => {
  const root = await tempDir();
  const home = '/srv/apim';
  await homeSaying(root, home, '3.2.0');
  const f = await welcome({ root, home });
  assert.match(f, /Found +WSO2 API Manager 3\.2\.0/);
  const text = flat(f);
  assert.ok(text.includes('Release carbon.xml <Version> says 3.2.0; this wizard sets up the rsync Gateway of API-M 2.x (2.0.0, 2.1.0, 2.2.0, 2.5.0, 2.6.0).'), f);
  assert.ok(text.includes('give it: --release 2.0.0|2.1.0|2.2.0|2.5.0|2.6.0'), f);
});

test('--release overrides what the product says: the welcome shows the answer and what disagrees', async () => {
  const root = await demoSandbox();
  const f = await welcome({ root, home: DEMO_HOME, release: '2.5.0' });
  assert.match(f, /Found +WSO2 API Manager 2\.1\.0/);
  assert.match(f, /Release +API-M 2\.5\.0 \(given with --release\)/);
  assert.ok(flat(f).includes('! carbon.xml <Version> says 2.1.0; planned as 2.5.0, as answered (release)'), f);
  // The answers file gives it too; --release wins over it, as in the plan.
  const file = join(await tempDir(), 'answers.json');
  await writeFile(file, JSON.stringify({ release: '2.0.0' }));
  assert.match(await welcome({ root, home: DEMO_HOME, answers: file }), /Release +API-M 2\.0\.0 \(given with the answers file\)/);
  assert.match(await welcome({ root, home: DEMO_HOME, answers: file, release: '2.6.0' }), /Release +API-M 2\.6\.0 \(given with --release\)/);
});

test('a long sandbox path is whole in the banner: wrapped after a "/", never cut; the welcome still fits 80×24', async () => {
  const base = join(await tempDir(), 'a-rather-long-directory-for-the-demo', 'and-one-more-level-to-pass-eighty-columns');
  await mkdir(base, { recursive: true });
  const w = await startWizard({ demo: true }, { env: { demoBase: base } });
  const f = await w.waitFor('Found');
  const root = join(base, 'apim-gateway-wizard-demo');
  assert.ok(root.length > 80, root);
  // Rows that end in "/" go on in the next row without a blank; others at a space.
  const glued = f.replace(/\/ *\n */g, '/').replace(/\s+/g, ' ');
  assert.ok(glued.includes('Every file is read and written under the sandbox the banner names'), f);
  assert.ok(glued.includes(`DEMO — writing under ${root}`), f);
  assert.ok(!f.includes('…'), f);
  assert.equal(frameFits(f), undefined, f);
  await w.unmount();
});

test('Enter pressed while the node is still being read is kept: the wizard goes on once the facts are in', async () => {
  const w = await startWizard({ root: await demoSandbox(), home: DEMO_HOME });
  assert.ok(w.frame().includes('Reading the node…'), w.frame());
  await w.press(KEY.enter);
  const f = await w.waitFor('What is this node?');
  assert.ok(!f.includes('Reading the node…'), f);
  await w.unmount();
});
