// One sync run from the manager, as the wizard's screen and the headless verb drive it:
// local checks → key → ssh preflight per worker → dry-run preview (every deletion listed) →
// the admin confirms → the real push with live progress → a result per worker. A worker's
// destinations are recorded as confirmed only after its real push succeeded; from then on
// cron keeps it in sync.
import { readFile } from 'node:fs/promises';
import type { Answers } from '../../answers/schema.js';
import { onDisk as underRoot } from '../../node/layout.js';
import { writeFileSafely } from '../../apply/write.js';
import { readRelease, ReleaseError, type Release } from '../../node/release.js';
import { DEFAULT_CONNECT_TIMEOUT } from './commands.js';
import type { Emit, WorkerPreview } from './events.js';
import { describeSummary, plural } from './itemize.js';
import { checkApplied, checkSources, createKey, inspectKey, installHint, keygenCommand, runnerFor, userExists, type Runner } from './local.js';
import { holdSyncLock, SyncLockError } from './lock.js';
import { syncEnabled } from './paths.js';
import { preflight, rsyncPair, workerContext, type WorkerContext } from './remote.js';
import { sshSettings, syncJob, type SyncJob } from './render.js';
import { destination } from './target.js';
import { DEMO_SHELL, demoTargetsProblem, type DemoSync } from './demo-shell.js';

export interface SyncOptions {
  root?: string;
  /** Stop after the preview. */
  dryRun?: boolean;
  /**
   * When the key is missing: true creates it with ssh-keygen (as the cron user); a function is
   * asked first (the wizard's offer, shown with the exact command) and creates it when it resolves true.
   */
  createKey?: boolean | ((missing: { path: string; command: string }) => Promise<boolean>);
  /**
   * Called once with every reachable worker's preview, before anything is pushed. Resolve
   * true to push. Not called on a dry run, nor when no worker can be pushed to.
   */
  confirm: (previews: WorkerPreview[]) => Promise<boolean>;
  emit: Emit;
  signal?: AbortSignal;
  /** Seconds for the TCP connection and ssh banner (default 20). */
  connectTimeout?: number;
  /** Seconds to wait for a cron run that holds the lock (default 60). */
  lockWait?: number;
  /** Only with --demo / --demo-node: push to the demo cluster's worker sandboxes through a local shell instead of ssh. */
  demo?: DemoSync;
}

export type SyncStatus =
  /** Every worker was pushed to (or, on a dry run, previewed). */
  | 'done'
  /** The admin said no at the confirmation: nothing pushed. */
  | 'declined'
  /** Something failed before any worker could be contacted (key, lock, sources). */
  | 'blocked'
  /** At least one worker failed; the others were pushed to. */
  | 'failed';

export interface WorkerOutcome {
  worker: string;
  ok: boolean;
  detail: string;
  /** The explanation id of a failure (see explain.ts), when one is known. */
  reason?: string;
  preview?: WorkerPreview;
  sent: number;
  deleted: number;
}

export interface SyncResult {
  status: SyncStatus;
  workers: WorkerOutcome[];
  /** Why the run stopped early (blocked). */
  problems: string[];
}

/** Every destination `--delete` would touch on one worker, counted the same way rsync's --max-delete does. */
export function deletions(p: WorkerPreview): number {
  return p.pairs.reduce((n, x) => n + x.summary.deletions.length, 0);
}

async function recordConfirmed(job: SyncJob, onDisk: (p: string) => string, add: string[]): Promise<void> {
  const file = onDisk(job.paths.confirmed);
  const current = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  // Only the destinations of the current workers: a worker removed and added again is previewed again.
  const valid = new Set(job.targets.flatMap((t) => job.pairs.map((p) => `${t}/${p.dir}`)));
  const lines = [...new Set([...current, ...add])].filter((l) => valid.has(l));
  const header = '# Destinations whose first sync was previewed and confirmed with apim-gateway-wizard sync; cron pushes only to these.';
  await writeFileSafely(file, Buffer.from([header, ...lines].join('\n') + '\n'), { mode: 0o644 });
}

export async function runSync(answers: Answers, opts: SyncOptions): Promise<SyncResult> {
  const { emit } = opts;
  const blocked = (problems: string[]): SyncResult => {
    emit({ type: 'stage', stage: 'done', title: 'Stopped before contacting any worker' });
    return { status: 'blocked', workers: [], problems };
  };
  if (!syncEnabled(answers)) return blocked(['the deployment sync runs on the Gateway Manager, with syncTargets listing the workers']);
  let apim: Release;
  try {
    apim = (await readRelease(answers.productHome!, opts.root, answers.release)).release;
  } catch (e) {
    if (e instanceof ReleaseError) return blocked([e.message]);
    throw e;
  }
  const job = syncJob(answers, apim.syncScope);
  const onDisk = (p: string) => underRoot(opts.root, p);

  emit({ type: 'stage', stage: 'local', title: `On this manager (${job.home})` });
  if (opts.demo) {
    const problem = demoTargetsProblem(job, opts.demo);
    if (problem) {
      emit({ type: 'check', name: 'demo', status: 'failed', detail: problem });
      return blocked([problem]);
    }
    emit({ type: 'check', name: 'demo', status: 'ok', detail: 'each worker\'s sandbox is reached by a local shell, not ssh' });
  }
  if (!(await userExists(job.user))) {
    emit({ type: 'check', name: 'cron user', status: 'failed', detail: `syncCronUser ${job.user} does not exist on this manager` });
    return blocked([`syncCronUser ${job.user} does not exist on this manager`]);
  }
  const runnerOrProblem = runnerFor(job.user);
  if (typeof runnerOrProblem === 'string') {
    emit({ type: 'check', name: 'cron user', status: 'failed', detail: runnerOrProblem });
    return blocked([runnerOrProblem]);
  }
  const runner: Runner = runnerOrProblem;
  emit({ type: 'check', name: 'cron user', status: 'ok', detail: `ssh and rsync run ${runner.how}, like the cron job` });
  const local = [...(await checkSources(job, onDisk, runner)), ...(await checkApplied(job, onDisk))];
  for (const p of local) emit({ type: 'check', name: p.name, status: p.blocking ? 'failed' : 'warning', detail: p.detail });
  const stop = local.filter((p) => p.blocking).map((p) => p.detail);
  if (stop.length) return blocked(stop);
  // On 2.5+ only synapse-configs: the workers' --optimize start trims the rest, which a whole push would put back.
  const scopeNote = apim.syncScope === 'synapse' ? ` (API-M ${apim.id}: only the Synapse artifacts; the workers' --optimize start removes webapps and jaggeryapps, which a push of the whole folder would put back)` : '';
  emit({ type: 'check', name: 'sources', status: 'ok', detail: job.pairs.map((p) => `${job.home}/${p.dir}`).join(', ') + scopeNote });

  emit({ type: 'stage', stage: 'key', title: `ssh key ${job.key}` });
  let key = await inspectKey(job, onDisk, runner);
  if (!key.ok && key.missing) {
    const missing = { path: job.key, command: keygenCommand(job) };
    const create = typeof opts.createKey === 'function' ? await opts.createKey(missing) : opts.createKey === true;
    if (!create) {
      emit({ type: 'key-missing', ...missing });
      return blocked([`${key.problem}: create it (apim-gateway-wizard sync --create-key), or set syncKey to an existing key of ${job.user}`]);
    }
    key = await createKey(job, onDisk, runner);
  }
  if (!key.ok) {
    emit({ type: 'check', name: 'key', status: 'failed', detail: key.problem });
    return blocked([key.problem]);
  }
  emit({ type: 'key', key: key.key });
  // The demo's workers are reached without ssh: no authorized_keys to fill.
  if (!opts.demo) emit({ type: 'install-key', hint: await installHint(job, key.key, onDisk) });

  let release: () => Promise<void>;
  try {
    release = await holdSyncLock(onDisk(job.paths.lock), runner, opts.lockWait ?? 60);
  } catch (e) {
    if (!(e instanceof SyncLockError)) throw e;
    emit({ type: 'check', name: 'lock', status: 'failed', detail: e.message });
    return blocked([e.message]);
  }
  try {
    return await pushAll(job, onDisk, runner, opts);
  } finally {
    await release();
  }
}

async function pushAll(job: SyncJob, onDisk: (p: string) => string, runner: Runner, opts: SyncOptions): Promise<SyncResult> {
  const { emit } = opts;
  const ssh = { ...sshSettings(job, onDisk), connectTimeout: opts.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT, ...(opts.demo ? { shell: DEMO_SHELL } : {}) };
  const contexts: WorkerContext[] = job.targets.map((worker) =>
    workerContext(worker, { ssh, keyName: job.key, knownHostsName: job.paths.knownHosts, runner, emit, signal: opts.signal }),
  );
  const outcomes = new Map<string, WorkerOutcome>(job.targets.map((w) => [w, { worker: w, ok: false, detail: '', sent: 0, deleted: 0 }]));
  const fail = (w: string, detail: string, reason?: string) => Object.assign(outcomes.get(w)!, { ok: false, detail, ...(reason ? { reason } : {}) });

  emit({ type: 'stage', stage: 'preflight', title: `Checking ${plural(contexts.length, 'worker')}` });
  const reachable: WorkerContext[] = [];
  for (const [i, r] of (await Promise.all(contexts.map((w) => preflight(w, job.pairs)))).entries()) {
    if (r.ok) reachable.push(contexts[i]!);
    else fail(contexts[i]!.worker, r.problems.join('; '), r.reason);
  }

  if (reachable.length) emit({ type: 'stage', stage: 'preview', title: 'What the push would do (rsync --dry-run)' });
  const previews: WorkerPreview[] = [];
  for (const w of reachable) {
    const pairs: WorkerPreview['pairs'] = [];
    let broken: string | undefined;
    let reason: string | undefined;
    for (const pair of job.pairs) {
      const r = await rsyncPair(w, pair, onDisk(`${job.home}/${pair.dir}`), { kind: 'dry-run' });
      if (!r.ok) {
        broken = r.detail;
        reason = r.reason;
        break;
      }
      pairs.push({ dir: pair.dir, summary: r.summary });
    }
    if (broken !== undefined) {
      fail(w.worker, broken, reason);
      emit({ type: 'check', worker: w.worker, name: 'preview', status: 'failed', detail: broken, ...(reason ? { reason } : {}) });
      continue;
    }
    const preview = { worker: w.worker, pairs };
    outcomes.get(w.worker)!.preview = preview;
    previews.push(preview);
    emit({ type: 'preview', preview });
  }

  const reported = new Set<string>();
  const report = (o: WorkerOutcome) => {
    reported.add(o.worker);
    emit({ type: 'result', worker: o.worker, ok: o.ok, detail: o.detail, ...(o.reason ? { reason: o.reason } : {}), sent: o.sent, deleted: o.deleted });
  };
  const finish = (declined = false): SyncResult => {
    const workers = [...outcomes.values()];
    for (const o of workers) if (!reported.has(o.worker)) report(o);
    const status: SyncStatus = declined ? 'declined' : workers.every((w) => w.ok) ? 'done' : 'failed';
    const title = {
      done: opts.dryRun ? 'Preview complete: nothing was pushed' : 'Every worker is in sync',
      declined: 'Nothing was pushed',
      failed: opts.dryRun ? 'Some workers cannot be pushed to' : 'Some workers failed',
      blocked: '',
    }[status];
    emit({ type: 'stage', stage: 'done', title });
    return { status, workers, problems: [] };
  };
  if (opts.dryRun) {
    for (const p of previews) Object.assign(outcomes.get(p.worker)!, { ok: true, detail: `previewed: ${p.pairs.map((x) => describeSummary(x.summary)).join('; ')}` });
    return finish();
  }
  if (previews.length === 0) return finish();

  emit({ type: 'stage', stage: 'confirm', title: 'Confirm the push' });
  if (!(await opts.confirm(previews))) {
    for (const p of previews) Object.assign(outcomes.get(p.worker)!, { ok: false, detail: 'not pushed: not confirmed' });
    return finish(true);
  }

  emit({ type: 'stage', stage: 'sync', title: 'Pushing (rsync)' });
  for (const preview of previews) {
    const w = reachable.find((c) => c.worker === preview.worker)!;
    const out = outcomes.get(w.worker)!;
    const done: string[] = [];
    for (const { dir, summary } of preview.pairs) {
      const pair = job.pairs.find((p) => p.dir === dir)!;
      const r = await rsyncPair(w, pair, onDisk(`${job.home}/${pair.dir}`), { kind: 'sync', maxDelete: summary.deletions.length });
      out.sent += r.summary.send;
      out.deleted += r.summary.deletions.length;
      if (!r.ok) {
        out.ok = false;
        out.detail = r.detail!;
        if (r.reason) out.reason = r.reason;
        break;
      }
      done.push(destination(w.target, pair));
    }
    if (done.length) await recordConfirmed(job, onDisk, done);
    if (done.length === preview.pairs.length) {
      out.ok = true;
      out.detail = `in sync: ${plural(out.sent, 'file')} sent, ${out.deleted} deleted; cron keeps it in sync from now on`;
    }
    report(out);
  }
  return finish();
}

