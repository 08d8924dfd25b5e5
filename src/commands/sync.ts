// Headless `sync`: the same run as the wizard's sync screen, as plain lines. Without --yes a
// push that would delete anything on a worker stops after the preview (exit 2).
import { dirname } from 'node:path';
import type { Paint } from '../core/messages/paint.js';
import type { InstallHint, SyncEvent, WorkerPreview } from '../core/run/sync/events.js';
import { describeSummary, plural } from '../core/run/sync/itemize.js';
import { deletions, runSync } from '../core/run/sync/session.js';
import type { Context } from './context.js';

export interface SyncFlags {
  dryRun: boolean;
  yes: boolean;
  createKey: boolean;
}

const STATUS = { running: '..', ok: 'ok', warning: 'warning', failed: 'FAILED' } as const;

function hintLines(hint: InstallHint): string[] {
  return [
    'Put this public key into ~USER/.ssh/authorized_keys of each worker\'s user:',
    `  ${hint.publicKey}`,
    'for example, with one password login per worker:',
    ...hint.commands.map((c) => `  ${c.command}`),
    'or on the worker, as its user:',
    `  ${hint.manual}`,
  ];
}

/** Renders events as lines; progress is redrawn in place on a terminal, every 10 % otherwise. */
export function lineRenderer(paint: Paint, out: (s: string) => void, tty: boolean) {
  let hint: InstallHint | undefined;
  let keyRefused = false;
  let progressShown = false;
  const lastPercent = new Map<string, number>();
  const line = (s: string) => {
    if (progressShown) out('\r\x1b[K');
    progressShown = false;
    out(`${s}\n`);
  };
  const render = (e: SyncEvent) => {
    switch (e.type) {
      case 'stage':
        line(paint('bold', e.title));
        break;
      case 'check': {
        if (e.status === 'running') break;
        const word = e.status === 'failed' ? paint('red', STATUS.failed) : e.status === 'warning' ? paint('yellow', STATUS.warning) : paint('green', STATUS.ok);
        line(`  ${word} ${e.worker ? `${e.worker} ` : ''}${e.name}: ${e.detail}`);
        if (e.reason === 'key-refused') keyRefused = true;
        break;
      }
      case 'key':
        line(`  ${paint('green', 'ok')} key ${e.key.path} (${e.key.fingerprint})${e.key.created ? ' created now' : ''}`);
        break;
      case 'key-missing':
        line(`  ${paint('red', 'FAILED')} key: ${e.path} does not exist. Create it with --create-key (it runs: ${e.command})`);
        break;
      case 'install-key':
        hint = e.hint;
        break;
      case 'output':
        line(paint('dim', `  ${e.worker}: ${e.text}`));
        break;
      case 'item':
        if (e.phase === 'sync') line(`  ${e.worker} ${e.item.code} ${e.dir}${e.item.path}`);
        break;
      case 'preview':
        for (const l of previewLines(e.preview, paint)) line(l);
        break;
      case 'progress': {
        const key = `${e.worker} ${e.dir}`;
        const text = `  ${e.worker} ${e.dir} ${e.progress.percent}% ${e.progress.bytes} bytes ${e.progress.rate} ${e.progress.time}`;
        if (tty) {
          out(`\r\x1b[K${text}`);
          progressShown = true;
        } else {
          const last = lastPercent.get(key);
          if (last === undefined || e.progress.percent >= last + 10 || (e.progress.percent === 100 && last !== 100)) {
            lastPercent.set(key, e.progress.percent);
            line(`${text} (progress)`);
          }
        }
        break;
      }
      case 'result':
        line(`  ${e.ok ? paint('green', 'ok') : paint('red', 'FAILED')} ${e.worker}: ${e.detail}`);
        if (e.reason === 'key-refused') keyRefused = true;
        break;
    }
  };
  return {
    render,
    /** The install instructions, when a worker refused the key (or the key was just made). */
    hintNeeded: (created: boolean) => (hint && (created || keyRefused) ? hintLines(hint) : []),
  };
}

export function previewLines(p: WorkerPreview, paint: Paint): string[] {
  const lines: string[] = [];
  for (const { dir, summary } of p.pairs) {
    lines.push(`  ${p.worker} ${dir}: ${describeSummary(summary)}`);
    for (const d of summary.deletions) lines.push(`    ${paint('red', 'DELETE')} ${dir}${d}`);
  }
  return lines;
}

export async function syncCommand(ctx: Context, flags: SyncFlags, paint: Paint, out: (s: string) => void): Promise<number> {
  const r = lineRenderer(paint, out, process.stdout.isTTY === true);
  let created = false;
  let stoppedFor: WorkerPreview[] = [];
  const result = await runSync(ctx.answers, {
    root: ctx.root,
    // --demo: the demo cluster's workers, through its local shell (never on a real node: only the flag sets it).
    ...(ctx.demoNode && ctx.root ? { demo: { base: dirname(ctx.root) } } : {}),
    dryRun: flags.dryRun,
    createKey: flags.createKey,
    emit: (e) => {
      if (e.type === 'key' && e.key.created) created = true;
      r.render(e);
    },
    confirm: async (previews) => {
      if (flags.yes) return true;
      stoppedFor = previews.filter((p) => deletions(p) > 0);
      return stoppedFor.length === 0;
    },
  });
  for (const l of r.hintNeeded(created)) out(`${l}\n`);
  if (result.status === 'blocked') {
    for (const p of result.problems) out(`${paint('red', 'error:')} ${p}\n`);
    return 1;
  }
  if (result.status === 'declined') {
    const n = stoppedFor.reduce((k, p) => k + deletions(p), 0);
    out(
      `${paint('yellow', 'Stopped before the push:')} it would delete ${plural(n, 'file or directory', 'files or directories')} on ${plural(stoppedFor.length, 'worker')} (every one is listed above as DELETE).\n` +
        'Nothing was pushed. When those deletions are right, run `apim-gateway-wizard sync --yes`.\n',
    );
    return 2;
  }
  return result.status === 'done' ? 0 : 1;
}
