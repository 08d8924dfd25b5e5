// The certificate and key answers checked at their question: the same check the plan's
// prepare runs, reading the real files under --root as a jail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTlsAnswer, tlsAnswerProblem } from '../src/core/steps/tls-answers.js';
import { makeTrialCertificate } from '../src/core/run/nginx/tls.js';
import { tempDir } from './helpers.js';

const base = { role: 'load-balancer', hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', selfSignedCertificate: false };

async function rootWithPair() {
  const root = await tempDir();
  await mkdir(join(root, 'etc/nginx/ssl'), { recursive: true });
  const pair = await makeTrialCertificate(['am.wso2.com', 'mgt.am.wso2.com']);
  await writeFile(join(root, 'etc/nginx/ssl/am.crt'), pair.cert);
  await writeFile(join(root, 'etc/nginx/ssl/am.key'), pair.key, { mode: 0o600 });
  return root;
}

test('a certificate that does not exist is refused at its question, with the message the plan gives', async () => {
  const root = await rootWithPair();
  const a = { ...base, tlsCertificate: '/etc/nginx/ssl/missing.crt' };
  const said = await checkTlsAnswer('tlsCertificate', a, root);
  assert.equal(said, 'tlsCertificate /etc/nginx/ssl/missing.crt does not exist; give the path of your certificate (PEM), or selfSignedCertificate: true for a trial');
  // The plan's check over the same bytes says the same.
  assert.equal(tlsAnswerProblem({ ...a, tlsCertificateKey: '/etc/nginx/ssl/am.key' }, () => null), said);
  // Fixed: nothing to say; the key is not looked at before its own question.
  assert.equal(await checkTlsAnswer('tlsCertificate', { ...a, tlsCertificate: '/etc/nginx/ssl/am.crt', tlsCertificateKey: '/nope' }, root), undefined);
});

test('at the key question: a missing key, a key of another certificate, the same file twice', async () => {
  const root = await rootWithPair();
  const other = await makeTrialCertificate(['other.example']);
  await writeFile(join(root, 'etc/nginx/ssl/other.key'), other.key);
  const a = { ...base, tlsCertificate: '/etc/nginx/ssl/am.crt' };
  assert.match((await checkTlsAnswer('tlsCertificateKey', { ...a, tlsCertificateKey: '/etc/nginx/ssl/none.key' }, root))!, /^tlsCertificateKey \/etc\/nginx\/ssl\/none.key does not exist/);
  assert.match((await checkTlsAnswer('tlsCertificateKey', { ...a, tlsCertificateKey: '/etc/nginx/ssl/other.key' }, root))!, /the key does not belong to the certificate$/);
  assert.match((await checkTlsAnswer('tlsCertificateKey', { ...a, tlsCertificateKey: '/etc/nginx/ssl/am.crt' }, root))!, /are both \/etc\/nginx\/ssl\/am.crt; give two files/);
  assert.equal(await checkTlsAnswer('tlsCertificateKey', { ...a, tlsCertificateKey: '/etc/nginx/ssl/am.key' }, root), undefined);
});

test('the files are read inside --root: a link out of the jail names a file under the root; a FIFO is refused unread', async () => {
  const root = await rootWithPair();
  // A real certificate outside the root (it passes where it is); under the root the link's target does not exist.
  const outside = await rootWithPair();
  assert.equal(await checkTlsAnswer('tlsCertificate', { ...base, tlsCertificate: '/etc/nginx/ssl/am.crt' }, outside), undefined);
  await symlink(join(outside, 'etc/nginx/ssl/am.crt'), join(root, 'etc/nginx/ssl/host.crt'));
  assert.match((await checkTlsAnswer('tlsCertificate', { ...base, tlsCertificate: '/etc/nginx/ssl/host.crt' }, root))!, /does not exist/);
  execFileSync('mkfifo', [join(root, 'etc/nginx/ssl/fifo.crt')]);
  assert.match((await checkTlsAnswer('tlsCertificate', { ...base, tlsCertificate: '/etc/nginx/ssl/fifo.crt' }, root))!, /is a FIFO \(named pipe\), not a regular file; nothing was read from it/);
});

test('a trial certificate: an existing file that is not the wizard\'s is refused at its question', async () => {
  const root = await rootWithPair();
  await writeFile(join(root, 'etc/nginx/ssl/admin.crt'), 'not a certificate\n');
  const trial = { ...base, selfSignedCertificate: true };
  assert.match((await checkTlsAnswer('tlsCertificate', { ...trial, tlsCertificate: '/etc/nginx/ssl/admin.crt' }, root))!, /exists and is not a trial certificate the wizard made/);
  // The wizard's own trial pair, or nothing there yet: fine.
  assert.equal(await checkTlsAnswer('tlsCertificateKey', { ...trial, tlsCertificate: '/etc/nginx/ssl/am.crt', tlsCertificateKey: '/etc/nginx/ssl/am.key' }, root), undefined);
  assert.equal(await checkTlsAnswer('tlsCertificateKey', { ...trial, tlsCertificate: '/etc/nginx/ssl/new.crt', tlsCertificateKey: '/etc/nginx/ssl/new.key' }, root), undefined);
});
