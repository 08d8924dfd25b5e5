// Where things are on a node. Paths are the ones the admin knows (absolute, as on the
// node); `onDisk` maps them under --root, which tests and dry rehearsals use.
import { createHash } from 'node:crypto';
import { basename, join, posix } from 'node:path';
import { resolveInRoot } from './jail.js';

export const PRODUCT_FILES = {
  carbon: 'repository/conf/carbon.xml',
  catalina: 'repository/conf/tomcat/catalina-server.xml',
  apiManager: 'repository/conf/api-manager.xml',
  axis2: 'repository/conf/axis2/axis2.xml',
} as const;

export const HOSTS_FILE = '/etc/hosts';

/**
 * Where the wizard keeps what root relies on (checkpoints and their backups, the lock, owned-file
 * records, saved answers): a root-only folder, one per node, never the product home (its owner,
 * the service user, could plant anything there). See core/state/.
 */
export const STATE_BASE = '/var/lib/apim-gateway-wizard';

export function productFile(home: string, key: keyof typeof PRODUCT_FILES): string {
  return join(home, PRODUCT_FILES[key]);
}

/**
 * A node's path on disk: itself without --root; under --root, resolved inside the root like a
 * chroot (core/node/jail.ts), so no link leads out of it.
 */
export function onDisk(root: string | undefined, file: string): string {
  return root ? keepSlash(file, resolveInRoot(root, file)) : file;
}

/** A trailing slash means "the folder's content" to rsync: the path under the root keeps it. */
function keepSlash(file: string, disk: string): string {
  return file.endsWith('/') && !disk.endsWith('/') ? `${disk}/` : disk;
}

/**
 * As onDisk, but the last component is not followed: for a link the wizard manages (Debian's
 * sites-enabled link) and for removing or renaming a name rather than what it points to.
 */
export function onDiskNoFollow(root: string | undefined, file: string): string {
  return root ? keepSlash(file, resolveInRoot(root, file, false)) : file;
}

/** A product home as one spelling: `/opt/x/` and `/opt/x` are the same node. */
export function normalHome(home: string): string {
  return posix.normalize(home).replace(/(.)\/+$/, '$1');
}

/** The state folder's name for a node: `load-balancer` without a product home, else `<name>-<12 hex of sha256(home)>`. */
export function nodeKey(home: string | undefined): string {
  if (!home) return 'load-balancer';
  const h = normalHome(home);
  const name = basename(h).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'root';
  return `${name}-${createHash('sha256').update(h).digest('hex').slice(0, 12)}`;
}

/** The node's state folder, as on the node (core/state/location.ts opens it for use). */
export function stateDir(home: string | undefined): string {
  return join(STATE_BASE, 'nodes', nodeKey(home));
}
