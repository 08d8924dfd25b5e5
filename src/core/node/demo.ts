// The built-in demo sandbox: a small product home, /etc/hosts and /etc/nginx of our own making,
// laid under a temp root, so that the wizard can be tried without a WSO2 installation.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyTemplates } from '../edit/templates.js';

/** The repository's templates/ folder (tests copy from it). */
export { repositoryTemplates as templatesDir } from '../edit/templates.js';

export const DEMO_HOME = '/opt/wso2am-2.1.0';

/**
 * Creates the sandbox on first use and returns its root; later runs reuse it, so progress
 * shows. Files a sandbox made by an older version lacks (etc/nginx) are added; none is overwritten.
 */
export async function demoRoot(base = tmpdir()): Promise<string> {
  const root = join(base, 'apim-gateway-wizard-demo');
  await copyTemplates('demo', root);
  return root;
}
