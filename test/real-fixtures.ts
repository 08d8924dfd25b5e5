// The real, byte-exact WSO2 API-M 2.x files and logs in ../shared/fixtures (read-only; copied
// into a temp root at test time, never into the project). A suite that uses them is skipped,
// saying why, when a release folder or the logs are missing — except under CI=true, where a
// missing folder fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RELEASES, RELEASE_FILES, RELEASE_TRAITS, type ReleaseId } from '../src/core/node/release.js';
import { REPO, tempDir } from './helpers.js';

export const SHARED = join(REPO, '..', 'shared', 'fixtures');
export const LOGS = join(SHARED, 'logs');

/** The shipped files of a release, as in the pack (repository/conf only). */
export const fixturesOf = (release: ReleaseId) => join(SHARED, `wso2am-${release}`);
/** Where a release is installed in the temp roots, as on a node. */
export const homeOf = (release: string) => `/opt/wso2am-${release}`;

export const FIXTURES = fixturesOf('2.1.0');
export const HOME = homeOf('2.1.0');

/** The product files every fixture holds, relative to repository/conf. */
const CONF_FILES = ['carbon.xml', 'tomcat/catalina-server.xml', 'api-manager.xml', 'axis2/axis2.xml', 'log4j.properties'] as const;

/** The `skip` option of the suite's tests: false, or the reason. */
export function realFilesSuite(name: string): false | string {
  const missing = [...RELEASES.map(fixturesOf), LOGS].filter((d) => !existsSync(d));
  if (missing.length === 0) return false;
  const reason = `real API-M 2.x files not found: ${missing.join(', ')}`;
  if (process.env.CI === 'true') {
    test(`${name}: the real 2.x fixtures are present under CI`, () => assert.fail(`${missing.join(', ')} missing; CI must have ../shared/fixtures with every release`));
  } else {
    console.log(`# skipping the ${name}: ${reason}`);
  }
  return reason;
}

/** Copies the fixture files of `release` to `home` under root, writable like an install (the fixtures are read-only). */
async function install(root: string, release: ReleaseId, home: string): Promise<void> {
  const conf = join(root, home, 'repository/conf');
  await cp(fixturesOf(release), join(root, home), { recursive: true });
  for (const dir of ['', 'repository', 'repository/conf', 'repository/conf/tomcat', 'repository/conf/axis2']) await chmod(join(root, home, dir), 0o755);
  for (const f of CONF_FILES) await chmod(join(conf, f), 0o644);
}

async function hostsFile(root: string): Promise<void> {
  await mkdir(join(root, 'etc'));
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1\tlocalhost\n');
}

/** A temp root with the real 2.1.0 product files at HOME (writable, like an install) and a small /etc/hosts. */
export async function realRoot(): Promise<string> {
  const root = await tempDir();
  await install(root, '2.1.0', HOME);
  await hostsFile(root);
  return root;
}

/** Our own stand-in for the 2.5+ bin/profileSetup.sh (WSO2's is not copied): its presence is what is checked. */
const PROFILE_SETUP_STANDIN = '#!/bin/sh\n# Test stand-in for API-M 2.5+ bin/profileSetup.sh (not WSO2\'s): present, does nothing.\nexit 0\n';

/** What a small deployment folder holds before a worker's reset: our own stand-ins, one kept by the reset, one moved. */
export const DEPLOYMENT_STANDINS: Record<string, string> = {
  'synapse-configs/default/synapse.xml': '<definitions xmlns="http://ws.apache.org/ns/synapse"/>\n',
  'synapse-configs/default/api/admin--PizzaShackAPI_v1.0.0.xml': '<api xmlns="http://ws.apache.org/ns/synapse" name="admin--PizzaShackAPI"/>\n',
  'webapps/am#sample#pizzashack#v1.war': 'stand-in\n',
  'jaggeryapps/store/site.json': '{}\n',
};

export interface ReleaseRootOptions {
  /** The home's path on the node (default /opt/wso2am-<release>): a home named for another version. */
  home?: string;
  /** bin/version.txt's text; false: no such file. Default "WSO2 API Manager v<release>", as every 2.x pack has. */
  versionTxt?: string | false;
  /** bin/profileSetup.sh; default: as the release ships it (2.5.0 and 2.6.0). */
  profileSetup?: boolean;
}

export interface ReleaseRoot {
  root: string;
  home: string;
  release: ReleaseId;
}

/**
 * A temp root with the real files of `release` at /opt/wso2am-<release>, a small /etc/hosts,
 * bin/version.txt as the pack has it, our bin/profileSetup.sh stand-in on 2.5+, and a small
 * repository/deployment/server of our own.
 */
export async function releaseRoot(release: ReleaseId, opts: ReleaseRootOptions = {}): Promise<ReleaseRoot> {
  const root = await tempDir();
  const home = opts.home ?? homeOf(release);
  await install(root, release, home);
  await hostsFile(root);
  await mkdir(join(root, home, 'bin'));
  const versionTxt = opts.versionTxt ?? `WSO2 API Manager v${release}\n`;
  if (versionTxt !== false) await writeFile(join(root, home, RELEASE_FILES.versionTxt), versionTxt);
  if (opts.profileSetup ?? RELEASE_TRAITS[release].workerOptimizer) {
    await writeFile(join(root, home, RELEASE_FILES.profileSetup), PROFILE_SETUP_STANDIN, { mode: 0o755 });
  }
  const deployment = join(root, home, 'repository/deployment/server');
  for (const [file, text] of Object.entries(DEPLOYMENT_STANDINS)) {
    await mkdir(join(deployment, file, '..'), { recursive: true });
    await writeFile(join(deployment, file), text);
  }
  return { root, home, release };
}

/** Hunks of a unified diff without the file headers. */
export function hunks(diff: string): string {
  return diff.split('\n').filter((l) => !/^(===|Index:|--- |\+\+\+ )/.test(l)).join('\n');
}
