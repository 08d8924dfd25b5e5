// Step 3 on the manager: rsync deployment synchronisation. Three whole files the wizard owns
// (the script, the workers list, the cron entry); proven with bash -n and shellcheck before
// anything is written; afterwards the job's directory is given to the cron user.
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Answers } from '../answers/schema.js';
import type { Release } from '../node/release.js';
import { sameHost } from '../answers/validators.js';
import { onDisk, productFile } from '../node/layout.js';
import { runProcess } from '../run/process.js';
import { CRON_FILE, syncEnabled, syncPaths, syncTargets } from '../run/sync/paths.js';
import { renderCron, renderCronOff, renderScript, renderWorkers, renderWorkersOff, syncJob, type SyncJob } from '../run/sync/render.js';
import { applyXmlEdits, readText } from '../edit/xml/index.js';
import type { Contribution, Step, StepContext } from './contribution.js';

const DEPSYNC_ENABLED = '/Server/DeploymentSynchronizer/Enabled';

/** SVN/registry DepSync and rsync would both write repository/deployment/server: only rsync stays. */
function depSyncOff(text: string): string {
  return readText(text, DEPSYNC_ENABLED)?.trim() === 'true' ? applyXmlEdits(text, [{ op: 'setText', path: DEPSYNC_ENABLED, value: 'false' }]) : text;
}

function describeSchedule(schedule: string): string {
  return schedule === '* * * * *' ? 'every minute' : `on the schedule "${schedule}"`;
}

/** Worker addresses and sync hosts are two answers about the same machines: say where they disagree. */
export function consistencyWarnings(a: Answers): string[] {
  const warnings: string[] = [];
  // Compared canonically: 2001:db8::1 and 2001:0db8::1, ::ffff:192.0.2.1 and 192.0.2.1 are one address.
  const workerIps = (a.workerIps ?? []) as string[];
  const hosts = syncTargets(a).map((t) => t.host);
  const byIp = hosts.filter((h) => isIP(h) !== 0);
  const among = (list: string[], x: string) => list.some((y) => sameHost(x, y));
  if (workerIps.length) {
    for (const h of byIp) {
      if (!among(workerIps, h)) warnings.push(`syncTargets pushes to ${h}, which is not among workerIps (${workerIps.join(', ')}): is it a Gateway Worker?`);
    }
    const missed = workerIps.filter((ip) => !among(byIp, ip));
    // Targets given by host name may be those workers; only a shortfall is certain.
    if (missed.length > hosts.length - byIp.length) {
      warnings.push(`workerIps lists ${missed.join(', ')}, but syncTargets pushes to no such address: that worker would not get deployed APIs`);
    }
  }
  if (a.managerIp !== undefined && among(hosts, a.managerIp)) {
    warnings.push(`syncTargets pushes to ${a.managerIp}, the manager's own address (managerIp)`);
  }
  if (a.syncCronUser === 'root') {
    warnings.push('syncCronUser is root: the job would run as root; the user that runs API-M on this manager is enough');
  }
  return warnings;
}

/**
 * No syncTargets (any more) on a manager: its job left from before must stop, or cron keeps
 * pushing with --delete to the workers it listed. Its two files become comments only. The cron
 * entry is machine-wide: it is only touched when it runs this home's script.
 */
function switchedOff(a: Answers): Contribution[] {
  if (a.role !== 'manager' || !a.productHome) return [];
  const home = a.productHome.replace(/\/+$/, '');
  const paths = syncPaths(home);
  const off = 'deployment sync off (no syncTargets)';
  return [
    {
      file: paths.workers,
      format: 'generated',
      mayCreate: false,
      onlyIfPresent: true,
      reason: `${off}: no workers listed any more`,
      edit: () => renderWorkersOff(),
    },
    {
      file: CRON_FILE,
      format: 'generated',
      mayCreate: false,
      onlyIfPresent: true,
      reason: `${off}: the cron entry runs nothing, so nothing is pushed to the workers it listed`,
      edit: (text) => (text.includes(paths.script) ? renderCronOff(home) : text),
    },
  ];
}

/** What the manager pushes on its release, and why (the plan's reason). */
export function pushedText(a: Answers, release: Release): string {
  const deployment =
    release.syncScope === 'synapse'
      ? `repository/deployment/server/synapse-configs/ only (on ${release.id} a worker's --optimize start removes webapps and jaggeryapps; pushing the whole folder with --delete would put them back every run, so only the Synapse artifacts, which a Gateway Worker serves, are pushed, as WSO2 advises)`
      : 'repository/deployment/server/';
  return a.syncTenants ? `${deployment} and repository/tenants/` : deployment;
}

export function depsyncContributions(a: Answers, release: Release | undefined): Contribution[] {
  if (!syncEnabled(a)) return switchedOff(a);
  if (!release) throw new Error('depsync: the release of this manager is not known');
  // Checked once here; a refused destination or path fails the plan with the field's name.
  let job: SyncJob | undefined;
  let problem: string | undefined;
  try {
    job = syncJob(a, release.syncScope);
  } catch (e) {
    problem = (e as Error).message;
  }
  const use = (render: (j: SyncJob) => string) => () => {
    if (!job) throw new Error(problem);
    return render(job);
  };
  const home = a.productHome!.replace(/\/+$/, '');
  const dir = `${home}/depsync`;
  const n = a.syncTargets!.length;
  const pairs = pushedText(a, release);
  return [
    {
      file: productFile(home, 'carbon'),
      format: 'xml',
      mayCreate: false,
      reason: 'DeploymentSynchronizer (SVN DepSync) off: rsync alone writes repository/deployment/server/',
      edit: depSyncOff,
    },
    {
      file: `${dir}/apim-gateway-wizard-depsync.sh`,
      format: 'generated',
      mayCreate: true,
      mode: 0o755,
      reason: `sync script: pushes ${pairs} to ${n} worker(s) over ssh with ${a.syncKey}; ${dir}/ is given to ${a.syncCronUser} (lock, log, known_hosts)`,
      edit: use(renderScript),
    },
    {
      file: `${dir}/workers.list`,
      format: 'generated',
      mayCreate: true,
      mode: 0o644,
      reason: `workers: ${a.syncTargets!.join(', ')}`,
      edit: use(renderWorkers),
      warnings: () => (job ? consistencyWarnings(a) : []),
    },
    {
      file: CRON_FILE,
      format: 'generated',
      mayCreate: true,
      mode: 0o644,
      reason: `runs the sync as ${a.syncCronUser} ${describeSchedule(a.syncSchedule ?? '* * * * *')}; each worker waits until its first sync was previewed and confirmed (apim-gateway-wizard sync)`,
      edit: use(renderCron),
    },
  ];
}

async function userIds(user: string): Promise<{ uid: number; gid: number } | undefined> {
  const [u, g] = await Promise.all([runProcess('id', ['-u', '--', user]), runProcess('id', ['-g', '--', user])]);
  if (!u.ok || !g.ok) return undefined;
  return { uid: Number(u.stdout[0]), gid: Number(g.stdout[0]) };
}

async function verifyScript(bytes: Buffer, say: (line: string) => void): Promise<void> {
  const syntax = await runProcess('bash', ['-n'], { input: bytes.toString() });
  if (!syntax.ok) throw new Error(`the sync script does not pass bash -n: ${syntax.stderr.join(' ')}`);
  const lint = await runProcess('shellcheck', ['--shell=bash', '--severity=style', '-'], { input: bytes.toString() });
  if (lint.startError) {
    say('shellcheck is not installed: the sync script was checked with bash -n only');
    return;
  }
  if (!lint.ok) throw new Error(`the sync script does not pass shellcheck:\n${lint.stdout.join('\n')}`);
}

/** The job's files, whatever the release: the script, the workers list and the cron entry keep their paths. */
function ourFiles(a: Answers): string[] {
  const home = a.productHome!.replace(/\/+$/, '');
  return [productFile(home, 'carbon'), syncPaths(home).script, syncPaths(home).workers, CRON_FILE];
}

export const depsyncStep: Step = {
  id: 'depsync',
  contributions: depsyncContributions,
  async verify(ctx: StepContext) {
    if (!syncEnabled(ctx.answers)) return;
    const [, script] = ourFiles(ctx.answers);
    const bytes = ctx.files.get(script!);
    if (bytes) await verifyScript(bytes, ctx.say ?? (() => {}));
    // Under --root (a rehearsal) the cron user belongs to another machine.
    if (ctx.root === undefined && !(await userIds(ctx.answers.syncCronUser!))) {
      throw new Error(`syncCronUser ${ctx.answers.syncCronUser} does not exist on this manager`);
    }
  },
  async activate(ctx: StepContext) {
    if (!syncEnabled(ctx.answers) || ctx.restored) return;
    const [, script, workers, cron] = ourFiles(ctx.answers) as [string, string, string, string];
    if (![script, workers, cron].some((f) => ctx.files.has(f))) return;
    const dir = onDisk(ctx.root, `${ctx.answers.productHome!.replace(/\/+$/, '')}/depsync`);
    await mkdir(dir, { recursive: true });
    const ids = await userIds(ctx.answers.syncCronUser!);
    if (ids) await chown(dir, ids.uid, ids.gid);
    else ctx.say?.(`${ctx.answers.syncCronUser} does not exist here: ${dir} stays root's`);
    // cron ignores a cron.d file that is not root's or that others can write.
    const cronPath = onDisk(ctx.root, cron);
    if (process.getuid?.() === 0) await chown(cronPath, 0, 0);
    await chmod(cronPath, 0o644);
    const scriptPath = onDisk(ctx.root, script);
    if (((await stat(scriptPath)).mode & 0o777) !== 0o755) await chmod(scriptPath, 0o755);
  },
};
