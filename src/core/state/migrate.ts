// Moving a state of an earlier version (<home>/.apim-gateway-wizard/, the load balancer's top of /var/lib/apim-gateway-wizard) once.
// Only an old folder that only root could change (it and every folder above it) is moved,
// and each of its checkpoints only once its manifest passed as data. An old folder anybody
// else could write (the usual case: the home belongs to the service user) is never used:
// it is said where it is and why, and its saved answers can be given with --answers.
import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { onDisk, STATE_BASE } from '../node/layout.js';
import { checkManifest, type NodeRules } from './manifest.js';
import { folderChainProblem } from './trust.js';
import type { Manifest } from '../apply/checkpoint.js';

/** Where versions before 0.x kept a node's state: in the product home. */
export const LEGACY_STATE_DIR_NAME = '.apim-gateway-wizard';

/** What an old state folder held; anything else in it stays where it is. */
const KNOWN = new Set(['answers.json', 'owned', 'deployment-reset', 'worker-restarted', 'lock', 'checkpoints']);

/** rename, or across file systems a copy that keeps owners, modes and links (cp -a) and then the removal. */
async function move(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await promisify(execFile)('cp', ['-a', '--', from, to]);
    await rm(from, { recursive: true, force: true });
  }
}

const within = (p: string, dir: string) => p.startsWith(`${dir}/`);

/** The manifest with the old state folder's paths turned into the new one's (its records, its answers), backups moved along. */
async function rewrite(m: Manifest, cpDir: string, oldNode: string, newNode: string, root: string | undefined): Promise<void> {
  const moved = (p: string) => (within(p, oldNode) ? newNode + p.slice(oldNode.length) : p);
  for (const f of m.files) {
    const to = moved(f.file);
    if (to === f.file) continue;
    if (f.existed) {
      await mkdir(dirname(join(cpDir, 'files', to)), { recursive: true, mode: 0o700 });
      await rename(join(cpDir, 'files', f.file), join(cpDir, 'files', to));
    }
    f.file = to;
  }
  if (m.createdDirs) m.createdDirs = m.createdDirs.map(moved);
  const temps = await readFile(join(cpDir, 'tempfiles'), 'utf8').catch(() => undefined);
  if (temps !== undefined) {
    const [from, to] = [onDisk(root, oldNode), onDisk(root, newNode)];
    await writeFile(join(cpDir, 'tempfiles'), temps.split('\n').map((t) => (within(t, from) ? to + t.slice(from.length) : t)).join('\n'), { mode: 0o600 });
  }
  await writeFile(join(cpDir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n', { mode: 0o600 });
}

async function moveCheckpoints(oldDir: string, newDir: string, oldRules: NodeRules, newNode: string, moved: string[], left: string[]): Promise<void> {
  const base = join(oldDir, 'checkpoints');
  for (const id of (await readdir(base).catch(() => [] as string[])).sort()) {
    const dir = join(base, id);
    const target = join(newDir, 'checkpoints', id);
    try {
      if (await lstat(target).catch(() => undefined)) throw new Error(`${target} exists already`);
      const raw: unknown = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => 'null'));
      const m = await checkManifest(raw, id, dir, oldRules);
      await rewrite(m, dir, oldRules.stateNode, newNode, oldRules.root);
      await move(dir, target);
      moved.push(`checkpoint ${id}`);
    } catch (e) {
      left.push(`checkpoint ${id} (${(e as Error).message})`);
    }
  }
  await rmdir(base).catch(() => {});
}

/** Moves the node's old state into `newDir` when it can be trusted; returns what to say. */
export async function migrateOldState(home: string | undefined, root: string | undefined, newDir: string, rules: NodeRules): Promise<{ notes: string[]; moved: boolean }> {
  const oldNode = home === undefined ? STATE_BASE : join(home, LEGACY_STATE_DIR_NAME);
  const oldDir = onDisk(root, oldNode);
  const st = await lstat(oldDir).catch(() => undefined);
  if (!st) return { notes: [], moved: false };
  const names = (await readdir(oldDir).catch(() => [] as string[])).filter((n) => home !== undefined || n !== 'nodes');
  if (!names.length) {
    if (home !== undefined) await rmdir(oldDir).catch(() => {});
    return { notes: [], moved: false };
  }
  // The load balancer's old folder is above the new state folder, which was just verified with it.
  const problem = home === undefined ? undefined : await folderChainProblem(oldDir);
  if (problem) {
    return {
      notes: [
        `The wizard's old state folder ${oldDir} is ignored: ${problem}, so someone other than root could have put anything there; nothing in it is used or moved. ` +
          `Saved answers there can be given explicitly with --answers ${join(oldDir, 'answers.json')} after reading them. The state is now kept in ${newDir}.`,
      ],
      moved: false,
    };
  }
  const moved: string[] = [];
  const left: string[] = [];
  for (const name of names.sort()) {
    if (!KNOWN.has(name)) {
      left.push(name);
      continue;
    }
    if (name === 'checkpoints') {
      await moveCheckpoints(oldDir, newDir, { ...rules, stateNode: oldNode }, rules.stateNode, moved, left);
      continue;
    }
    const target = join(newDir, name);
    if (await lstat(target).catch(() => undefined)) {
      left.push(`${name} (${target} exists already)`);
      continue;
    }
    await move(join(oldDir, name), target);
    moved.push(name);
  }
  if (home !== undefined) await rmdir(oldDir).catch(() => {});
  const notes: string[] = [];
  if (moved.length) notes.push(`Moved the wizard's state from ${oldDir} to ${newDir}: ${moved.join(', ')}.`);
  if (left.length) notes.push(`Left in ${oldDir} (not moved, not used): ${left.join('; ')}.`);
  return { notes, moved: moved.length > 0 };
}
