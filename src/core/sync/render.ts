// The three files of the sync job, rendered from templates/depsync/ with the answers. Pure
// (the templates are part of the program): same answers, same bytes.
import type { Answers } from '../answers/schema.js';
import type { SyncScope } from '../release.js';
import { ownedHeader } from '../owned.js';
import { readTemplate } from '../templates.js';
import { RSYNC_OPTIONS, remoteShell, type SshSettings } from './commands.js';
import { explainCaseBash } from './explain.js';
import { CRON_FILE, CRON_PATH, syncPairs, syncPaths, syncTargets, type SyncPaths } from './paths.js';
import { checkSyncPath, destination, DEST_PATTERN, formatTarget, guardDestination } from './target.js';

function template(name: string): string {
  return readTemplate(`depsync/${name}`);
}

function fill(name: string, values: Record<string, string>): string {
  return template(name).replace(/@@([A-Z_]+)@@/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template ${name}: no value for @@${key}@@`);
    return v;
  });
}

/** One shell word, single-quoted. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The answers the sync job is made of, checked: throws with the field's name. */
export interface SyncJob {
  home: string;
  user: string;
  key: string;
  port: number;
  schedule: string;
  paths: SyncPaths;
  targets: string[];
  pairs: ReturnType<typeof syncPairs>;
}

export function syncJob(a: Answers, scope: SyncScope): SyncJob {
  const home = a.productHome!.replace(/\/+$/, '');
  const homeProblem = checkSyncPath(home, 'productHome');
  if (homeProblem) throw new Error(homeProblem);
  const key = a.syncKey!;
  const keyProblem = checkSyncPath(key, 'syncKey');
  if (keyProblem) throw new Error(keyProblem);
  const pairs = syncPairs(a, scope);
  const targets = syncTargets(a);
  for (const t of targets) {
    for (const pair of pairs) {
      const refused = guardDestination(destination(t, pair), pair);
      if (refused) throw new Error(`syncTargets: ${refused}`);
    }
  }
  return {
    home,
    user: a.syncCronUser!,
    key,
    port: a.syncSshPort ?? 22,
    schedule: (a.syncSchedule ?? '* * * * *').trim().replace(/\s+/g, ' '),
    paths: syncPaths(home),
    targets: targets.map(formatTarget),
    pairs,
  };
}

export function sshSettings(job: SyncJob, onDisk: (p: string) => string = (p) => p): SshSettings {
  return { key: onDisk(job.key), knownHosts: onDisk(job.paths.knownHosts), port: job.port };
}

function pairsText(job: SyncJob): string {
  return job.pairs.map((p) => p.dir).join(' and ');
}

export function renderScript(job: SyncJob): string {
  return fill('apim-gateway-wizard-depsync.sh', {
    HEADER: ownedHeader('#', 'WSO2 API-M deployment sync job (rsync over ssh to the Gateway Workers).'),
    PAIRS_TEXT: pairsText(job),
    WORKERS: job.paths.workers,
    CRON_FILE,
    CRON_USER: job.user,
    SCRIPT: job.paths.script,
    CONFIRMED: job.paths.confirmed,
    HOME: shQuote(job.home),
    WORKERS_Q: shQuote(job.paths.workers),
    CONFIRMED_Q: shQuote(job.paths.confirmed),
    LOG: shQuote(job.paths.log),
    LOCK: shQuote(job.paths.lock),
    KNOWN_HOSTS: shQuote(job.paths.knownHosts),
    KEY: shQuote(job.key),
    SSH_PORT: String(job.port),
    PAIRS: job.pairs.map((p) => shQuote(p.dir)).join(' '),
    RSYNC_OPTIONS: RSYNC_OPTIONS.map(shQuote).join(' '),
    SSH_COMMAND: shQuote(remoteShell(sshSettings(job))),
    DEST_PATTERN: shQuote(DEST_PATTERN),
    EXPLAIN_CASES: explainCaseBash('    '),
  });
}

export function renderWorkers(job: SyncJob): string {
  return fill('workers.list', {
    HEADER: ownedHeader('#', 'Workers of the WSO2 API-M deployment sync job.'),
    SCRIPT: job.paths.script,
    PAIRS_TEXT: pairsText(job),
    WORKERS: job.targets.join('\n'),
  });
}

export function renderCron(job: SyncJob): string {
  return fill('cron', {
    HEADER: ownedHeader('#', 'cron entry of the WSO2 API-M deployment sync job.'),
    SCRIPT: job.paths.script,
    CRON_USER: job.user,
    LOG: job.paths.log,
    PATH: CRON_PATH,
    SCHEDULE: job.schedule,
  });
}

/** The cron entry once the sync is switched off: comments only, so cron runs nothing. */
export function renderCronOff(home: string): string {
  return fill('cron-off', { HEADER: ownedHeader('#', 'cron entry of the WSO2 API-M deployment sync job.'), SCRIPT: syncPaths(home).script });
}

/** The workers list once the sync is switched off: nobody to push to, nothing for a re-run to propose. */
export function renderWorkersOff(): string {
  return fill('workers-off', { HEADER: ownedHeader('#', 'Workers of the WSO2 API-M deployment sync job.') });
}
