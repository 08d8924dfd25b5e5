// Where things are on a node. Paths are the ones the admin knows (absolute, as on the
// node); `onDisk` maps them under --root, which tests and dry rehearsals use.
import { join } from 'node:path';

export const PRODUCT_FILES = {
  carbon: 'repository/conf/carbon.xml',
  catalina: 'repository/conf/tomcat/catalina-server.xml',
  apiManager: 'repository/conf/api-manager.xml',
  axis2: 'repository/conf/axis2/axis2.xml',
} as const;

export const HOSTS_FILE = '/etc/hosts';

/** The wizard's own directory under the product home: saved answers, backups, lock. */
export const STATE_DIR_NAME = '.apim-gateway-wizard';

export function productFile(home: string, key: keyof typeof PRODUCT_FILES): string {
  return join(home, PRODUCT_FILES[key]);
}

export function onDisk(root: string | undefined, file: string): string {
  return root ? join(root, file) : file;
}

export function stateDir(home: string | undefined): string {
  return home ? join(home, STATE_DIR_NAME) : '/var/lib/apim-gateway-wizard';
}
