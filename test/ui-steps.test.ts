// Steps 1 and 4 in the wizard: the load balancer's questions say where their values come from
// (nginx -V and the nginx directories) and what a certificate path means; its review shows the
// certificate as names and dates and never a key; after apply the summary says what nginx did.
// Hazelcast reads as optional, and a node with clustering on shows its values "from axis2.xml".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { makePlan } from '../src/core/plan/plan.js';
import { unwrap } from '../src/ui/components/wrap.js';
import { demoSandbox, DEMO_HOME, tempDir } from './helpers.js';
import { answerQuestions, flat, frameFits, KEY, MANAGER_ANSWERS, openQuestion, startWizard, toQuestions, type Wizard, LB_ANSWERS, needsDebianNginx } from './ui-helpers.js';

const skip = await needsDebianNginx();

const LB = LB_ANSWERS;

/** Accepts questions until `key` is the open one. */
async function openAt(w: Wizard, key: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const f = w.frame();
    const open = openQuestion(f);
    if (open?.key === key) return f;
    await w.press(KEY.enter);
    await w.waitFor((x) => openQuestion(x)?.key !== open?.key, `the question after ${open?.key}`);
  }
  throw new Error(`${key} never asked:\n${w.frame()}`);
}

test('the load balancer: sources and certificate notes, the key never shown, what nginx did after apply', { skip }, async () => {
  const root = await demoSandbox();
  const answers = join(await tempDir(), 'lb.json');
  await writeFile(answers, JSON.stringify(LB));
  const w = await startWizard({ root, answers });
  await w.waitFor('Found');
  await w.press(KEY.enter);
  let f = await w.waitFor('What is this node?');
  assert.ok(f.includes('❯ Load balancer'), f);
  await w.press(KEY.enter);
  await w.waitFor('Load balancer · Questions 1/');

  f = await openAt(w, 'tlsCertificate');
  assert.ok(flat(f).includes('The trial certificate is created at this path (PEM)'), f);
  assert.ok(f.includes('/etc/nginx/ssl/am.wso2.com.crt'), f);
  await w.press(KEY.enter);
  f = await w.waitFor((x) => openQuestion(x)?.key === 'tlsCertificateKey');
  assert.ok(flat(f).includes('created at this path with mode 600; the review never shows a key'), f);
  f = await openAt(w, 'nginxSite');
  assert.ok(f.includes('> /etc/nginx/sites-available/apim-gateway'), f);
  assert.ok(flat(f).includes('from nginx -V / the nginx directories'), f);
  assert.equal(frameFits(f), undefined);

  f = await answerQuestions(w);
  assert.match(f, /create +\/etc\/nginx\/sites-available\/apim-gateway/);
  assert.match(f, /create +\/etc\/nginx\/sites-enabled\/apim-gateway/);
  assert.match(f, /create +\/etc\/nginx\/ssl\/am\.wso2\.com\.key/);
  // The link shows as its target, the certificate as names and dates, the key not at all.
  for (let i = 0; i < 3; i++) await w.press(KEY.down);
  f = await w.waitFor(/❯ create +\/etc\/nginx\/ssl\/am\.wso2\.com\.key/);
  await w.press(KEY.enter);
  f = await w.waitFor('+private key (not shown)');
  assert.ok(!f.includes('BEGIN'), f);
  await w.press(KEY.esc);
  await w.press(KEY.up);
  await w.press(KEY.enter);
  f = await w.waitFor('+names');
  assert.ok(f.includes('DNS:am.wso2.com') && f.includes('DNS:mgt.am.wso2.com'), f);
  // The sha256 (95 characters after its label) goes on in the next row, marked ↵, never cut.
  const certificateRows = unwrap(f.split('\n'));
  assert.match(certificateRows, /^\+sha256 +([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
  await w.press(KEY.esc);
  await w.press(KEY.up);
  await w.press(KEY.enter);
  await w.waitFor('+symbolic link to ../sites-available/apim-gateway');
  await w.press(KEY.esc);

  await w.press('a');
  f = await w.waitFor('Enter or q: exit');
  assert.match(f, /Applied: \d+ files written\./);
  assert.ok(flat(f).includes('Said nginx -t accepts the configuration with the new site'), f);
  assert.ok(flat(f).includes('nginx is not running'), f);
  assert.ok(flat(f).includes('(systemctl start nginx, or nginx)'), f);
  assert.ok(!f.includes('Start the server now?'), 'no server to start on a load balancer');
  assert.equal(frameFits(f), undefined);
  await w.press('q');
  await w.waitFor('Done.');
  // …and it is the fingerprint of the certificate written.
  const written = new X509Certificate(await readFile(join(root, 'etc/nginx/ssl/am.wso2.com.crt')));
  assert.ok(certificateRows.includes(`sha256       ${written.fingerprint256}`), certificateRows);
});

test('Hazelcast reads as optional; with clustering on, its values come "from axis2.xml"', async () => {
  const root = await demoSandbox();
  const flags = { root, home: DEMO_HOME, 'manager-ip': '192.0.2.10', 'worker-ips': '192.0.2.21' };
  let w = await startWizard(flags);
  await toQuestions(w);
  let f = await openAt(w, 'hazelcast');
  assert.ok(f.includes('❯ Cluster the Gateway nodes with Hazelcast? (optional, step 4)'), f);
  assert.ok(flat(f).includes('Optional, and most clusters answer no: only needed for immediate token revocation and shared throttling counters across gateways.'), f);
  assert.equal(frameFits(f), undefined);
  await w.unmount();

  // A manager clustered by an earlier apply: the questions start from axis2.xml.
  const clustered = resolveAnswers({ ...MANAGER_ANSWERS, hazelcast: true, localMemberHost: '192.0.2.10' });
  await applyPlan(await makePlan(clustered, root), { root });
  w = await startWizard(flags);
  await toQuestions(w);
  f = await openAt(w, 'hazelcastDomain');
  assert.match(f, /Hazelcast clustering +yes +from axis2\.xml/);
  assert.ok(f.includes('> wso2.am.domain'), f);
  assert.ok(flat(f).includes('from axis2.xml'), f);
  f = await openAt(w, 'hazelcastMembers');
  assert.match(f, /Member address +192\.0\.2\.10 +from axis2\.xml/);
  assert.match(f, /Member port +4500 +from axis2\.xml/);
  assert.ok(flat(f).includes('from axis2.xml'), f);
  await w.unmount();
});

test('a certificate path is checked at its question: the plan\'s message there, gone once the path is fixed', { skip }, async () => {
  const root = await demoSandbox();
  // A real certificate under the sandbox, to fix the answer with.
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(root, 'etc/nginx/ok.key'), '-out', join(root, 'etc/nginx/ok.crt'), '-days', '1', '-subj', '/CN=am.wso2.com'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const answers = join(await tempDir(), 'lb.json');
  await writeFile(answers, JSON.stringify({ ...LB, selfSignedCertificate: false, tlsCertificate: '/etc/nginx/missing.crt' }));
  const w = await startWizard({ root, answers });
  await toQuestions(w);
  let f = await openAt(w, 'tlsCertificate');
  await w.press(KEY.enter);
  f = await w.waitFor('✖ tlsCertificate /etc/nginx/missing.crt does not exist');
  assert.equal(openQuestion(f)?.key, 'tlsCertificate', 'Enter did not leave the question');
  assert.equal(frameFits(f), undefined);
  // Typing hides the message (it was about the text checked); Enter on a real file moves on.
  for (let i = 0; i < 'missing.crt'.length; i++) await w.press(KEY.backspace);
  f = await w.waitFor((x) => openQuestion(x)?.text === '/etc/nginx/');
  assert.ok(!f.includes('does not exist'), f);
  await w.type('ok.crt');
  await w.press(KEY.enter);
  f = await w.waitFor((x) => openQuestion(x)?.key === 'tlsCertificateKey', 'the key question');
  assert.match(f, /✔ .*\/etc\/nginx\/ok\.crt/);
  await w.unmount();
});
