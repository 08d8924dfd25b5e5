// The release a node runs: read from carbon.xml <Version>, bin/version.txt and the folder name
// (in that order), checked against what only some releases ship, overridden by the answer; and
// what each release changes (start flags, what the manager pushes, the JMS block).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launcherCommand, resolveRelease, RELEASES, RELEASE_TRAITS, releaseLines, startArgs, ReleaseError, type ReleaseInputs } from '../src/core/node/release.js';

const carbon = (v: string) => `<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">\n  <Name>WSO2 API Manager</Name>\n  <Version>${v}</Version>\n</Server>\n`;
const JMS_ERA = '<APIManager><ThrottlingConfigurations><JMSEventPublisherParameters><a>b</a></JMSEventPublisherParameters></ThrottlingConfigurations></APIManager>';
const TM_ERA = '<APIManager><ThrottlingConfigurations><TrafficManager><Type>Binary</Type></TrafficManager></ThrottlingConfigurations></APIManager>';
const at = (i: Partial<ReleaseInputs>): ReleaseInputs => ({ home: '/opt/apim', ...i });

test('each known release is read from carbon.xml <Version>, with nothing to warn about', () => {
  for (const id of RELEASES) {
    const found = resolveRelease(at({ carbonXml: carbon(id), versionTxt: `WSO2 API Manager v${id}\n`, home: `/opt/wso2am-${id}` }));
    assert.equal(found.release.id, id);
    assert.equal(found.from, `carbon.xml <Version> ${id}`);
    assert.deepEqual(found.warnings, []);
  }
});

test('carbon.xml first, then bin/version.txt, then the folder name as a last hint', () => {
  assert.equal(resolveRelease(at({ carbonXml: carbon('2.6.0'), versionTxt: 'WSO2 API Manager v2.6.0' })).from, 'carbon.xml <Version> 2.6.0');
  const txt = resolveRelease(at({ carbonXml: '<Server/>', versionTxt: 'WSO2 API Manager v2.2.0\n' }));
  assert.equal(txt.release.id, '2.2.0');
  assert.equal(txt.from, 'bin/version.txt 2.2.0');
  const folder = resolveRelease(at({ home: '/srv/wso2am-2.0.0', carbonXml: '<Server/>', versionTxt: null }));
  assert.equal(folder.release.id, '2.0.0');
  assert.equal(folder.from, 'the folder name wso2am-2.0.0 2.0.0');
  // A WUM-updated 2.1.0 is 2.1.0.
  assert.deepEqual(resolveRelease(at({ carbonXml: carbon('2.1.0.1') })).warnings, []);
});

test('signals that disagree are a warning naming both; the first one is planned', () => {
  const found = resolveRelease(at({ carbonXml: carbon('2.2.0'), versionTxt: 'WSO2 API Manager v2.5.0', home: '/opt/wso2am-2.2.0' }));
  assert.equal(found.release.id, '2.2.0');
  assert.deepEqual(found.warnings, ['carbon.xml <Version> says 2.2.0 but bin/version.txt says 2.5.0: planned as 2.2.0']);
});

test('a file of another era is a warning: a 2.1-style api-manager.xml where carbon.xml says 2.5.0, and the reverse', () => {
  const newer = resolveRelease(at({ carbonXml: carbon('2.5.0'), apiManagerXml: JMS_ERA, profileSetup: true }));
  assert.equal(newer.release.id, '2.5.0');
  assert.match(newer.warnings.join('\n'), /api-manager\.xml looks like a 2\.0\/2\.1 file .* on release 2\.5\.0/);
  const older = resolveRelease(at({ carbonXml: carbon('2.1.0'), apiManagerXml: TM_ERA, profileSetup: false }));
  assert.match(older.warnings.join('\n'), /api-manager\.xml looks like a 2\.2-or-later file .* on release 2\.1\.0/);
  assert.match(resolveRelease(at({ carbonXml: carbon('2.6.0'), apiManagerXml: TM_ERA, profileSetup: false })).warnings.join('\n'), /bin\/profileSetup\.sh is missing, though 2\.6\.0 ships it/);
  assert.match(resolveRelease(at({ carbonXml: carbon('2.0.0'), apiManagerXml: JMS_ERA, profileSetup: true })).warnings.join('\n'), /bin\/profileSetup\.sh is there, though 2\.0\.0 does not ship it/);
  assert.deepEqual(resolveRelease(at({ carbonXml: carbon('2.6.0'), apiManagerXml: TM_ERA, profileSetup: true })).warnings, []);
});

test('an unknown 2.x release is planned as the nearest known one, with a warning', () => {
  const cases: [string, string][] = [['2.3.0', '2.2.0'], ['2.4.0', '2.5.0'], ['2.7.0', '2.6.0'], ['2.1.5', '2.1.0'], ['2.9.9', '2.6.0']];
  for (const [v, nearest] of cases) {
    const found = resolveRelease(at({ carbonXml: carbon(v) }));
    assert.equal(found.release.id, nearest, v);
    assert.match(found.warnings[0]!, new RegExp(`says ${v.replace(/\./g, '\\.')}, a release this wizard does not know: planned as the nearest known one, ${nearest.replace(/\./g, '\\.')}`));
  }
});

test('not a 2.x release, or no release at all: an error that names release and says how to give it', () => {
  for (const v of ['3.2.0', '1.10.0', '4.0.0', 'latest']) {
    assert.throws(() => resolveRelease(at({ carbonXml: carbon(v) })), (e: Error) => e instanceof ReleaseError && /^release: carbon\.xml <Version> says .*--release 2\.0\.0\|2\.1\.0/.test(e.message), v);
  }
  assert.throws(() => resolveRelease(at({ carbonXml: '<Server/>', versionTxt: null })), { message: /^release: not found .*--release/ });
  // A planted value is clipped and escaped in the message.
  assert.throws(() => resolveRelease(at({ carbonXml: carbon(`9.${'x'.repeat(200)}`) })), (e: Error) => e.message.length < 300 && !e.message.includes('x'.repeat(30)));
});

test('the answer overrides what the product says; a disagreement is said', () => {
  const found = resolveRelease(at({ carbonXml: carbon('2.1.0'), answer: '2.6.0' }));
  assert.equal(found.release.id, '2.6.0');
  assert.equal(found.from, 'the release answer');
  assert.deepEqual(found.warnings, ['carbon.xml <Version> says 2.1.0; planned as 2.6.0, as answered (release)']);
  // Even a home that says nothing, or says 3.x, can be planned with an answer.
  assert.equal(resolveRelease(at({ carbonXml: '<Server/>', answer: '2.2.0' })).release.id, '2.2.0');
});

test('start flags per release and role, as WSO2 starts each', () => {
  const expected: Record<string, [string, string]> = {
    '2.0.0': ['-Dprofile=gateway-manager', '-Dprofile=gateway-worker -DworkerNode=true'],
    '2.1.0': ['', '-Dprofile=gateway-worker'],
    '2.2.0': ['', '-Dprofile=gateway-worker'],
    '2.5.0': ['', '--optimize -Dprofile=gateway-worker'],
    '2.6.0': ['', '--optimize -Dprofile=gateway-worker'],
  };
  for (const id of RELEASES) {
    const r = RELEASE_TRAITS[id];
    assert.deepEqual([startArgs(r, 'manager').join(' '), startArgs(r, 'worker').join(' ')], expected[id], id);
    assert.equal(r.jmsEventPublisher, id === '2.0.0' || id === '2.1.0', id);
    assert.equal(r.syncScope, r.workerOptimizer ? 'synapse' : 'deployment', id);
  }
  const lines = releaseLines({ release: RELEASE_TRAITS['2.6.0'], from: 'carbon.xml <Version> 2.6.0', warnings: [] }, 'worker');
  assert.equal(lines[0], 'API-M 2.6.0, read from carbon.xml <Version> 2.6.0');
  assert.match(lines[1]!, /^start: sh bin\/wso2server\.sh start --optimize -Dprofile=gateway-worker — .*profileSetup\.sh first \(needs xmllint\)/);
  // The same flags wherever the command is shown: in the background as the wizard runs it, in the foreground to see the JVM.
  assert.equal(launcherCommand(RELEASE_TRAITS['2.0.0'], 'worker'), 'sh bin/wso2server.sh start -Dprofile=gateway-worker -DworkerNode=true');
  assert.equal(launcherCommand(RELEASE_TRAITS['2.6.0'], 'worker', { background: false }), 'sh bin/wso2server.sh --optimize -Dprofile=gateway-worker');
  assert.equal(launcherCommand(RELEASE_TRAITS['2.1.0'], 'manager', { program: 'wso2server.sh' }), 'wso2server.sh start');
});
