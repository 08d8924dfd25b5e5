// --root is a jail, resolved like a chroot: every path of the node is looked up under the root
// one component at a time, a symbolic link's absolute target is taken under the root again and
// `..` stops at the root. So a link anywhere on the way (ROOT/etc/hosts → /etc/hosts, a conf
// folder → ../../../../tmp) names a file inside the root, as it would on the node, and nothing
// the wizard reads, writes or removes through it can be outside. Sync on purpose: every path
// goes through here (layout.ts onDisk), including callers that are not async.
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** As many links as Linux follows in one lookup (MAXSYMLINKS) before ELOOP. */
const MAX_LINKS = 40;

const parts = (p: string) => p.split('/').filter((c) => c !== '' && c !== '.');

/**
 * `file` (a path as on the node) on disk under `root`, links resolved inside the root. With
 * `followLast` false the last component is returned as it is (a link the wizard manages, or a
 * name to remove or rename), only the folders above it resolved. Components that do not exist
 * are kept as written. Throws ELOOP after MAX_LINKS links. `onLink` is told of each link met
 * (and the real folder it is in) before it is followed, and may refuse it by throwing.
 */
export function resolveInRoot(root: string, file: string, followLast = true, onLink?: (link: string, folder: string) => void): string {
  const top = resolve(root);
  const done: string[] = [];
  const todo = parts(file);
  let links = 0;
  while (todo.length) {
    const name = todo.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const here = join(top, ...done, name);
    if (!todo.length && !followLast) {
      done.push(name);
      break;
    }
    const st = lstatOrUndefined(here);
    if (!st?.isSymbolicLink()) {
      done.push(name);
      continue;
    }
    onLink?.(here, join(top, ...done));
    if (++links > MAX_LINKS) {
      throw Object.assign(new Error(`${file}: too many symbolic links (a symlink loop?) under --root ${top}`), { code: 'ELOOP', path: here });
    }
    const target = readlinkSync(here);
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...parts(target));
  }
  return join(top, ...done);
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    // Missing, or a part of it is not a folder: the name stays as written and the caller's
    // own open/stat says what is wrong.
    return undefined;
  }
}

/**
 * A path already on disk under `root` with its links (the last one too) resolved inside the
 * root: what the writer writes when a final link is followed. A path outside the root throws.
 */
export function followInRoot(root: string, path: string): string {
  if (!insideRoot(root, path)) throw new Error(`${path} is outside --root ${resolve(root)}`);
  return resolveInRoot(root, relative(resolve(root), resolve(path)));
}

/** A path on disk (already under `root`) is that root or inside it. */
export function insideRoot(root: string, path: string): boolean {
  const top = resolve(root);
  const p = resolve(path);
  return p === top || p.startsWith(top === '/' ? '/' : `${top}/`);
}

/**
 * --root as given on the command line, once at start: absolute (a relative root recorded in a
 * checkpoint would mean another place when recovered from another directory) and its own links
 * resolved, so that every later comparison sees one spelling. A root that does not exist yet
 * stays the absolute spelling; what is read under it then says what is missing.
 */
export function absoluteRoot(root: string): string;
export function absoluteRoot(root: string | undefined): string | undefined;
export function absoluteRoot(root: string | undefined): string | undefined {
  // An empty --root is no root, as onDisk takes it.
  if (!root) return undefined;
  const abs = resolve(root);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}
