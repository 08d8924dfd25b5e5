// A re-run starts from the sync job on disk: the workers list, the cron entry and the
// script's settings are read back as answers (only values that pass the schema).
import type { AnswersLayer } from '../../answers/load.js';
import { valueSchema, type FieldKind } from '../../answers/schema.js';
import { onDisk } from '../../node/layout.js';
import { readRegularFile } from '../../node/regular-file.js';
import { CRON_FILE, syncPaths } from './paths.js';

// Not readable (missing, a FIFO…): no answers from it; the plan's own read says why.
const read = (path: string) => readRegularFile(path).then((b) => b.toString('utf8'), () => undefined);

export async function detectSync(home: string, root?: string): Promise<AnswersLayer> {
  const paths = syncPaths(home.replace(/\/+$/, ''));
  const [workers, cron, script] = await Promise.all([read(onDisk(root, paths.workers)), read(onDisk(root, CRON_FILE)), read(onDisk(root, paths.script))]);
  const layer: AnswersLayer = {};
  const keep = (key: string, kind: FieldKind, v: unknown) => {
    if (v !== undefined && valueSchema(kind).safeParse(v).success) layer[key] = v;
  };
  if (workers !== undefined) {
    const targets = workers.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    if (targets.length) keep('syncTargets', 'syncTargetList', targets);
  }
  // The one job line of our cron entry: schedule (5 fields or @nickname), user, our script.
  const job = cron?.split('\n').find((l) => l.includes(paths.script) && !l.trimStart().startsWith('#'));
  const m = job ? /^(@\w+|\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(\S+)\s+/.exec(job) : null;
  if (m) {
    keep('syncSchedule', 'cronSchedule', m[1]);
    keep('syncCronUser', 'userName', m[2]);
  }
  if (script !== undefined) {
    keep('syncKey', 'path', /^readonly KEY='([^']*)'$/m.exec(script)?.[1]);
    const port = /^readonly SSH_PORT=(\d+)$/m.exec(script)?.[1];
    keep('syncSshPort', 'port', port === undefined ? undefined : Number(port));
    const pairs = /^readonly PAIRS=\((.*)\)$/m.exec(script)?.[1];
    if (pairs !== undefined) layer.syncTenants = pairs.includes('repository/tenants/');
  }
  return layer;
}
