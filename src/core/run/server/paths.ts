// Where a Carbon server keeps what the start, stop and status verbs need, relative to the
// product home: the launcher script, the pid file Carbon writes, and the log it appends to.
import { join } from 'node:path';
import { onDisk, stateDir } from '../../node/layout.js';

export interface ServerPaths {
  /** The product home as on the node. */
  home: string;
  /** The product home where it is on disk (under --root). */
  homeOnDisk: string;
  script: string;
  pidFile: string;
  logFile: string;
  deploymentDir: string;
  /** The wizard's state directory, on disk. */
  state: string;
}

export function serverPaths(home: string, root?: string): ServerPaths {
  const homeOnDisk = onDisk(root, home);
  return {
    home,
    homeOnDisk,
    script: join(homeOnDisk, 'bin/wso2server.sh'),
    pidFile: join(homeOnDisk, 'wso2carbon.pid'),
    logFile: join(homeOnDisk, 'repository/logs/wso2carbon.log'),
    deploymentDir: join(homeOnDisk, 'repository/deployment/server'),
    state: onDisk(root, stateDir(home)),
  };
}
