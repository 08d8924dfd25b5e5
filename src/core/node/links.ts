// Links on the way to a file root writes, without --root. The product home belongs to the
// service user: a link it plants (carbon.xml → /etc/shadow, repository/conf → /etc) would make
// root write wherever it points. So a link is followed only when the folder it is in can be
// changed by root (or the user running the wizard) alone — the state folders' rule
// (state/trust.ts); in a sticky folder such as /tmp, only a link of root's (or ours). Anything
// else is refused by name. The check names paths; the writer then pins the folder it writes
// into (an open descriptor whose real path must be the one checked), so swapping a folder for
// a link after the check is found too.
import { constants, lstatSync, readlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolveInRoot } from './jail.js';
import { euid, folderStatProblem, userName } from '../state/trust.js';

export class ForeignLinkError extends Error {
  readonly code = 'EFOREIGNLINK';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

function refuseForeign(file: string) {
  return (link: string, folder: string): void => {
    const st = lstatSync(folder);
    let why = folderStatProblem(folder, st);
    if (!why && (st.mode & 0o022) !== 0) {
      // Sticky and shared (/tmp): others cannot replace the link, but its owner can.
      const owner = lstatSync(link).uid;
      if (owner !== 0 && owner !== euid()) why = `it belongs to ${userName(owner) ?? `uid ${owner}`} in the shared folder ${folder}`;
    }
    if (!why) return;
    throw new ForeignLinkError(
      `${file}: ${link} is a symbolic link and ${why}: the wizard runs as root and does not follow a link another user can change (it could lead anywhere); ` +
        `replace the link by what it points to, or give the real path`,
      link,
    );
  };
}

/**
 * `file` (absolute, on this machine) with its links resolved, each one checked as above: the
 * real path the kernel would reach, or ForeignLinkError. `followLast` false: the last name as
 * it is (a name to replace or remove), only the folders above it resolved.
 */
export function resolveOnHost(file: string, followLast = true): string {
  return resolveInRoot('/', resolve(file), followLast, refuseForeign(file));
}

/** A folder held open, so that what is done inside it stays inside it whatever is renamed meanwhile. */
export interface PinnedFolder {
  handle: FileHandle;
  /** `name` inside the pinned folder, as a path the kernel resolves through the descriptor. */
  at(name: string): string;
}

/**
 * Opens `dir` (a real path: no link on the way) and checks that the folder opened is the one at
 * that path, so that nothing can be put between the check of the path and the writes.
 */
export async function pinFolder(dir: string): Promise<PinnedFolder> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  const via = `/proc/self/fd/${handle.fd}`;
  let real: string;
  try {
    real = readlinkSync(via);
  } catch (e) {
    await handle.close();
    throw e;
  }
  if (real !== resolve(dir)) {
    await handle.close();
    throw new ForeignLinkError(`${dir} was replaced while the wizard wrote into it (it now leads to ${real}): nothing was written there`, dir);
  }
  return { handle, at: (name) => `${via}/${name}` };
}
