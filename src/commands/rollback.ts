import { onDisk, stateDir } from '../core/layout.js';
import { checkpointsNewestFirst, rollback } from '../core/rollback.js';
import type { Paint } from '../core/report.js';

/** rollback --list, or rollback [ID]: exit 0 done, 1 failed (nothing changed). */
export async function rollbackCommand(home: string | undefined, root: string | undefined, id: string | undefined, list: boolean, paint: Paint, out: (s: string) => void): Promise<number> {
  const state = onDisk(root, stateDir(home));
  if (list) {
    const all = await checkpointsNewestFirst(state);
    if (!all.length) out(`No checkpoints in ${state}\n`);
    for (const { manifest: m } of all) {
      const note = m.rolledBackBy ? ` (rolled back by ${m.rolledBackBy})` : m.state !== 'complete' ? ` (${m.state})` : '';
      out(`${m.id}  ${m.reason}${note}\n`);
      for (const f of m.files) out(paint('dim', `    ${f.existed ? 'changed' : 'created'} ${f.file}\n`));
    }
    return 0;
  }
  const notes: string[] = [];
  const r = await rollback(state, root, id, (line) => notes.push(line));
  if (r.recovered.length) out(`An interrupted apply was restored first: ${r.recovered.join(', ')}\n`);
  for (const f of r.restored) out(`restored ${f}\n`);
  for (const line of notes) out(`${line}\n`);
  out(paint('green', `Rolled back ${r.target.manifest.id} (${r.target.manifest.reason}).`) + `\nTo undo this rollback: rollback ${r.undo.manifest.id}\n`);
  return 0;
}
