// Opening a node's state folder for use: created root-only, verified up to /, its node file written, old state moved once.
// Every verb and the wizard call openState before they read or write anything of the
// wizard's own (checkpoints, lock, owned-file records, saved answers).
import { chmod, lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { nodeKey, normalHome, onDisk, STATE_BASE, stateDir } from '../node/layout.js';
import { writeFileSafely } from '../apply/write.js';
import type { NodeRules } from './manifest.js';
import { migrateOldState } from './migrate.js';
import { prepareStateFolder } from './trust.js';

/** Says which product home a state folder belongs to (the folder's name only hashes it). */
export const NODE_FILE = 'node.json';

export interface OpenedState {
  /** The state folder on disk (under --root). */
  dir: string;
  home?: string;
  /** What was moved from an old location, or why an old one is ignored: to be said once. */
  notes: string[];
  /** Something was moved by this call (said by whoever opened it first). */
  migrated: boolean;
}

/** The folder made ready: see prepareStateFolder (trust.ts). */
export async function secureStateFolder(dir: string, root?: string): Promise<void> {
  await prepareStateFolder(dir, onDisk(root, STATE_BASE));
}

/** The home of each state folder opened by this process, for recordNode. */
const homes = new Map<string, string | undefined>();

/**
 * Writes the node file of a state folder opened by openState, once something is stored there
 * (createCheckpoint calls it): a run that writes nothing leaves no file behind.
 */
export async function recordNode(dir: string): Promise<void> {
  const key = resolve(dir);
  if (homes.has(key)) await writeNodeFile(key, homes.get(key));
}

async function writeNodeFile(dir: string, home: string | undefined): Promise<void> {
  const file = join(dir, NODE_FILE);
  const text = JSON.stringify({ home: home ?? null }) + '\n';
  if ((await readFile(file, 'utf8').catch(() => undefined)) === text) return;
  await writeFileSafely(file, Buffer.from(text), { mode: 0o600, dirMode: 0o700 });
}

/** The state's own files are 0600 whatever the umask or an admin's chmod made them (answers.json opened up to 644). */
async function tightenFiles(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const st = await lstat(join(dir, name)).catch(() => undefined);
    if (st?.isFile() && (st.mode & 0o7777) !== 0o600) await chmod(join(dir, name), 0o600);
  }
}

/** Creates (0700) and verifies the node's state folder, and moves an old state into it once. */
export async function openState(home: string | undefined, root?: string): Promise<OpenedState> {
  const h = home === undefined ? undefined : normalHome(home);
  const dir = onDisk(root, stateDir(h));
  await secureStateFolder(dir, root);
  homes.set(resolve(dir), h);
  const { notes, moved } = await migrateOldState(h, root, dir, { home: h, stateNode: stateDir(h), root });
  if (moved) await writeNodeFile(dir, h);
  await tightenFiles(dir);
  return { dir, home: h, notes, migrated: moved };
}

/**
 * What a state folder's checkpoints may name (manifest.ts): its node, from its node file, and
 * the --root it is under (what is left of its path once the node's state path is taken off).
 */
export async function nodeRulesOf(state: string): Promise<NodeRules> {
  const abs = resolve(state);
  const text = await readFile(join(abs, NODE_FILE), 'utf8').catch(() => undefined);
  let home: string | undefined;
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${join(abs, NODE_FILE)} is not JSON: which product home this state belongs to is unknown`);
    }
    const said = (parsed as { home?: unknown } | null)?.home;
    if (said !== null && typeof said !== 'string') throw new Error(`${join(abs, NODE_FILE)} names no product home`);
    home = said === null ? undefined : normalHome(said);
  } else if (basename(abs) !== nodeKey(undefined)) {
    throw new Error(`${join(abs, NODE_FILE)} is missing: which product home this state belongs to is unknown`);
  }
  const node = stateDir(home);
  if (nodeKey(home) !== basename(abs) || !abs.endsWith(node)) throw new Error(`${join(abs, NODE_FILE)} names the home ${JSON.stringify(home)}, which is not the node of ${abs}`);
  const root = abs.slice(0, abs.length - node.length);
  return { home, stateNode: node, ...(root ? { root } : {}) };
}
