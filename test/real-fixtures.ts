// The real, byte-exact WSO2 API-M 2.1.0 files and logs in ../shared/fixtures (read-only).
// A suite that uses them is skipped, saying why, when the folder is missing — except under
// CI=true, where a missing folder fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO, tempDir } from './helpers.js';

export const SHARED = join(REPO, '..', 'shared', 'fixtures');
export const FIXTURES = join(SHARED, 'wso2am-2.1.0');
export const LOGS = join(SHARED, 'logs');
export const HOME = '/opt/wso2am-2.1.0';

/** The `skip` option of the suite's tests: false, or the reason. */
export function realFilesSuite(name: string): false | string {
  if (existsSync(FIXTURES) && existsSync(LOGS)) return false;
  const reason = `real 2.1.0 files not found at ${SHARED}`;
  if (process.env.CI === 'true') {
    test(`${name}: the real 2.1.0 fixtures are present under CI`, () => assert.fail(`${SHARED} is missing; CI must have ../shared/fixtures`));
  } else {
    console.log(`# skipping the ${name}: ${reason}`);
  }
  return reason;
}

/** A temp root with the real product files at HOME (writable, like an install) and a small /etc/hosts. */
export async function realRoot(): Promise<string> {
  const root = await tempDir();
  await cp(FIXTURES, join(root, HOME), { recursive: true });
  await mkdir(join(root, 'etc'));
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1\tlocalhost\n');
  for (const f of ['carbon.xml', 'tomcat/catalina-server.xml', 'api-manager.xml', 'axis2/axis2.xml']) {
    await chmod(join(root, HOME, 'repository/conf', f), 0o644);
  }
  return root;
}
