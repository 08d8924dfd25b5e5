// The one template language of every generated file (mustache, src/core/edit/templates.ts), and
// every generated file (nginx site, sync script, cron entry, workers list and their "off"
// forms) for a few answer sets, compared byte for byte with test/fixtures/generated/. Those
// files were written by the renderers before the templates moved to mustache (issue 14), so
// a template change that alters one byte shows here. To change a generated file on purpose:
// WRITE_GENERATED_FIXTURES=1 node --import tsx --test test/templates.test.ts, then read the
// diff of test/fixtures/generated/ before committing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAnswers, type AnswersLayer } from '../src/core/answers/load.js';
import { renderSite } from '../src/core/run/nginx/site.js';
import type { SyncScope } from '../src/core/node/release.js';
import { renderCron, renderCronOff, renderScript, renderWorkers, renderWorkersOff, syncJob } from '../src/core/run/sync/render.js';
import { readTemplateTree, renderTemplateText } from '../src/core/edit/templates.js';
import { LB_ANSWERS, REPO } from './helpers.js';

const DIR = join(REPO, 'test', 'fixtures', 'generated');
const TEMPLATES = join(REPO, 'templates');
const write = process.env.WRITE_GENERATED_FIXTURES === '1';

const lb: AnswersLayer = { ...LB_ANSWERS, workerIps: [...LB_ANSWERS.workerIps] };

const manager: AnswersLayer = {
  role: 'manager',
  productHome: '/opt/wso2am-2.1.0',
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  workerIps: ['192.0.2.21', '192.0.2.22'],
  syncTargets: ['wso2carbon@192.0.2.21:/opt/wso2am-2.1.0', 'wso2carbon@192.0.2.22:/opt/wso2am-2.1.0'],
  syncCronUser: 'wso2carbon',
};

const sites: Record<string, AnswersLayer> = {
  'site-default': lb,
  'site-http-traffic-ipv6': {
    ...lb,
    managerIp: '2001:db8::10',
    workerIps: ['2001:db8::21', '192.0.2.22'],
    listenAddress: undefined,
    proxyHttpPort: 80,
    proxyHttpsPort: 443,
    httpApiTraffic: true,
    workerHttpPort: 8281,
    workerHttpsPort: 8244,
  },
  'site-ipv6-listen-own-certificate': {
    ...lb,
    listenAddress: '::1',
    proxyHttpsPort: 443,
    selfSignedCertificate: false,
    tlsCertificate: '/etc/ssl/certs/am wso2.pem',
    tlsCertificateKey: '/etc/ssl/private/am.key',
    httpApiTraffic: true,
  },
};

const jobs: Record<string, { answers: AnswersLayer; scope: SyncScope }> = {
  'sync-default': { answers: manager, scope: 'deployment' },
  'sync-synapse-tenants': {
    answers: {
      ...manager,
      productHome: '/srv/wso2am-2.6.0/',
      syncTargets: ['wso2@[2001:db8::5]:/srv/wso2am/', 'deploy@gw3.example.com:/opt/wso2am-2.6.0'],
      syncCronUser: 'wso2',
      syncTenants: true,
      syncSshPort: 2222,
      syncSchedule: ' */5  *  * * * ',
      syncKey: '/srv/keys/gw+sync_ed25519',
    },
    scope: 'synapse',
  },
};

/** Every generated file of every case, by its name under test/fixtures/generated/. */
function rendered(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, layer] of Object.entries(sites)) out.set(`${name}.conf`, renderSite(resolveAnswers(layer)));
  for (const [name, { answers, scope }] of Object.entries(jobs)) {
    const job = syncJob(resolveAnswers(answers), scope);
    out.set(`${name}.sh`, renderScript(job));
    out.set(`${name}.workers.list`, renderWorkers(job));
    out.set(`${name}.cron`, renderCron(job));
  }
  out.set('sync-off.cron', renderCronOff('/opt/wso2am-2.1.0'));
  out.set('sync-off.workers.list', renderWorkersOff());
  return out;
}

test('every generated file comes out byte for byte as recorded in test/fixtures/generated/', () => {
  const files = rendered();
  if (write) {
    mkdirSync(DIR, { recursive: true });
    for (const [name, text] of files) writeFileSync(join(DIR, name), text);
  }
  assert.deepEqual(readdirSync(DIR).sort(), [...files.keys()].sort(), 'a case without its recorded file, or a recorded file without its case');
  for (const [name, text] of files) assert.equal(text, readFileSync(join(DIR, name), 'utf8'), name);
});

test('the template language: values, sections on their own lines, no HTML escaping, unknown names refused', () => {
  const t = 'a {{x}}\n{{#on}}\nyes\n{{/on}}\n{{^on}}\nno\n{{/on}}\nend\n';
  assert.equal(renderTemplateText(t, { x: '1', on: true }), 'a 1\nyes\nend\n');
  assert.equal(renderTemplateText(t, { x: '2', on: false }), 'a 2\nno\nend\n');
  assert.equal(renderTemplateText('{{x}} {{q.y}}', { x: `<a href="x">&'`, q: { y: "'it'\\''s'" } }), `<a href="x">&' 'it'\\''s'`);
  assert.throws(() => renderTemplateText('{{y}}', {}), /template value y is not given/);
  assert.throws(() => renderTemplateText('{{q.z}}', { q: { y: 'v' } }), /template value q\.z is not given/);
  assert.throws(() => renderTemplateText('{{#on}}\nx\n{{/on}}\n', { on: 'yes' }), /template section on has no true\/false value/);
  assert.throws(() => renderTemplateText('{{> p}}', {}), /no partial p/);
});

test('a partial on a line of its own takes that line\'s indentation; its names are checked too', () => {
  const partials: Record<string, string> = { p: '{{! a comment line, dropped }}\none {{v}};\ntwo;\n' };
  const partial = (name: string) => partials[name]!;
  assert.equal(renderTemplateText('{\n    {{> p}}\n}\n', { v: '1' }, 'demo', partial), '{\n    one 1;\n    two;\n}\n');
  assert.throws(() => renderTemplateText('{{> p}}\n', {}, 'demo', partial), /demo > p: template value v is not given/);
});

test('templates/ has one syntax: every generated file\'s template is mustache, none keeps @@KEY@@', () => {
  const tree = readTemplateTree(TEMPLATES);
  const generated = Object.keys(tree).filter((p) => p.startsWith('nginx/') || p.startsWith('depsync/'));
  assert.ok(generated.length >= 7, generated.join(', '));
  for (const path of generated) {
    const text = Buffer.from(tree[path]!.data, 'base64').toString('utf8');
    assert.doesNotMatch(text, /@@[A-Z_]+@@/, path);
    assert.match(text, /\{\{/, `${path} has no mustache tag`);
  }
});
