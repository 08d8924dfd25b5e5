// The deployment sync job as the plan sees it: answers, the destination guard (in TS and in
// the generated script), the three generated files proven with the real bash and shellcheck,
// and the parsers of rsync's output. No ssh here; test/depsync-sync.test.ts pushes for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnswersError, layerFromFlags, resolveAnswers } from '../src/core/answers/load.js';
import { applyPlan } from '../src/core/apply/apply.js';
import { detectedAnswers, detectNode } from '../src/core/node/detect.js';
import { makePlan, pending, listed } from '../src/core/plan/plan.js';
import { runProcess } from '../src/core/run/process.js';
import { depsyncStep } from '../src/core/steps/depsync.js';
import { explain, EXPLANATIONS } from '../src/core/run/sync/explain.js';
import { addItem, emptySummary, parseItem, parseProgress } from '../src/core/run/sync/itemize.js';
import { CRON_FILE, syncPaths } from '../src/core/run/sync/paths.js';
import { renderScript, syncJob } from '../src/core/run/sync/render.js';
import { checkCronSchedule } from '../src/core/answers/cron-schedule.js';
import { parseTarget } from '../src/core/answers/sync-target.js';
import { DEPLOYMENT_PAIR, guardDestination, SYNAPSE_PAIR, TENANTS_PAIR } from '../src/core/run/sync/target.js';
import { parseCommandLine } from '../src/commands/options.js';
import { DEMO_HOME, demoSandbox, runCli, tempDir, treeState } from './helpers.js';
import { parseCron } from './cron.js';

const base = {
  role: 'manager',
  productHome: DEMO_HOME,
  hostName: 'am.wso2.com',
  mgtHostName: 'mgt.am.wso2.com',
  workerIps: ['192.0.2.21', '192.0.2.22'],
  syncTargets: ['wso2carbon@192.0.2.21:/opt/wso2am-2.1.0', 'wso2carbon@192.0.2.22:/opt/wso2am-2.1.0'],
  syncCronUser: 'wso2carbon',
};

function problemsOf(layer: Record<string, unknown>): string[] {
  try {
    resolveAnswers(layer);
  } catch (e) {
    if (e instanceof AnswersError) return e.problems;
    throw e;
  }
  return [];
}

test('answers: defaults, the derived key path, flags with lists; no sync fields without syncTargets', () => {
  const a = resolveAnswers(base);
  assert.equal(a.syncKey, '/opt/wso2am-2.1.0/depsync/id_ed25519');
  assert.equal(a.syncSshPort, 22);
  assert.equal(a.syncSchedule, '* * * * *');
  assert.equal(a.syncTenants, false);

  const { values } = parseCommandLine([
    'plan',
    '--sync-targets', 'wso2@10.0.0.21:/opt/wso2am-2.1.0,wso2@[2001:db8::5]:/srv/wso2am/',
    '--sync-targets', 'wso2@gw3.example.com:/opt/wso2am-2.1.0',
    '--sync-cron-user', 'wso2',
    '--sync-tenants', 'yes',
    '--sync-schedule', '*/2 * * * *',
    '--sync-ssh-port', '2222',
  ]);
  const flags = layerFromFlags(values);
  assert.deepEqual(flags.syncTargets, ['wso2@10.0.0.21:/opt/wso2am-2.1.0', 'wso2@[2001:db8::5]:/srv/wso2am/', 'wso2@gw3.example.com:/opt/wso2am-2.1.0']);
  const b = resolveAnswers({ ...base, ...flags });
  assert.equal(b.syncTenants, true);
  assert.equal(b.syncSshPort, 2222);
  assert.deepEqual(syncJob(b, 'deployment').targets, ['wso2@10.0.0.21:/opt/wso2am-2.1.0', 'wso2@[2001:db8::5]:/srv/wso2am', 'wso2@gw3.example.com:/opt/wso2am-2.1.0']);

  const none = resolveAnswers({ ...base, syncTargets: undefined, syncCronUser: undefined });
  assert.equal(none.syncKey, undefined);
  assert.equal(none.syncSchedule, undefined);
});

test('bad sync answers: each error names the field and says why', () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ syncTargets: ['wso2@10.0.0.21:opt/wso2am'] }, 'syncTargets', /absolute path/],
    [{ syncTargets: ['wso2@10.0.0.21:/'] }, 'syncTargets', /must not be \/ itself/],
    [{ syncTargets: ['wso2@10.0.0.21:/opt/wso2am/repository/deployment/server/'] }, 'syncTargets', /product home, not a directory inside it/],
    [{ syncTargets: ['10.0.0.21:/opt/wso2am'] }, 'syncTargets', /is not user@host:\/product\/home/],
    [{ syncTargets: ['wso2@10.0.0.21:/opt/../etc'] }, 'syncTargets', /normal form/],
    [{ syncTargets: ['wso2@10.0.0.21:/opt/wso2 am'] }, 'syncTargets', /character other than/],
    [{ syncTargets: ['wso2@2001:db8::5:/opt/wso2am'] }, 'syncTargets', /not user@host|not a host name/],
    [{ syncTargets: ['bad user@10.0.0.21:/opt/wso2am'] }, 'syncTargets', /not user@host|valid user name/],
    [{ syncTargets: ['a@10.0.0.21:/opt/wso2am', 'b@10.0.0.21:/opt/wso2am/'] }, 'syncTargets', /same worker home twice/],
    [{ syncCronUser: 'bad user' }, 'syncCronUser', /not a valid user name/],
    [{ syncCronUser: undefined }, 'syncCronUser', /is required for role manager/],
    [{ syncSchedule: '* * * *' }, 'syncSchedule', /4 field\(s\)/],
    [{ syncSchedule: '61 * * * *' }, 'syncSchedule', /minute "61" is outside 0-59/],
    [{ syncSchedule: '@reboot' }, 'syncSchedule', /not one of/],
    [{ syncSshPort: 0 }, 'syncSshPort', /1 to 65535/],
  ];
  for (const [change, key, why] of cases) {
    const problems = problemsOf({ ...base, ...change });
    assert.ok(problems.some((p) => p.includes(key) && why.test(p)), `${JSON.stringify(change)} → ${problems.join(' | ')}`);
  }
});

test('cron schedules: fields, ranges, steps, names and nicknames', () => {
  for (const ok of ['* * * * *', '*/5 * * * *', '0,30 8-18 * * mon-fri', '15 2 1 jan,jul *', '@hourly', '0 0 * * 7']) {
    assert.equal(checkCronSchedule(ok), undefined, ok);
  }
  for (const bad of ['', '* * * * * *', '*/0 * * * *', '5-1 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', 'x * * * *', '1/2/3 * * * *']) {
    assert.ok(checkCronSchedule(bad), bad);
  }
});

/** The generated script's own guard, run by bash on the same destinations. */
async function scriptGuard(script: string, dest: string, pair: string): Promise<string | undefined> {
  const fn = /\nguard\(\) \{[\s\S]*?\n\}\n/.exec(script)![0];
  const pattern = /\nreadonly DEST_PATTERN=(.*)\n/.exec(script)![1]!;
  const r = await runProcess('bash', ['-c', `DEST_PATTERN=${pattern}\n${fn}\nguard "$1" "$2"`, 'guard', dest, pair]);
  return r.ok ? undefined : r.stdout.join(' ');
}

test('the destination guard refuses /, relative and non-deployment paths, in TS and in the script alike', async () => {
  const script = renderScript(syncJob(resolveAnswers({ ...base, syncTenants: true }), 'deployment'));
  const refused: [string, typeof DEPLOYMENT_PAIR, RegExp][] = [
    ['/', DEPLOYMENT_PAIR, /absolute|\/ itself|user@host/],
    ['wso2@h:/', DEPLOYMENT_PAIR, /\/ itself|does not end/],
    ['repository/deployment/server/', DEPLOYMENT_PAIR, /absolute|user@host/],
    ['wso2@h:relative/repository/deployment/server/', DEPLOYMENT_PAIR, /absolute|user@host/],
    ['wso2@h:/opt/wso2am/repository/deployment/', DEPLOYMENT_PAIR, /does not end in repository\/deployment\/server\//],
    ['wso2@h:/opt/wso2am/repository/deployment/server', DEPLOYMENT_PAIR, /trailing slash/],
    ['wso2@h:/opt/wso2am/repository/deployment/server/x/', DEPLOYMENT_PAIR, /does not end/],
    ['wso2@h:/opt/../wso2am/repository/deployment/server/', DEPLOYMENT_PAIR, /normal form/],
    ['wso2@h:/opt//wso2am/repository/deployment/server/', DEPLOYMENT_PAIR, /normal form/],
    ['wso2@h:/opt/wso2am/repository/deployment/server/repository/deployment/server/', DEPLOYMENT_PAIR, /nested/],
    ['wso2@h:/opt/wso2am/repository/deployment/server/', TENANTS_PAIR, /does not end in repository\/tenants\//],
    ['wso2@h:/opt/wso2 am/repository/deployment/server/', DEPLOYMENT_PAIR, /letters, digits/],
    // 2.5+: only synapse-configs; the whole deployment folder is not a destination of that pair.
    ['wso2@h:/opt/wso2am/repository/deployment/server/', SYNAPSE_PAIR, /does not end in repository\/deployment\/server\/synapse-configs\//],
    ['wso2@h:/opt/wso2am/repository/deployment/server/synapse-configs', SYNAPSE_PAIR, /trailing slash/],
  ];
  for (const [dest, pair, why] of refused) {
    const ts = guardDestination(dest, pair);
    assert.ok(ts && why.test(ts), `TS guard on ${dest}: ${ts}`);
    assert.ok(await scriptGuard(script, dest, pair.dir), `script guard accepted ${dest}`);
  }
  for (const [dest, pair] of [
    ['wso2@h:/opt/wso2am-2.1.0/repository/deployment/server/', DEPLOYMENT_PAIR],
    ['wso2@[2001:db8::5]:/srv/wso2am/repository/tenants/', TENANTS_PAIR],
    ['wso2@gw1.example.com:/repository/deployment/server/', DEPLOYMENT_PAIR],
    ['wso2@h:/opt/wso2am-2.6.0/repository/deployment/server/synapse-configs/', SYNAPSE_PAIR],
  ] as const) {
    assert.equal(guardDestination(dest, pair), undefined, dest);
    assert.equal(await scriptGuard(script, dest, pair.dir), undefined, dest);
  }
  assert.equal(typeof parseTarget('wso2@h:/opt/x'), 'object');
});

test('plan and apply on the demo manager: script 755, workers list and cron entry 644, shellcheck-clean; second plan empty', async () => {
  const root = await demoSandbox();
  const a = resolveAnswers(base);
  const plan = await makePlan(a, root);
  const paths = syncPaths(DEMO_HOME);
  const sync = listed(plan).filter((c) => [paths.script, paths.workers, CRON_FILE].includes(c.file));
  assert.deepEqual(sync.map((c) => [c.file, c.status]), [[paths.script, 'create'], [paths.workers, 'create'], [CRON_FILE, 'create']]);
  assert.ok(!CRON_FILE.split('/').at(-1)!.includes('.'), 'cron.d skips names with dots');

  await applyPlan(plan, { root });
  const mode = async (f: string) => (await stat(join(root, f))).mode & 0o777;
  assert.equal(await mode(paths.script), 0o755);
  assert.equal(await mode(paths.workers), 0o644);
  assert.equal(await mode(CRON_FILE), 0o644);
  if (process.getuid?.() === 0) assert.equal((await stat(join(root, CRON_FILE))).uid, 0);

  const scriptFile = join(root, paths.script);
  assert.ok((await runProcess('bash', ['-n', scriptFile])).ok);
  const lint = await runProcess('shellcheck', ['--shell=bash', scriptFile]);
  assert.ok(lint.ok, lint.stdout.join('\n'));
  const script = await readFile(scriptFile, 'utf8');
  assert.match(script, /^#!\/bin\/bash\n# .*\n# Generated by apim-gateway-wizard/);
  assert.match(script, /\nset -euo pipefail\n/);
  assert.match(script, /readonly PAIRS=\('repository\/deployment\/server\/'\)\n/);
  assert.match(script, /-o BatchMode=yes .*-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=\/opt\/wso2am-2\.1\.0\/depsync\/known_hosts/);
  assert.doesNotMatch(script, /StrictHostKeyChecking=no/);

  const workers = await readFile(join(root, paths.workers), 'utf8');
  assert.deepEqual(workers.split('\n').filter((l) => l && !l.startsWith('#')), base.syncTargets);

  const cron = parseCron(await readFile(join(root, CRON_FILE), 'utf8'));
  assert.equal(cron.schedule, '* * * * *');
  assert.equal(cron.user, 'wso2carbon');
  assert.equal(cron.env.SHELL, '/bin/bash');
  assert.match(cron.env.PATH!, /(^|:)\/usr\/bin(:|$)/);
  assert.equal(cron.command, `${paths.script} >>${paths.log} 2>&1`);

  assert.equal(pending(await makePlan(a, root)).length, 0);

  // A re-run starts from the job on disk.
  const detected = detectedAnswers(await detectNode(DEMO_HOME, root));
  assert.deepEqual(
    { t: detected.syncTargets, u: detected.syncCronUser, s: detected.syncSchedule, k: detected.syncKey, p: detected.syncSshPort, n: detected.syncTenants },
    { t: base.syncTargets, u: 'wso2carbon', s: '* * * * *', k: '/opt/wso2am-2.1.0/depsync/id_ed25519', p: 22, n: false },
  );
});

test('the tenants pair is its own line; a manager without syncTargets gets no sync files', async () => {
  const script = renderScript(syncJob(resolveAnswers({ ...base, syncTenants: true }), 'deployment'));
  assert.match(script, /readonly PAIRS=\('repository\/deployment\/server\/' 'repository\/tenants\/'\)\n/);
  const root = await demoSandbox();
  const plan = await makePlan(resolveAnswers({ ...base, syncTargets: undefined, syncCronUser: undefined }), root);
  assert.ok(!plan.changes.some((c) => c.file.includes('depsync') || c.file === CRON_FILE));
});

test('syncTargets emptied later: the cron entry and workers list become comments only (shown as diffs), undone by rollback', async () => {
  const root = await demoSandbox();
  const paths = syncPaths(DEMO_HOME);
  await applyPlan(await makePlan(resolveAnswers(base), root), { root });
  const cronBefore = await readFile(join(root, CRON_FILE), 'utf8');
  const scriptBefore = await readFile(join(root, paths.script), 'utf8');

  const off = resolveAnswers({ ...base, syncTargets: [], syncCronUser: undefined });
  const plan = await makePlan(off, root);
  const sync = pending(plan).filter((c) => !c.internal && [paths.script, paths.workers, CRON_FILE].includes(c.file));
  assert.deepEqual(sync.map((c) => [c.file, c.status]), [[paths.workers, 'change'], [CRON_FILE, 'change']]);
  const cronChange = sync.find((c) => c.file === CRON_FILE)!;
  assert.match(cronChange.diff, new RegExp(`^-\\* \\* \\* \\* \\* wso2carbon ${paths.script.replace(/[.]/g, '\\.')} `, 'm'));
  assert.match(cronChange.reasons[0]!, /deployment sync off \(no syncTargets\): the cron entry runs nothing/);

  await applyPlan(plan, { root });
  const jobLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  assert.deepEqual(jobLines(await readFile(join(root, CRON_FILE), 'utf8')), []);
  assert.deepEqual(jobLines(await readFile(join(root, paths.workers), 'utf8')), []);
  assert.equal(await readFile(join(root, paths.script), 'utf8'), scriptBefore, 'the script is left as it was');
  assert.equal((await stat(join(root, CRON_FILE))).mode & 0o777, 0o644);
  // A re-run proposes no workers, and there is nothing more to change.
  assert.equal(detectedAnswers(await detectNode(DEMO_HOME, root)).syncTargets, undefined);
  assert.equal(pending(await makePlan(off, root)).length, 0);

  const back = runCli(['rollback', '--root', root, '--home', DEMO_HOME]);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(await readFile(join(root, CRON_FILE), 'utf8'), cronBefore);
});

test('the machine-wide cron entry of one manager home is left alone by a worker, and by a manager in another home', async () => {
  const root = await demoSandbox();
  await applyPlan(await makePlan(resolveAnswers(base), root), { root });
  const other = '/opt/other-wso2am';
  await cp(join(root, DEMO_HOME), join(root, other), { recursive: true });
  const cronFor = async (layer: Record<string, unknown>) => (await makePlan(resolveAnswers(layer), root)).changes.find((c) => c.file === CRON_FILE)?.status;
  assert.equal(await cronFor({ ...base, productHome: other, syncTargets: undefined, syncCronUser: undefined }), 'unchanged');
  assert.equal(await cronFor({ role: 'worker', productHome: DEMO_HOME, hostName: 'am.wso2.com', mgtHostName: 'mgt.am.wso2.com', managerIp: '192.0.2.10' }), undefined);
  assert.match(await readFile(join(root, CRON_FILE), 'utf8'), /^\* \* \* \* \* wso2carbon /m);
});

test('workerIps and syncTargets disagreeing, and the manager itself as a target: warnings in the plan', async () => {
  const root = await demoSandbox();
  const plan = await makePlan(
    resolveAnswers({ ...base, managerIp: '192.0.2.10', syncTargets: ['wso2carbon@192.0.2.21:/opt/wso2am-2.1.0', 'wso2carbon@192.0.2.99:/opt/wso2am-2.1.0', 'wso2carbon@192.0.2.10:/opt/wso2am-2.1.0'] }),
    root,
  );
  const text = plan.warnings.join('\n');
  assert.match(text, /192\.0\.2\.99, which is not among workerIps/);
  assert.match(text, /workerIps lists 192\.0\.2\.22, but syncTargets pushes to no such address/);
  assert.match(text, /192\.0\.2\.10, the manager's own address/);
});

test('a product home the job cannot quote safely is refused by name, and nothing is written', async () => {
  const root = await demoSandbox();
  await cp(join(root, DEMO_HOME), join(root, '/opt/wso2 am'), { recursive: true });
  const before = await treeState(root);
  const dir = await tempDir();
  const file = join(dir, 'm.json');
  await writeFile(file, JSON.stringify({ ...base, productHome: '/opt/wso2 am' }));
  const r = runCli(['plan', '--answers', file, '--root', root]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /productHome "\/opt\/wso2 am" has a character other than/);
  assert.deepEqual(await treeState(root), before);
});

test('verify runs the real bash -n and shellcheck on the new bytes: a broken script stops the apply', async () => {
  const answers = resolveAnswers(base);
  const script = syncPaths(DEMO_HOME).script;
  const good = renderScript(syncJob(answers, 'deployment'));
  const says: string[] = [];
  await depsyncStep.verify!({ answers, root: '/nonexistent-root', files: new Map([[script, Buffer.from(good)]]), say: (l) => says.push(l) });
  await assert.rejects(
    depsyncStep.verify!({ answers, root: '/x', files: new Map([[script, Buffer.from(good.replace('fi\n', ''))]]) }),
    /does not pass bash -n/,
  );
  await assert.rejects(
    depsyncStep.verify!({ answers, root: '/x', files: new Map([[script, Buffer.from(good.replace('then say "$out"; fi', 'then say $out; fi'))]]) }),
    /does not pass shellcheck:[\s\S]*SC2086/,
  );
});

test('itemized output of a real rsync: sends, new directories and every deletion, names with spaces kept', async () => {
  const dir = await tempDir();
  const src = join(dir, 'src/');
  const dst = join(dir, 'dst/');
  await mkdir(join(src, 'a b/c'), { recursive: true });
  await writeFile(join(src, 'a b/c/f 1.xml'), 'x');
  await writeFile(join(src, 'top.xml'), 'y');
  await mkdir(join(dst, 'old dir'), { recursive: true });
  await writeFile(join(dst, 'old dir/gone.xml'), 'z');
  await writeFile(join(dst, ' leading space.xml'), 'z');
  const r = await runProcess('rsync', ['--archive', '--delete', '--itemize-changes', '--dry-run', src, dst]);
  assert.ok(r.ok, r.stderr.join('\n'));
  const s = emptySummary();
  for (const line of r.stdout) {
    const item = parseItem(line);
    assert.ok(item, `not understood: ${JSON.stringify(line)}`);
    addItem(s, item);
  }
  assert.equal(s.send, 2);
  assert.ok(s.mkdir >= 2);
  assert.deepEqual([...s.deletions].sort(), [' leading space.xml', 'old dir/', 'old dir/gone.xml']);

  assert.deepEqual(parseProgress('      2,097,152  69%    1.96MB/s    0:00:00  '), { bytes: '2,097,152', percent: 69, rate: '1.96MB/s', time: '0:00:00' });
  assert.deepEqual(parseProgress('      3,000,002 100%    2.11MB/s    0:00:01 (xfr#2, to-chk=0/5)'), {
    bytes: '3,000,002', percent: 100, rate: '2.11MB/s', time: '0:00:01', transferred: 2, toCheck: 0, total: 5,
  });
  assert.equal(parseProgress('>f+++++++++ big'), undefined);
});

test('ssh and rsync failures in plain words, the same in the script as in the wizard', async () => {
  const ctx = { target: 'wso2@10.0.0.21:/opt/wso2am', user: 'wso2', host: '10.0.0.21', port: 2222, key: '/k', knownHosts: '/kh', dest: 'wso2@10.0.0.21:/opt/wso2am/repository/deployment/server/' };
  const real: [string, string][] = [
    ['wso2@10.0.0.21: Permission denied (publickey).', 'key-refused'],
    ['Host key verification failed.', 'host-key-changed'],
    ['ssh: connect to host 10.0.0.21 port 2222: Connection refused', 'refused'],
    ['ssh: connect to host 10.0.0.21 port 2222: Connection timed out', 'timeout'],
    ['Connection timed out during banner exchange', 'timeout'],
    ['ssh: Could not resolve hostname gw9: Name or service not known', 'unknown-host'],
    ['bash: line 1: rsync: command not found', 'no-rsync'],
    ['rsync: [Receiver] change_dir#3 "/opt/wso2am/repository/deployment" failed: No such file or directory (2)', 'no-dest'],
    ['rsync: [Receiver] mkstemp "/x/.a.xml.Ab12" failed: Permission denied (13)', 'dest-not-writable'],
    ['Deletions stopped due to --max-delete limit (2 skipped)', 'too-many-deletions'],
  ];
  const script = renderScript(syncJob(resolveAnswers({ ...base, syncSshPort: 2222, syncKey: '/k' }), 'deployment'));
  const fn = /\nexplain\(\) \{[\s\S]*?\n\}\n/.exec(script)![0];
  for (const [output, id] of real) {
    const e = explain(output, ctx);
    assert.equal(e?.id, id, output);
    // The script's explain() for the same output: same words, its own paths for key and known_hosts.
    const r = await runProcess('bash', ['-c', `SSH_PORT=2222 KEY=/k KNOWN_HOSTS=/kh\n${fn}\nexplain "$1" "$2" "$3"`, 'x', output, ctx.target, ctx.dest]);
    assert.equal(r.stdout.join('\n'), e!.message, output);
  }
  assert.equal(explain('something else entirely', ctx), undefined);
  assert.equal(new Set(EXPLANATIONS.map((e) => e.id)).size, EXPLANATIONS.length);
});
