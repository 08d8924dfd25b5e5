// The load balancer's nginx checks beyond "nginx -t passes": nginx's warnings shown (plan and
// apply) on the node's paths, another enabled site with one of our server names named with its
// file and line, and the nginx -t stage (it holds a copy of the TLS key) kept 0700/0600 whatever
// the umask, left behind by a SIGKILL only as such, and removed by the next run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chown, lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nginxBuild } from '../src/core/run/nginx/install.js';
import { removeStaleStages, stageNginx } from '../src/core/run/nginx/stage.js';
import { makeTrialCertificate, TRIAL_TEMP_PREFIX } from '../src/core/run/nginx/tls.js';
import { demoSandbox, REPO, runCli, tempDir, treeState } from './helpers.js';

const build = await nginxBuild();
const skip = build.binary && build.confPath === '/etc/nginx/nginx.conf' ? false : `needs nginx built for /etc/nginx/nginx.conf (Debian's nginx-light): ${build.problem ?? build.confPath}`;
const STAGE = /^apim-gateway-nginx-/;
const NGINX_T_POINT = 'nginx -t on the staged configuration';

async function lbAnswers(): Promise<string> {
  const file = join(await tempDir(), 'lb.json');
  const example = JSON.parse(await readFile(join(REPO, 'templates/examples/load-balancer.json'), 'utf8'));
  await writeFile(file, JSON.stringify({ ...example, proxyHttpPort: 18080, proxyHttpsPort: 18443 }));
  return file;
}

/** Every entry below dir with its type and mode (octal). */
async function modes(dir: string): Promise<Array<[string, string, string]>> {
  const out: Array<[string, string, string]> = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    const st = await lstat(p);
    const kind = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'file';
    out.push([p.slice(dir.length), kind, (st.mode & 0o777).toString(8)]);
  }
  return out;
}

test('nginx -t warnings and another enabled site with our server_name: warnings in the plan and during apply, on the node\'s paths', { skip }, async () => {
  const root = await demoSandbox();
  const nginx = join(root, 'etc/nginx');
  await writeFile(join(nginx, 'conf.d/old.conf'), 'server {\n    listen 18080;\n    server_name AM.wso2.com;\n    types { text/html html; text/plain html; }\n}\n');
  await writeFile(join(nginx, 'sites-available/other'), 'server {\n    listen 19999;\n    # server_name am.wso2.com;\n    server_name  www.example.org\n        Mgt.AM.wso2.com;\n}\n');
  await symlink('../sites-available/other', join(nginx, 'sites-enabled/other'));
  // Not enabled (no link in sites-enabled): not a conflict.
  await writeFile(join(nginx, 'sites-available/disabled'), 'server {\n    listen 18080;\n    server_name am.wso2.com;\n}\n');
  const answers = await lbAnswers();

  const expected = [
    'warning: nginx -t: [warn] conflicting server name "am.wso2.com" on 0.0.0.0:18080, ignored',
    'warning: nginx -t: [warn] duplicate extension "html", content type: "text/plain", previous content type: "text/html" in /etc/nginx/conf.d/old.conf:4',
    'warning: /etc/nginx/conf.d/old.conf line 3 (another enabled site) also has server_name AM.wso2.com: requests for am.wso2.com may go to that site',
    'warning: /etc/nginx/sites-enabled/other line 4 (another enabled site) also has server_name Mgt.AM.wso2.com: requests for mgt.am.wso2.com may go to that site',
  ];
  const plan = runCli(['plan', '--answers', answers, '--root', root]);
  assert.equal(plan.code, 2, plan.stderr);
  for (const w of expected) assert.ok(plan.stdout.includes(w), `${w}\nnot in:\n${plan.stdout}`);
  assert.doesNotMatch(plan.stdout, /disabled|apim-gateway-nginx-/);
  assert.ok(!plan.stdout.includes(root), 'paths as on the node, not the stage or the root');

  const apply = runCli(['apply', '--answers', answers, '--root', root, '--yes']);
  assert.equal(apply.code, 0, apply.stderr);
  const progress = apply.stdout.slice(apply.stdout.indexOf('nginx -t accepts the configuration with the new site'));
  for (const w of expected) assert.ok(progress.includes(w), `${w}\nnot said during apply:\n${apply.stdout}`);
});

test('the stage of nginx -t: 0700 with every file 0600 (the key copy too) under umask 000; stale ones of dead processes only are removed', { skip }, async () => {
  const root = await demoSandbox();
  const tmp = await tempDir();
  const old = process.umask(0);
  let stage;
  try {
    stage = await stageNginx({ root, confPath: build.confPath, overlay: new Map([['/etc/nginx/ssl/x.key', { bytes: Buffer.from('-----BEGIN PRIVATE KEY-----\n') }]]) });
  } finally {
    process.umask(old);
  }
  try {
    const all = await modes(stage.dir);
    assert.equal((await lstat(stage.dir)).mode & 0o777, 0o700);
    assert.ok(all.some(([p]) => p === '/conf/ssl/x.key'), JSON.stringify(all));
    for (const [p, kind, mode] of all) if (kind !== 'link') assert.equal(mode, kind === 'dir' ? '700' : '600', p);
    assert.match(stage.dir, new RegExp(`apim-gateway-nginx-${process.pid}-`));
  } finally {
    await stage.cleanup();
  }

  // Stale: the process in the name is gone and the directory is this user's own.
  const gone = spawnSync('true').pid!;
  await mkdir(join(tmp, `apim-gateway-nginx-${gone}-dead01/conf`), { recursive: true });
  await writeFile(join(tmp, `apim-gateway-nginx-${gone}-dead01/conf/k.key`), 'key');
  await mkdir(join(tmp, 'apim-gateway-nginx-1-alive1')); // pid 1 runs
  await mkdir(join(tmp, `apim-gateway-nginx-${gone}-other1`));
  await chown(join(tmp, `apim-gateway-nginx-${gone}-other1`), 65534, 65534); // another user's
  await symlink('/etc', join(tmp, `apim-gateway-nginx-${gone}-link01`)); // not a directory of ours
  await mkdir(join(tmp, 'apim-gateway-nginx-abcdef')); // no pid in the name
  assert.deepEqual(await removeStaleStages(tmp), [join(tmp, `apim-gateway-nginx-${gone}-dead01`)]);
  assert.deepEqual((await readdir(tmp)).sort(), ['apim-gateway-nginx-1-alive1', `apim-gateway-nginx-${gone}-link01`, `apim-gateway-nginx-${gone}-other1`, 'apim-gateway-nginx-abcdef'].sort());
});

test('SIGKILL during nginx -t of apply: the stage left is 0700 with a 0600 key; the next run removes it and applies', { skip, timeout: 120_000 }, async () => {
  const answers = await lbAnswers();
  // Which fault point is apply's nginx -t (plan-time checks run it too, before the lock).
  const counted = await demoSandbox();
  const countFile = join(await tempDir(), 'points');
  const countRun = runCli(['apply', '--answers', answers, '--root', counted, '--yes'], { APIM_GATEWAY_WIZARD_TEST_COUNT_FILE: countFile, TMPDIR: await tempDir() });
  assert.equal(countRun.code, 0, countRun.stderr);
  const points = (await readFile(countFile, 'utf8')).trim().split('\n').map((l) => [Number(l.split(' ')[0]), l.slice(l.indexOf(' ') + 1)] as const);
  const lock = points.find(([, label]) => label === 'lock taken')![0];
  const at = points.find(([n, label]) => n > lock && label === NGINX_T_POINT)?.[0];
  assert.ok(at, JSON.stringify(points));

  const root = await demoSandbox();
  const tmp = await tempDir();
  const before = await treeState(root);
  const old = process.umask(0);
  let killed;
  try {
    killed = runCli(['apply', '--answers', answers, '--root', root, '--yes'], { APIM_GATEWAY_WIZARD_TEST_KILL_AT: String(at), TMPDIR: tmp });
  } finally {
    process.umask(old);
  }
  assert.equal(killed.code, null, `killed at point ${at}: ${killed.stdout}${killed.stderr}`);
  const left = (await readdir(tmp)).filter((n) => STAGE.test(n));
  assert.equal(left.length, 1, JSON.stringify(left));
  const stage = join(tmp, left[0]!);
  assert.equal((await lstat(stage)).mode & 0o777, 0o700);
  const key = join(stage, 'conf/ssl/am.wso2.com.key');
  assert.match(await readFile(key, 'utf8'), /PRIVATE KEY/);
  assert.equal((await lstat(key)).mode & 0o777, 0o600);
  for (const [p, kind, mode] of await modes(stage)) if (kind !== 'link') assert.equal(mode, kind === 'dir' ? '700' : '600', p);
  // Nothing of the node was written (the kill came before the checkpoint); the lock may remain.
  assert.deepEqual(await treeState(root, { skip: ['apim-gateway-wizard', '.apim-gateway-wizard'] }), before);

  const next = runCli(['plan', '--answers', answers, '--root', root], { TMPDIR: tmp });
  assert.equal(next.code, 2, next.stderr);
  assert.deepEqual((await readdir(tmp)).filter((n) => STAGE.test(n)), [], 'the next run removed the stale stage');
  const apply = runCli(['apply', '--answers', answers, '--root', root, '--yes'], { TMPDIR: tmp });
  assert.equal(apply.code, 0, apply.stderr);
  assert.equal(runCli(['plan', '--answers', answers, '--root', root], { TMPDIR: tmp }).code, 0);
  assert.deepEqual((await readdir(tmp)).filter((n) => STAGE.test(n)), []);
});

test('a FIFO among nginx\'s files: the plan warns and apply refuses at once, naming it; nothing written', { skip }, async () => {
  const root = await demoSandbox();
  const pipe = join(root, 'etc/nginx/conf.d/pipe.conf');
  execFileSync('mkfifo', [pipe]);
  const answers = await lbAnswers();
  const skipped = { skip: ['pipe.conf', 'apim-gateway-wizard', '.apim-gateway-wizard'] };
  const before = await treeState(root, skipped);
  const said = `${pipe} is a FIFO (named pipe), not a regular file; nothing was read from it`;
  const plan = runCli(['plan', '--answers', answers, '--root', root]);
  assert.equal(plan.code, 2, plan.stderr);
  assert.ok(plan.stdout.includes(`warning: the configuration cannot be tested: ${said}`), plan.stdout);
  const apply = runCli(['apply', '--answers', answers, '--root', root, '--yes']);
  assert.equal(apply.code, 1, apply.stdout);
  assert.ok(apply.stderr.includes(said), apply.stderr);
  assert.deepEqual(await treeState(root, skipped), before);
});

test('the trial certificate\'s key folder: 0700, gone after use; one left by a killed run (dead pid) is removed by the next', async () => {
  const tmp = await tempDir();
  const gone = spawnSync('true').pid!;
  const stale = join(tmp, `${TRIAL_TEMP_PREFIX}${gone}-dead01`);
  await mkdir(stale);
  await writeFile(join(stale, 'key.pem'), 'a key left by a kill');
  await mkdir(join(tmp, `${TRIAL_TEMP_PREFIX}1-alive1`)); // pid 1 runs
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    const { cert, key } = await makeTrialCertificate(['gw.example.com']);
    assert.match(cert, /BEGIN CERTIFICATE/);
    assert.match(key, /PRIVATE KEY/);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  assert.deepEqual(await readdir(tmp), [`${TRIAL_TEMP_PREFIX}1-alive1`]);
});
