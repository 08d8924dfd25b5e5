// Step 1, the load balancer, with the real nginx (Debian's nginx-light) and openssl: generated
// sites pass `nginx -t`, bad inputs write nothing, and a real nginx routes requests to small
// local HTTPS servers standing in for the manager and the workers. Everything on 127.0.0.x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { lstat, mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import https from 'node:https';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AnswersError, resolveAnswers, type AnswersLayer } from '../src/core/answers/load.js';
import { applyPlan, ApplyError } from '../src/core/apply/apply.js';
import { detectNginx, nginxBuild, siteLink } from '../src/core/run/nginx/install.js';
import { errorLogArgs, pidFileOf, stageNginx, testNginxConfig } from '../src/core/run/nginx/stage.js';
import { makePlan, pending, PlanError } from '../src/core/plan/plan.js';
import { rollback, RollbackError } from '../src/core/apply/rollback.js';
import { loadBalancerStep } from '../src/core/steps/load-balancer.js';
import { makeTrialCertificate, TRIAL_ORGANIZATION } from '../src/core/run/nginx/tls.js';
import { onDisk, stateDir } from '../src/core/node/layout.js';
import { runProcess } from '../src/core/run/process.js';
import { demoSandbox, LB_ANSWERS, REPO, runCli, tempDir, treeState } from './helpers.js';

const SITE = LB_ANSWERS.nginxSite;
const LINK = '/etc/nginx/sites-enabled/apim-gateway';
const build = await nginxBuild();
const skip = build.binary && build.confPath === '/etc/nginx/nginx.conf' ? false : `needs nginx built for /etc/nginx/nginx.conf (Debian's nginx-light): ${build.problem ?? build.confPath}`;

function lb(extra: AnswersLayer = {}) {
  return resolveAnswers({
    ...LB_ANSWERS,
    workerIps: [...LB_ANSWERS.workerIps],
    ...extra,
  });
}

test('where the site goes: Debian sites-available + link, else conf.d, else a clear problem', { skip }, async () => {
  const debian = await demoSandbox();
  assert.deepEqual(await detectNginx(debian).then((d) => [d.site, d.kind]), [SITE, 'sites-enabled']);
  assert.deepEqual(siteLink(SITE), { link: LINK, target: '../sites-available/apim-gateway' });

  const confd = await tempDir();
  await mkdir(join(confd, 'etc/nginx/conf.d'), { recursive: true });
  await writeFile(join(confd, 'etc/nginx/nginx.conf'), 'events {}\nhttp {\n  # include /etc/nginx/sites-enabled/*;\n  include conf.d/*.conf;\n}\n');
  assert.deepEqual(await detectNginx(confd).then((d) => [d.site, d.kind]), ['/etc/nginx/conf.d/apim-gateway.conf', 'conf.d']);
  assert.equal(siteLink('/etc/nginx/conf.d/apim-gateway.conf'), undefined);

  await writeFile(join(confd, 'etc/nginx/nginx.conf'), 'events {}\nhttp {\n  include /srv/other/*.conf;\n}\n');
  assert.match((await detectNginx(confd)).problem ?? '', /includes neither sites-enabled\/\* nor conf\.d\/\*\.conf/);
});

for (const workers of [1, 2, 10]) {
  test(`a site for ${workers} worker(s) passes the real nginx -t, is installed, and a second plan is empty`, { skip }, async () => {
    const root = await demoSandbox();
    const workerIps = Array.from({ length: workers }, (_, i) => `10.0.${Math.floor(i / 200)}.${(i % 200) + 20}`);
    const answers = lb({ workerIps, managerIp: '10.0.9.10', httpApiTraffic: workers === 2 });
    const said: string[] = [];
    const result = await applyPlan(await makePlan(answers, root), { root, onProgress: (l) => said.push(l) });
    assert.deepEqual(result.written, [SITE, LINK, '/etc/nginx/ssl/am.wso2.com.crt', '/etc/nginx/ssl/am.wso2.com.key']);
    assert.ok(said.includes('nginx -t accepts the configuration with the new site (/etc/nginx/nginx.conf)'), said.join('\n'));
    assert.ok(said.some((l) => l.startsWith('nginx is not running')), said.join('\n'));

    const site = await readFile(join(root, SITE), 'utf8');
    assert.equal((site.match(/^ {4}server 10\.0\.\d+\.\d+:8243;$/gm) ?? []).length, workers);
    assert.equal((site.match(/:8280;$/gm) ?? []).length, workers === 2 ? 2 : 0);
    assert.match(site, /^ {4}listen 127\.0\.0\.1:18443 ssl;$/m);
    assert.doesNotMatch(site, /ssl on/);
    assert.equal(await readlink(join(root, LINK)), '../sites-available/apim-gateway');
    assert.equal((await stat(join(root, '/etc/nginx/ssl/am.wso2.com.key'))).mode & 0o777, 0o600);
    // The configuration as installed, read back from disk, passes nginx -t too.
    await testNginxConfig({ root, confPath: build.confPath });
    assert.equal(pending(await makePlan(answers, root)).length, 0);
  });
}

test('invalid inputs: a clear error naming the problem, and nothing written', { skip }, async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  const rejects = async (make: () => Promise<unknown>, pattern: RegExp) => {
    await assert.rejects(make, (e: Error) => pattern.test(e.message), String(pattern));
  };
  await rejects(
    async () => makePlan(lb({ selfSignedCertificate: false, tlsCertificate: '/etc/ssl/nope.crt', tlsCertificateKey: '/etc/ssl/nope.key' }), root),
    /tlsCertificate \/etc\/ssl\/nope\.crt does not exist/,
  );
  await rejects(async () => makePlan(lb({ workerIps: ['10.0.0.1', '10.0.0.300'] }), root), /workerIps\[1\] is not an IPv4 or IPv6 address/);
  await rejects(async () => makePlan(lb({ workerIps: ['10.0.0.1', '10.0.0.1'] }), root), /workerIps lists 10\.0\.0\.1 twice/);
  await rejects(async () => makePlan(lb({ managerIp: 'manager' }), root), /managerIp is not an IPv4 or IPv6 address/);
  await rejects(async () => makePlan(lb({ nginxSite: '/srv/apim-gateway.conf' }), root), /nginxSite \/srv\/apim-gateway\.conf is outside \/etc\/nginx/);
  await rejects(async () => makePlan(lb({ tlsCertificate: '/etc/nginx/ssl/a b.crt' }), root), /tlsCertificate .* has a character nginx would misread/);
  await assert.rejects(async () => lb({ selfSignedCertificate: false }), (e: Error) => e instanceof AnswersError && /tlsCertificate is required/.test(e.message));

  // A certificate whose key is another one's.
  const a = await makeTrialCertificate(['am.wso2.com']);
  const b = await makeTrialCertificate(['am.wso2.com']);
  await mkdir(join(root, 'etc/ssl'), { recursive: true });
  await writeFile(join(root, 'etc/ssl/lb.crt'), a.cert);
  await writeFile(join(root, 'etc/ssl/lb.key'), b.key);
  await rejects(
    async () => makePlan(lb({ selfSignedCertificate: false, tlsCertificate: '/etc/ssl/lb.crt', tlsCertificateKey: '/etc/ssl/lb.key' }), root),
    /the key does not belong to the certificate/,
  );
  await rm(join(root, 'etc/ssl'), { recursive: true });

  // The admin's own certificate at the trial path is never overwritten.
  await mkdir(join(root, 'etc/nginx/ssl'), { recursive: true });
  const tmp = await tempDir();
  const made = await runProcess('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(tmp, 'k'), '-out', join(tmp, 'c'), '-days', '1', '-subj', '/O=Example Corp/CN=am.wso2.com']);
  assert.ok(made.ok, made.stderr.join('\n'));
  const ownCert = await readFile(join(tmp, 'c'), 'utf8');
  assert.match(ownCert, /BEGIN CERTIFICATE/);
  await writeFile(join(root, 'etc/nginx/ssl/am.wso2.com.crt'), ownCert);
  await rejects(async () => makePlan(lb(), root), /is not a trial certificate the wizard made/);
  await rm(join(root, 'etc/nginx/ssl'), { recursive: true });

  assert.deepEqual(await treeState(root), before);
});

test('a site that nginx -t rejects: nginx\'s own message with the file and line the admin knows; nothing written', { skip }, async () => {
  const root = await demoSandbox();
  // Another site already defines an upstream of the same name.
  await writeFile(join(root, 'etc/nginx/conf.d/old.conf'), 'upstream apim_gateway_manager {\n    server 127.0.0.1:9;\n}\n');
  const before = await treeState(root);
  const plan = await makePlan(lb(), root);
  const line = (plan.changes.find((c) => c.file === SITE)!.after.toString().split('\n').findIndex((l) => l.startsWith('upstream apim_gateway_manager'))) + 1;
  await assert.rejects(applyPlan(plan, { root }), (e: Error) => {
    assert.ok(e instanceof ApplyError);
    assert.match(e.message, /^nginx -t rejects the configuration with the new site:\n/);
    assert.ok(e.message.includes(`duplicate upstream "apim_gateway_manager" in ${SITE}:${line}`), e.message);
    assert.doesNotMatch(e.message, /apim-gateway-nginx-|\/tmp\//);
    assert.match(e.message, /nothing was written$/);
    return true;
  });
  assert.deepEqual(await treeState(root), before);

  // The same through the command line: exit 1, nothing written.
  const answers = join(await tempDir(), 'lb.json');
  await writeFile(answers, JSON.stringify({ ...JSON.parse(await readFile(join(REPO, 'templates/examples/load-balancer.json'), 'utf8')), proxyHttpPort: 18080, proxyHttpsPort: 18443 }));
  const r = runCli(['apply', '--answers', answers, '--root', root, '--yes']);
  assert.equal(r.code, 1, r.stdout);
  assert.ok(r.stderr.includes(`duplicate upstream "apim_gateway_manager" in ${SITE}:${line}`), r.stderr);
  assert.deepEqual(await treeState(root), before);
});

test('a site edited by hand: the plan shows the edits; keep and replace work headless', { skip }, async () => {
  const root = await demoSandbox();
  const answers = join(await tempDir(), 'lb.json');
  await writeFile(answers, await readFile(join(REPO, 'templates/examples/load-balancer.json')));
  assert.equal(runCli(['apply', '--answers', answers, '--root', root, '--yes']).code, 0);
  const site = join(root, SITE);
  const edited = (await readFile(site, 'utf8')).replace('proxy_read_timeout 5m;', 'proxy_read_timeout 9m;');
  await writeFile(site, edited);

  const plan = runCli(['plan', '--answers', answers, '--root', root]);
  assert.equal(plan.code, 2);
  assert.match(plan.stdout, /EDITED +\/etc\/nginx\/sites-available\/apim-gateway/);
  assert.match(plan.stdout, /^\+ +proxy_read_timeout 9m;$/m);

  const fail = runCli(['apply', '--answers', answers, '--root', root, '--yes']);
  assert.equal(fail.code, 1);
  assert.equal(await readFile(site, 'utf8'), edited);

  assert.equal(runCli(['apply', '--answers', answers, '--root', root, '--yes', '--on-conflict', 'keep']).code, 0);
  assert.equal(await readFile(site, 'utf8'), edited);

  const replace = runCli(['apply', '--answers', answers, '--root', root, '--yes', '--on-conflict', 'replace']);
  assert.equal(replace.code, 0, replace.stderr);
  assert.doesNotMatch(await readFile(site, 'utf8'), /9m/);
  assert.equal(runCli(['plan', '--answers', answers, '--root', root]).code, 0);
});

test('the trial certificate: both names, kept while it fits, made anew for new names; a stray link is refused', { skip }, async () => {
  const root = await demoSandbox();
  await applyPlan(await makePlan(lb(), root), { root });
  const crt = join(root, 'etc/nginx/ssl/am.wso2.com.crt');
  const first = await readFile(crt, 'utf8');
  const { X509Certificate } = await import('node:crypto');
  const cert = new X509Certificate(first);
  assert.equal(cert.subjectAltName, 'DNS:am.wso2.com, DNS:mgt.am.wso2.com');
  assert.ok(cert.subject.includes(`O=${TRIAL_ORGANIZATION}`));

  const renamed = await makePlan(lb({ mgtHostName: 'admin.am.wso2.com' }), root);
  const change = renamed.changes.find((c) => c.file === '/etc/nginx/ssl/am.wso2.com.crt')!;
  assert.equal(change.status, 'change');
  assert.match(change.diff, /^\+names +DNS:am\.wso2\.com, DNS:admin\.am\.wso2\.com$/m);
  assert.ok(!renamed.changes.some((c) => c.diff.includes('PRIVATE KEY')), 'a key is never shown');
  await applyPlan(renamed, { root });
  assert.equal((await stat(join(root, 'etc/nginx/ssl/am.wso2.com.key'))).mode & 0o777, 0o600);
  assert.notEqual(await readFile(crt, 'utf8'), first);

  await rm(join(root, LINK));
  await symlink('../sites-available/default', join(root, LINK));
  await assert.rejects(makePlan(lb({ mgtHostName: 'admin.am.wso2.com' }), root), (e: Error) => e instanceof PlanError && /is a link to \.\.\/sites-available\/default/.test(e.message));
});

test('a failure after writing removes the created site, link, certificate and key', { skip }, async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  await assert.rejects(
    applyPlan(await makePlan(lb(), root), {
      root,
      beforeWrite: (i) => {
        if (i === 3) throw new Error('disk full (injected)');
      },
    }),
    /disk full \(injected\)[\s\S]*restored 3 file\(s\)/,
  );
  await assert.rejects(lstat(join(root, LINK)), { code: 'ENOENT' });
  assert.deepEqual(Object.keys(await treeState(join(root, 'etc'))).sort(), Object.keys(before).filter((k) => k.startsWith('etc/')).map((k) => k.slice(4)).sort());
});

test('rollback removes the site and its sites-enabled link; undoing that rollback puts the link back as a link', { skip }, async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  await applyPlan(await makePlan(lb(), root), { root });
  const applied = await treeState(root);
  assert.equal(applied['etc/nginx/sites-enabled/apim-gateway'], '-> ../sites-available/apim-gateway');
  const state = onDisk(root, stateDir(undefined));
  const r = await rollback(state, root);
  assert.deepEqual(await treeState(root, { skip: ['apim-gateway-wizard'] }), await withoutState(before));
  await rollback(state, root, r.undo.manifest.id);
  assert.ok((await lstat(join(root, LINK))).isSymbolicLink());
  assert.deepEqual(await treeState(root, { skip: ['apim-gateway-wizard'] }), await withoutState(applied));
});

test('checkpoints from before links were marked in them: still restored as links; a dangling link does not stop a rollback', { skip }, async () => {
  const root = await demoSandbox();
  const before = await treeState(root);
  await applyPlan(await makePlan(lb(), root), { root });
  const applied = await treeState(root);
  const state = onDisk(root, stateDir(undefined));
  // As an older version wrote the manifest: no symlink flag.
  const [checkpoint] = await readdir(join(state, 'checkpoints'));
  const manifestFile = join(state, 'checkpoints', checkpoint!, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { files: Array<{ symlink?: boolean }> };
  assert.ok(manifest.files.some((f) => f.symlink), 'this version marks links');
  for (const f of manifest.files) delete f.symlink;
  await writeFile(manifestFile, JSON.stringify(manifest));
  const r = await rollback(state, root);
  assert.deepEqual(await treeState(root, { skip: ['apim-gateway-wizard'] }), await withoutState(before));
  await rollback(state, root, r.undo.manifest.id);
  assert.ok((await lstat(join(root, LINK))).isSymbolicLink());
  assert.deepEqual(await treeState(root, { skip: ['apim-gateway-wizard'] }), await withoutState(applied));

  // The site removed by hand: its link dangles; rollback still removes what the apply created.
  const second = await demoSandbox();
  await applyPlan(await makePlan(lb(), second), { root: second });
  await rm(join(second, SITE));
  await rollback(onDisk(second, stateDir(undefined)), second);
  await assert.rejects(lstat(join(second, LINK)), { code: 'ENOENT' });
});

test('after a rollback: nginx is seen to for a load balancer\'s files wherever they are, and for files under /etc/nginx', { skip }, async () => {
  const root = await demoSandbox();
  const said = async (role: string, files: string[]) => {
    const lines: string[] = [];
    await loadBalancerStep.afterRollback!({ root, role, files, say: (l) => lines.push(l) });
    return lines;
  };
  // nginx is not running under this root: it says when the files take effect.
  assert.match((await said('load-balancer', ['/etc/ssl/private/am.wso2.com.key']))[0] ?? '', /^nginx is not running .*: the rolled-back configuration takes effect when it starts/);
  assert.equal((await said('manager', ['/etc/nginx/sites-available/apim-gateway'])).length, 1);
  assert.deepEqual(await said('manager', ['/etc/hosts', '/opt/wso2am-2.1.0/repository/conf/carbon.xml']), []);
  assert.deepEqual(await said('load-balancer', []), []);
});

/** A tree state without the wizard's own state directory (checkpoints differ run to run). */
async function withoutState(state: Record<string, string>): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(state).filter(([p]) => !p.split('/').includes('apim-gateway-wizard')));
}

// --- A real request path -------------------------------------------------------------------

interface Seen {
  who: string;
  headers: http.IncomingHttpHeaders;
}

async function backend(who: string, host: string, port: number, tls: { cert: string; key: string }): Promise<https.Server> {
  const server = https.createServer(tls, (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ who, headers: req.headers, url: req.url }));
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function get(url: string, host: string, insecure = true): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers: { host }, servername: host.split(':')[0], rejectUnauthorized: !insecure, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

async function waitForPort(port: number, host = '127.0.0.1', ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, host, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('real requests through nginx: management host → manager, cluster host alternates workers, 80 → HTTPS, forwarded headers; reloads', { skip, timeout: 120_000 }, async () => {
  const root = await demoSandbox();
  const tls = await makeTrialCertificate(['localhost']);
  const managerPort = await freePort();
  let workerPort = await freePort('127.0.0.2');
  const servers: https.Server[] = [];
  let nginx: ChildProcess | undefined;
  let staged: Awaited<ReturnType<typeof stageNginx>> | undefined;
  try {
    servers.push(await backend('manager', '127.0.0.1', managerPort, tls));
    for (let attempt = 0; ; attempt++) {
      try {
        servers.push(await backend('worker-2', '127.0.0.2', workerPort, tls));
        servers.push(await backend('worker-3', '127.0.0.3', workerPort, tls));
        break;
      } catch (e) {
        for (const s of servers.splice(1)) s.close();
        if (attempt > 5) throw e;
        workerPort = await freePort('127.0.0.2');
      }
    }
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const answers = lb({ managerPort, workerHttpsPort: workerPort, proxyHttpPort: httpPort, proxyHttpsPort: httpsPort });
    await applyPlan(await makePlan(answers, root), { root });

    // nginx runs the installed configuration (staged from the root), its pid file where activate looks.
    const pidFile = await pidFileOf(build.confPath, root);
    staged = await stageNginx({ root, confPath: build.confPath, pidFile: onDisk(root, pidFile) });
    await mkdir(join(root, 'run'), { recursive: true });
    nginx = spawn(build.binary!, ['-c', staged.conf, ...errorLogArgs(build.version, staged.dir), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let nginxErr = '';
    nginx.stderr!.on('data', (d) => (nginxErr += d));
    await waitForPort(httpsPort).catch((e) => {
      throw new Error(`${(e as Error).message}\n${nginxErr}`);
    });

    const base = `https://127.0.0.1:${httpsPort}`;
    const mgt = await get(`${base}/carbon/`, `mgt.am.wso2.com:${httpsPort}`);
    assert.equal(mgt.status, 200, mgt.body);
    const seen = JSON.parse(mgt.body) as Seen & { url: string };
    assert.equal(seen.who, 'manager');
    assert.equal(seen.url, '/carbon/');
    assert.equal(seen.headers['x-forwarded-host'], 'mgt.am.wso2.com');
    assert.equal(seen.headers['x-forwarded-server'], 'mgt.am.wso2.com');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers.host, `mgt.am.wso2.com:${httpsPort}`);

    const who: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await get(`${base}/api/1.0/`, `am.wso2.com:${httpsPort}`);
      assert.equal(r.status, 200, r.body);
      const s = JSON.parse(r.body) as Seen;
      assert.equal(s.headers['x-forwarded-host'], 'am.wso2.com');
      who.push(s.who);
    }
    assert.deepEqual(new Set(who), new Set(['worker-2', 'worker-3']));
    for (let i = 1; i < who.length; i++) assert.notEqual(who[i], who[i - 1], `round robin: ${who.join(' ')}`);

    for (const host of ['am.wso2.com', 'mgt.am.wso2.com']) {
      const r = await get(`http://127.0.0.1:${httpPort}/x?y=1`, `${host}:${httpPort}`);
      assert.equal(r.status, 301);
      assert.equal(r.headers.location, `https://${host}:${httpsPort}/x?y=1`);
    }

    // A change while nginx runs: apply reloads it (new workers).
    const said: string[] = [];
    await applyPlan(await makePlan({ ...answers, workerIps: ['127.0.0.2'] }, root), { root, onProgress: (l) => said.push(l) });
    assert.ok(said.some((l) => /^nginx reloaded with the new site \(SIGHUP/.test(l)), said.join('\n'));
    const oneWorker = await readFile(join(root, SITE), 'utf8');

    // rollback puts the two-worker site back and reloads the running nginx (new worker
    // processes seen). This nginx runs a staged copy of the configuration, so what it routes
    // after a reload is not the point here; the reload and the files are.
    const rolledBack: string[] = [];
    await rollback(onDisk(root, stateDir(undefined)), root, undefined, (l) => rolledBack.push(l));
    assert.ok(rolledBack.some((l) => /^nginx reloaded with the rolled-back configuration \(SIGHUP/.test(l)), rolledBack.join('\n'));
    assert.match(await readFile(join(root, SITE), 'utf8'), /127\.0\.0\.3/);
    assert.notEqual(await readFile(join(root, SITE), 'utf8'), oneWorker);

    // A reload that nginx refuses (its configuration broken behind the wizard's back):
    // the files are restored, nginx is reloaded again, and apply says so.
    await writeFile(staged.conf, 'this is not nginx configuration;\n');
    const siteBefore = await readFile(join(root, SITE));
    process.env.APIM_GATEWAY_WIZARD_TEST_RELOAD_WAIT_MS = '1500';
    try {
      await assert.rejects(applyPlan(await makePlan({ ...answers, workerIps: ['127.0.0.3'] }, root), { root }), (e: Error) => {
        assert.ok(e instanceof ApplyError, e.message);
        assert.match(e.message, /did not take the new configuration/);
        assert.match(e.message, /restored 1 file\(s\) to what they were[^:\n]*: \/etc\/nginx\/sites-available\/apim-gateway/);
        assert.match(e.message, /load-balancer: could not be brought back after the restore/);
        return true;
      });
      // A rollback whose reload nginx refuses is undone: site, link, certificate and key stay.
      const beforeRollback = await treeState(join(root, 'etc'));
      await assert.rejects(rollback(onDisk(root, stateDir(undefined)), root), (e: Error) => {
        assert.ok(e instanceof RollbackError, e.message);
        assert.match(e.message, /^rollback failed: load-balancer: .*did not take/);
        assert.match(e.message, /put back as they were before the rollback\nand after that: load-balancer: /);
        return true;
      });
      assert.deepEqual(await treeState(join(root, 'etc')), beforeRollback);
    } finally {
      delete process.env.APIM_GATEWAY_WIZARD_TEST_RELOAD_WAIT_MS;
    }
    assert.deepEqual(await readFile(join(root, SITE)), siteBefore);
  } finally {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      await once(nginx, 'exit');
    }
    await staged?.cleanup();
    for (const s of servers) s.close();
  }
});
