// plan --out FILE, then apply --plan FILE --yes: exactly the reviewed plan is written (its trial
// certificate too), and nothing at all when the node or the file changed since.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../src/core/node/layout.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';
import { needsDebianNginx } from './ui-helpers.js';

const MANAGER = join(REPO, 'templates/examples/manager.json');
// The wizard's state folder (core/node/layout.ts stateDir) is under var/lib/apim-gateway-wizard.
const STATE = 'apim-gateway-wizard';
const CARBON = join(DEMO_HOME, 'repository/conf/carbon.xml');

async function planned(root: string, args: string[] = ['--answers', MANAGER]): Promise<string> {
  const file = join(await tempDir(), 'manager.plan');
  const r = runCli(['plan', ...args, '--root', root, '--out', file]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stdout, new RegExp(`Plan saved to ${file} \\(mode 600\\)\\. Apply exactly this plan: apim-gateway-wizard apply --plan ${file} --yes`));
  return file;
}

test('the saved plan is applied as reviewed: same files as a plain apply; --yes needed; answers flags refused', async () => {
  const root = await demoSandbox();
  const file = await planned(root);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const before = await treeState(root);

  const noYes = runCli(['apply', '--plan', file, '--root', root]);
  assert.equal(noYes.code, 1);
  const mixed = runCli(['apply', '--plan', file, '--root', root, '--yes', '--answers', MANAGER, '--host-name', 'x.example.com']);
  assert.equal(mixed.code, 1);
  assert.equal(mixed.stderr, `error: apply --plan takes its answers from ${file}: --answers, --host-name cannot be given too\n`);
  assert.deepEqual(await treeState(root), before);

  const r = runCli(['apply', '--plan', file, '--root', root, '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Applied: \d+ file\(s\) written\./);
  const plain = await demoSandbox();
  assert.equal(runCli(['apply', '--answers', MANAGER, '--root', plain, '--yes']).code, 0);
  assert.deepEqual(await treeState(root, { skip: [STATE] }), await treeState(plain, { skip: [STATE] }));
  // Saved answers included (written through the plan's own record, in its checkpoint).
  assert.deepEqual(await readFile(join(root, stateDir(DEMO_HOME), 'answers.json')), await readFile(join(plain, stateDir(DEMO_HOME), 'answers.json')));
});

test('a node changed since the plan, a plan applied already, an edited or foreign file: refused by name, nothing written', async () => {
  const root = await demoSandbox();
  const file = await planned(root);
  const carbon = join(root, CARBON);
  await writeFile(carbon, (await readFile(carbon, 'latin1')).replace('<Server', '<!-- edited after the plan -->\n<Server'), 'latin1');
  const before = await treeState(root);
  const changed = runCli(['apply', '--plan', file, '--root', root, '--yes']);
  assert.equal(changed.code, 1);
  assert.equal(changed.stderr, `error: ${file}: the node is not as it was when this plan was made (changed since: ${CARBON}); nothing was written. Run plan --out again.\n`);
  assert.deepEqual(await treeState(root), before);

  // Applied once, a second apply of the same plan finds every file changed: refused.
  const fresh = await demoSandbox();
  const once = await planned(fresh);
  assert.equal(runCli(['apply', '--plan', once, '--root', fresh, '--yes']).code, 0);
  const again = runCli(['apply', '--plan', once, '--root', fresh, '--yes']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /the node is not as it was when this plan was made \(changed since: \/opt\/wso2am-2\.1\.0\/repository\/conf\/carbon\.xml, /);

  // Other answers in the file than the ones planned: the rebuilt plan differs, so nothing is written.
  const other = await demoSandbox();
  const edited = await planned(other);
  const saved = JSON.parse(await readFile(edited, 'utf8'));
  saved.answers.hostName = 'evil.example.com';
  await writeFile(edited, JSON.stringify(saved));
  const otherBefore = await treeState(other);
  const tampered = runCli(['apply', '--plan', edited, '--root', other, '--yes']);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stderr, /the node is not as it was when this plan was made \(changed since: .*carbon\.xml/);
  assert.deepEqual(await treeState(other), otherBefore);

  for (const [text, message] of [
    ['not json', 'not a plan saved by apim-gateway-wizard plan --out'],
    [JSON.stringify({ ...saved, version: '9.9.9' }), 'saved by apim-gateway-wizard 9.9.9, this is'],
    [JSON.stringify({ ...saved, extra: 1 }), 'not a plan saved by apim-gateway-wizard plan --out'],
  ]) {
    await writeFile(edited, text!);
    const r = runCli(['apply', '--plan', edited, '--root', other, '--yes']);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.startsWith(`error: ${edited}: ${message}`), r.stderr);
  }
  assert.deepEqual(await treeState(other), otherBefore);
});

const noNginx = await needsDebianNginx();

test('the trial certificate reviewed in the saved plan is the one written, key and all', { skip: noNginx }, async () => {
  const root = await demoSandbox();
  const lb = ['--role', 'load-balancer', '--host-name', 'am.wso2.com', '--mgt-host-name', 'mgt.am.wso2.com', '--manager-ip', '127.0.0.1',
    '--worker-ips', '127.0.0.2', '--self-signed-certificate', 'yes', '--proxy-http-port', '18080', '--proxy-https-port', '18443'];
  const file = join(await tempDir(), 'lb.plan');
  const plan = runCli(['plan', ...lb, '--root', root, '--out', file]);
  assert.equal(plan.code, 2, plan.stderr);
  const shown = /sha256 +([0-9A-F:]{95})/.exec(plan.stdout)?.[1];
  assert.ok(shown, plan.stdout);
  // A second plan makes another certificate: that is why the plan is saved.
  assert.doesNotMatch(runCli(['plan', ...lb, '--root', root]).stdout, new RegExp(shown!));

  const r = runCli(['apply', '--plan', file, '--root', root, '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(shown!));
  const saved = JSON.parse(await readFile(file, 'utf8')) as { made: Record<string, string> };
  const cert = Object.keys(saved.made).find((f) => f.endsWith('.crt'))!;
  const key = Object.keys(saved.made).find((f) => f.endsWith('.key'))!;
  assert.equal(new X509Certificate(await readFile(join(root, cert))).fingerprint256, shown);
  assert.equal(await readFile(join(root, key), 'utf8'), saved.made[key]);
  assert.equal((await stat(join(root, key))).mode & 0o777, 0o600);
});

test('a node that reads as another release at apply time: the saved plan is refused, naming both releases; nothing written', async () => {
  const root = await demoSandbox();
  const file = await planned(root);
  assert.equal(JSON.parse(await readFile(file, 'utf8')).release, '2.1.0');
  const carbon = join(root, CARBON);
  await writeFile(carbon, (await readFile(carbon, 'utf8')).replace('<Version>2.1.0</Version>', '<Version>2.6.0</Version>'));
  const before = await treeState(root);
  const r = runCli(['apply', '--plan', file, '--root', root, '--yes']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /made for API-M 2\.1\.0, but the node now reads as API-M 2\.6\.0 \(carbon\.xml <Version> 2\.6\.0\); nothing was written\. Run plan --out again\./);
  assert.deepEqual(await treeState(root), before);
});
