// The three files of the sync job, rendered from templates/depsync/ with the answers. Pure
// (the templates are part of the program): same answers, same bytes. Values that land in bash
// as words are quoted here, before rendering (`quoted.*` in the script's template); the
// comments and the cron line take them as they are (the answers' checks allow no character
// there that would need quoting).
import type { Answers } from '../../answers/schema.js';
import type { SyncScope } from '../../node/release.js';
import { ownedHeader } from '../../edit/owned.js';
import { renderTemplate, type TemplateView } from '../../edit/templates.js';
import { RSYNC_OPTIONS, remoteShell, type SshSettings } from './commands.js';
import { explainCaseBash } from './explain.js';
import { CRON_FILE, CRON_PATH, syncPairs, syncPaths, syncTargets, type SyncPaths } from './paths.js';
import { checkSyncPath, formatTarget } from '../../answers/sync-target.js';
import { destination, DEST_PATTERN, guardDestination } from './target.js';

function fill(name: string, view: TemplateView): string {
  return renderTemplate(`depsync/${name}`, view);
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
    header: ownedHeader('#', 'WSO2 API-M deployment sync job (rsync over ssh to the Gateway Workers).'),
    pairsText: pairsText(job),
    workersFile: job.paths.workers,
    cronFile: CRON_FILE,
    cronUser: job.user,
    script: job.paths.script,
    confirmedFile: job.paths.confirmed,
    sshPort: String(job.port),
    explainCases: explainCaseBash('    '),
    // Shell words (arrays: words separated by spaces), each one quoted.
    quoted: {
      home: shQuote(job.home),
      workersFile: shQuote(job.paths.workers),
      confirmedFile: shQuote(job.paths.confirmed),
      log: shQuote(job.paths.log),
      lock: shQuote(job.paths.lock),
      knownHosts: shQuote(job.paths.knownHosts),
      key: shQuote(job.key),
      pairs: job.pairs.map((p) => shQuote(p.dir)).join(' '),
      rsyncOptions: RSYNC_OPTIONS.map(shQuote).join(' '),
      sshCommand: shQuote(remoteShell(sshSettings(job))),
      destPattern: shQuote(DEST_PATTERN),
    },
  });
}

export function renderWorkers(job: SyncJob): string {
  return fill('workers.list', {
    header: ownedHeader('#', 'Workers of the WSO2 API-M deployment sync job.'),
    script: job.paths.script,
    pairsText: pairsText(job),
    workers: job.targets.join('\n'),
  });
}

export function renderCron(job: SyncJob): string {
  return fill('cron', {
    header: ownedHeader('#', 'cron entry of the WSO2 API-M deployment sync job.'),
    script: job.paths.script,
    cronUser: job.user,
    log: job.paths.log,
    cronPath: CRON_PATH,
    schedule: job.schedule,
  });
}

/** The cron entry once the sync is switched off: comments only, so cron runs nothing. */
export function renderCronOff(home: string): string {
  return fill('cron-off', { header: ownedHeader('#', 'cron entry of the WSO2 API-M deployment sync job.'), script: syncPaths(home).script });
}

/** The workers list once the sync is switched off: nobody to push to, nothing for a re-run to propose. */
export function renderWorkersOff(): string {
  return fill('workers-off', { header: ownedHeader('#', 'Workers of the WSO2 API-M deployment sync job.') });
}
