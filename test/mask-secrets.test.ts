// Secrets near an edit: a password within three lines of a change is diff context. Every shown
// diff line (context, + and -) has its secret values as ********, in the plan's text output,
// the saved plan's display and the wizard's diff view; the bytes written keep them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maskSecrets, MASK } from '../src/core/plan/diff.js';
import { diffLines as screenLines } from '../src/ui/components/diff-lines.js';
import { makePlan } from '../src/core/plan/plan.js';
import { resolveAnswers } from '../src/core/answers/load.js';
import { DEMO_HOME, demoSandbox, REPO, runCli, tempDir } from './helpers.js';

const CONF = join(DEMO_HOME, 'repository/conf');
const SECRETS = ['s3cret-pw', 'k3y-pw', 'tru5t-pw', 'ks-pass', 'ts-pass', 'mail-pw'];

test('maskSecrets: Password, KeyPassword, any *Password element, name="…password" parameters, *pass / *password attributes', () => {
  const cases: Array<[string, string]> = [
    [' <Password>wso2carbon</Password>', ` <Password>${MASK}</Password>`],
    ['+        <KeyPassword>wso2carbon</KeyPassword>', `+        <KeyPassword>${MASK}</KeyPassword>`],
    ['-<TrustStorePassword>x</TrustStorePassword>', `-<TrustStorePassword>${MASK}</TrustStorePassword>`],
    [' <DASRestApiPassword>${admin.password}</DASRestApiPassword>', ` <DASRestApiPassword>${MASK}</DASRestApiPassword>`],
    [' <sec:Password type="x">v</sec:Password>', ` <sec:Password type="x">${MASK}</sec:Password>`],
    ['   keystorePass="wso2carbon" truststorePass=\'t\' password="p"', `   keystorePass="${MASK}" truststorePass='${MASK}' password="${MASK}"`],
    [' <parameter name="mail.smtp.password">mailpassword</parameter>', ` <parameter name="mail.smtp.password">${MASK}</parameter>`],
    // Not secrets: left as they are.
    [' <HostName>am.wso2.com</HostName>', ' <HostName>am.wso2.com</HostName>'],
    [' <PasswordHint>x</PasswordHint>', ' <PasswordHint>x</PasswordHint>'],
    [' <Password></Password>', ' <Password></Password>'],
    [' keystoreFile="${carbon.home}/x.jks"', ' keystoreFile="${carbon.home}/x.jks"'],
  ];
  for (const [line, shown] of cases) assert.equal(maskSecrets(line), shown, line);
});

/** The demo home with secrets placed right next to the lines the worker plan edits. */
async function sandboxWithSecrets(): Promise<string> {
  const root = await demoSandbox();
  const carbon = join(root, CONF, 'carbon.xml');
  const text = await readFile(carbon, 'utf8');
  await writeFile(
    carbon,
    text.replace(
      '    <!--HostName>www.wso2.org</HostName-->',
      '    <Password>s3cret-pw</Password>\n    <KeyPassword>k3y-pw</KeyPassword>\n    <!--HostName>www.wso2.org</HostName-->\n    <TrustStorePassword>tru5t-pw</TrustStorePassword>',
    ),
  );
  const catalina = join(root, CONF, 'tomcat/catalina-server.xml');
  const cat = await readFile(catalina, 'utf8');
  await writeFile(catalina, cat.replace('port="9443"\n', 'port="9443"\n                   keystorePass="ks-pass"\n                   truststorePass="ts-pass"\n'));
  return root;
}

const noSecret = (text: string, where: string) => {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} shows ${s}:\n${text}`);
};

test('plan, plan --out + apply --plan and the wizard\'s diff view mask the secrets; the written files keep them', async () => {
  const root = await sandboxWithSecrets();
  const answers = join(await tempDir(), 'worker.json');
  await writeFile(answers, await readFile(join(REPO, 'templates/examples/worker.json')));

  const plan = runCli(['plan', '--answers', answers, '--root', root]);
  assert.equal(plan.code, 2, plan.stderr);
  noSecret(plan.stdout, 'plan');
  assert.match(plan.stdout, /^ +<Password>\*{8}<\/Password>$/m, 'the context line is there, masked');
  assert.match(plan.stdout, /^ +keystorePass="\*{8}"$/m);

  // The wizard's diff view, from the same plan.
  const made = await makePlan(resolveAnswers(JSON.parse(await readFile(answers, 'utf8'))), root);
  const shown = made.changes.flatMap((c) => screenLines(c.diff).map((l) => l.text)).join('\n');
  assert.ok(shown.includes(`<KeyPassword>${MASK}</KeyPassword>`), shown);
  noSecret(shown, 'the diff view');
  // The plan itself holds the real bytes: only the display is masked.
  const carbonAfter = made.changes.find((c) => c.file.endsWith('/carbon.xml'))!.after.toString();
  assert.ok(carbonAfter.includes('<Password>s3cret-pw</Password>'));

  const saved = join(await tempDir(), 'plan.json');
  assert.equal(runCli(['plan', '--answers', answers, '--root', root, '--out', saved]).code, 2);
  const applied = runCli(['apply', '--plan', saved, '--root', root, '--yes']);
  assert.equal(applied.code, 0, applied.stderr);
  noSecret(applied.stdout + applied.stderr, 'apply --plan');
  assert.match(applied.stdout, /<TrustStorePassword>\*{8}<\/TrustStorePassword>/);

  const carbon = await readFile(join(root, CONF, 'carbon.xml'), 'utf8');
  assert.ok(carbon.includes('    <Password>s3cret-pw</Password>\n    <KeyPassword>k3y-pw</KeyPassword>\n'), 'written with the real values');
  assert.ok(carbon.includes('<TrustStorePassword>tru5t-pw</TrustStorePassword>'));
  const catalina = await readFile(join(root, CONF, 'tomcat/catalina-server.xml'), 'utf8');
  assert.ok(catalina.includes('keystorePass="ks-pass"\n                   truststorePass="ts-pass"\n'));
});
