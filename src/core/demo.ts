// The built-in demo sandbox: a small product home, /etc/hosts and /etc/nginx of our own making,
// laid under a temp root, so that the wizard can be tried without a WSO2 installation.
import { cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_HOME = '/opt/wso2am-2.1.0';

/** templates/ of this package, from the bundle (dist/) or from source (src/core/). */
export function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'templates', 'demo'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('templates/ not found next to the program; reinstall apim-gateway-wizard');
}

/**
 * Creates the sandbox on first use and returns its root; later runs reuse it, so progress
 * shows. Files a sandbox made by an older version lacks (etc/nginx) are added; none is overwritten.
 */
export async function demoRoot(base = tmpdir()): Promise<string> {
  const root = join(base, 'apim-gateway-wizard-demo');
  await cp(join(templatesDir(), 'demo'), root, { recursive: true, force: false, errorOnExist: false });
  return root;
}
