// Which API-M 2.x release a node runs, and what that changes for a Gateway node. Read from the
// product (carbon.xml <Version>, bin/version.txt, the folder name only as a last hint) or given
// as the `release` answer; checked against what only some releases ship (api-manager.xml's
// throttling blocks, bin/profileSetup.sh), so that a signal that disagrees is said, not trusted.
import { basename, join } from 'node:path';
import { onDisk } from './layout.js';
import { shown } from '../messages/shown.js';
import { resolveOnHost } from './links.js';
import { readRegularFile } from './regular-file.js';
import { decodeText } from '../edit/textfile.js';
import { readText } from '../edit/xml/index.js';

export const RELEASES = ['2.0.0', '2.1.0', '2.2.0', '2.5.0', '2.6.0'] as const;
export type ReleaseId = (typeof RELEASES)[number];

/** What the manager pushes to the workers: the whole deployment folder, or only the Synapse artifacts. */
export type SyncScope = 'deployment' | 'synapse';

export interface Release {
  id: ReleaseId;
  /** api-manager.xml has <ThrottlingConfigurations><JMSEventPublisherParameters> (up to 2.1.x). */
  jmsEventPublisher: boolean;
  /** Arguments after `wso2server.sh start` for each Gateway role. */
  startArgs: { manager: readonly string[]; worker: readonly string[] };
  /** The worker's start runs bin/profileSetup.sh (--optimize): it needs xmllint and trims the deployment folder. */
  workerOptimizer: boolean;
  syncScope: SyncScope;
  /** Where each of the above is confirmed (README's per-release table). */
  sources: string;
}

const PRODUCT_APIM = 'wso2/product-apim';

export const RELEASE_TRAITS: Record<ReleaseId, Release> = {
  '2.0.0': {
    id: '2.0.0',
    jmsEventPublisher: true,
    startArgs: { manager: ['-Dprofile=gateway-manager'], worker: ['-Dprofile=gateway-worker', '-DworkerNode=true'] },
    workerOptimizer: false,
    syncScope: 'deployment',
    sources: `${PRODUCT_APIM} v2.0.0 wso2server.sh and p2-profile pom (gateway-manager profile); WSO2's Product Profiles page (2.x versions: worker -DworkerNode=true); carbon-kernel Main.java (-D arguments)`,
  },
  '2.1.0': {
    id: '2.1.0',
    jmsEventPublisher: true,
    startArgs: { manager: [], worker: ['-Dprofile=gateway-worker'] },
    workerOptimizer: false,
    syncScope: 'deployment',
    sources: `${PRODUCT_APIM} v2.1.0 wso2server.sh; product-apim issue 3274 (the AM210 rsync page runs the manager on the default profile)`,
  },
  '2.2.0': {
    id: '2.2.0',
    jmsEventPublisher: false,
    startArgs: { manager: [], worker: ['-Dprofile=gateway-worker'] },
    workerOptimizer: false,
    syncScope: 'deployment',
    sources: `${PRODUCT_APIM} v2.2.0 wso2server.sh; carbon-apimgt v6.2.201 api-manager.xml (TrafficManager, no JMS block); docs-apim issue 27`,
  },
  '2.5.0': {
    id: '2.5.0',
    jmsEventPublisher: false,
    startArgs: { manager: [], worker: ['--optimize', '-Dprofile=gateway-worker'] },
    workerOptimizer: true,
    syncScope: 'synapse',
    sources: `${PRODUCT_APIM} v2.5.0 wso2server.sh (--optimize), bin/profileSetup.sh; commit 9bc62a79 (no gateway-manager profile); docs-apim issue 2247`,
  },
  '2.6.0': {
    id: '2.6.0',
    jmsEventPublisher: false,
    startArgs: { manager: [], worker: ['--optimize', '-Dprofile=gateway-worker'] },
    workerOptimizer: true,
    syncScope: 'synapse',
    sources: `${PRODUCT_APIM} v2.6.0 wso2server.sh, bin/profileSetup.sh; AM260 Product Profiles; kubernetes-apim issues 275/276`,
  },
};

export const RELEASE_FILES = { versionTxt: 'bin/version.txt', profileSetup: 'bin/profileSetup.sh' } as const;

/** What the release is read from: the texts of the files (null: missing, undefined: not read). */
export interface ReleaseInputs {
  home: string;
  carbonXml?: string | null;
  versionTxt?: string | null;
  apiManagerXml?: string | null;
  profileSetup?: boolean;
  /** The `release` answer, when given. */
  answer?: ReleaseId;
}

export interface ReleaseFinding {
  release: Release;
  /** Where it came from, in the admin's words ("carbon.xml <Version> 2.6.0"). */
  from: string;
  /** Signals that disagree, a release planned as a neighbour: said in the plan and on the welcome screen. */
  warnings: string[];
}

export class ReleaseError extends Error {}

/** 2.1.0, 2.1.0.1 (a WUM update), 2.6.0-SNAPSHOT: the three numbers, or undefined. */
function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:[.-][A-Za-z0-9.-]*)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The known release nearest to a 2.x version (2.3.0 → 2.2.0, 2.4.0 → 2.5.0, 2.7.0 → 2.6.0). */
function nearest(minor: number, patch: number): ReleaseId {
  const distance = (id: ReleaseId) => {
    const [, m, p] = parseVersion(id)!;
    return Math.abs(m - minor) * 1000 + Math.abs(p - patch);
  };
  return RELEASES.reduce((best, id) => (distance(id) < distance(best) ? id : best));
}

interface Signal {
  source: string;
  version: string;
}

/** An element's text, or undefined (also for a file that is not XML: the plan says why elsewhere). */
function textAt(xml: string | null | undefined, path: string): string | undefined {
  if (!xml) return undefined;
  try {
    return readText(xml, path);
  } catch {
    return undefined;
  }
}

function signals(i: ReleaseInputs): Signal[] {
  const found: Signal[] = [];
  const carbon = textAt(i.carbonXml, '/Server/Version')?.trim();
  if (carbon) found.push({ source: 'carbon.xml <Version>', version: carbon });
  const txt = i.versionTxt ? /^\s*WSO2 API Manager v(\S+)/.exec(i.versionTxt)?.[1] : undefined;
  if (txt) found.push({ source: RELEASE_FILES.versionTxt, version: txt });
  const folder = /^wso2am-(\d+\.\d+\.\d+)(?:$|[.-])/.exec(basename(i.home))?.[1];
  if (folder) found.push({ source: `the folder name ${shown(basename(i.home), 40)}`, version: folder });
  return found;
}

/** A version for messages: a few characters normally; a planted file could say anything (cut, escaped). */
const said = (v: string) => shown(v.trim(), 24);

/** What the files say about their era, whatever the numbers claim. */
function eraWarnings(i: ReleaseInputs, r: Release): string[] {
  const warnings: string[] = [];
  if (i.apiManagerXml) {
    const jms = textAt(i.apiManagerXml, '/APIManager/ThrottlingConfigurations/JMSEventPublisherParameters') !== undefined;
    const tm = textAt(i.apiManagerXml, '/APIManager/ThrottlingConfigurations/TrafficManager') !== undefined;
    if (!r.jmsEventPublisher && jms && !tm) {
      warnings.push(`api-manager.xml looks like a 2.0/2.1 file (<JMSEventPublisherParameters>, no <TrafficManager>) on release ${r.id}: was it copied from an older node?`);
    }
    if (r.jmsEventPublisher && tm && !jms) {
      warnings.push(`api-manager.xml looks like a 2.2-or-later file (<TrafficManager>, no <JMSEventPublisherParameters>) on release ${r.id}: was it copied from a newer node?`);
    }
  }
  if (i.profileSetup !== undefined && i.profileSetup !== r.workerOptimizer) {
    warnings.push(
      r.workerOptimizer
        ? `${RELEASE_FILES.profileSetup} is missing, though ${r.id} ships it: a worker's --optimize start would skip its optimizations`
        : `${RELEASE_FILES.profileSetup} is there, though ${r.id} does not ship it (it came with 2.5.0): is this home really ${r.id}?`,
    );
  }
  return warnings;
}

/** The release to plan for, from the answer or the product; throws ReleaseError when it cannot be a 2.x Gateway. */
export function resolveRelease(i: ReleaseInputs): ReleaseFinding {
  const found = signals(i);
  const warnings: string[] = [];
  let id: ReleaseId;
  let from: string;
  if (i.answer) {
    id = i.answer;
    from = 'the release answer';
    const other = found.find((s) => s.version !== id);
    if (other) warnings.push(`${other.source} says ${said(other.version)}; planned as ${id}, as answered (release)`);
  } else {
    const first = found[0];
    if (!first) {
      throw new ReleaseError(
        `release: not found (${join(i.home, 'repository/conf/carbon.xml')} has no <Version>, ${RELEASE_FILES.versionTxt} names none, nor does the folder name); give it: --release ${RELEASES.join('|')}`,
      );
    }
    const v = parseVersion(first.version);
    if (!v || v[0] !== 2) {
      throw new ReleaseError(
        `release: ${first.source} says ${said(first.version)}; this wizard sets up the rsync Gateway of API-M 2.x (${RELEASES.join(', ')}). If that is wrong, give it: --release ${RELEASES.join('|')}`,
      );
    }
    id = nearest(v[1], v[2]);
    const exact = RELEASES.includes(first.version.trim() as ReleaseId) || `${v[0]}.${v[1]}.${v[2]}` === id;
    from = `${first.source} ${said(first.version)}`;
    if (!exact) warnings.push(`${first.source} says ${said(first.version)}, a release this wizard does not know: planned as the nearest known one, ${id} (give --release to choose)`);
    for (const s of found.slice(1)) {
      const sv = parseVersion(s.version);
      if (!sv || sv.join('.') !== v.join('.')) warnings.push(`${first.source} says ${said(first.version)} but ${s.source} says ${said(s.version)}: planned as ${id}`);
    }
  }
  const release = RELEASE_TRAITS[id];
  warnings.push(...eraWarnings(i, release));
  return { release, from, warnings };
}

/** The start command's arguments after `wso2server.sh start`. */
export function startArgs(release: Release, role: 'manager' | 'worker'): string[] {
  return [...release.startArgs[role]];
}

/**
 * The launcher command a role gets on a release, as the admin reads it: `start` runs it in the
 * background, as the wizard does; without it, in the foreground (to see the JVM's own output).
 */
export function launcherCommand(release: Release, role: 'manager' | 'worker', opts: { background?: boolean; program?: string } = {}): string {
  return [opts.program ?? 'sh bin/wso2server.sh', ...(opts.background === false ? [] : ['start']), ...startArgs(release, role)].join(' ');
}

/** The files a Gateway node's release is read from, as on the node. */
export function releaseFiles(home: string): { carbonXml: string; apiManagerXml: string; versionTxt: string; profileSetup: string } {
  return {
    carbonXml: join(home, 'repository/conf/carbon.xml'),
    apiManagerXml: join(home, 'repository/conf/api-manager.xml'),
    versionTxt: join(home, RELEASE_FILES.versionTxt),
    profileSetup: join(home, RELEASE_FILES.profileSetup),
  };
}

/** The inputs from bytes already read (null: missing; undefined: not read). */
export function releaseInputs(home: string, read: (file: string) => Buffer | null | undefined, answer?: ReleaseId): ReleaseInputs {
  const f = releaseFiles(home);
  const text = (file: string) => {
    const b = read(file);
    if (b === undefined || b === null) return b;
    try {
      return decodeText(b, file).text;
    } catch {
      return b.toString('latin1');
    }
  };
  const setup = read(f.profileSetup);
  return {
    home,
    carbonXml: text(f.carbonXml),
    apiManagerXml: text(f.apiManagerXml),
    versionTxt: text(f.versionTxt),
    ...(setup === undefined ? {} : { profileSetup: setup !== null }),
    ...(answer ? { answer } : {}),
  };
}

/**
 * The release of the Gateway node at `home`, read now (start, stop, status, sync and the welcome
 * screen; a plan reads the same files into its snapshot). A file that cannot be read safely
 * (missing, not a plain file, a link another user can change) says nothing.
 */
export async function readRelease(home: string, root: string | undefined, answer?: ReleaseId): Promise<ReleaseFinding> {
  const bytes = new Map<string, Buffer | null>();
  for (const file of Object.values(releaseFiles(home))) {
    try {
      if (!root) resolveOnHost(file, true);
      bytes.set(file, await readRegularFile(onDisk(root, file)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') bytes.set(file, null);
    }
  }
  return resolveRelease(releaseInputs(home, (f) => bytes.get(f), answer));
}

/** What the worker's --optimize start does (bin/profileSetup.sh, gateway-worker case), for the plan. */
export const OPTIMIZER_TEXT =
  `runs ${RELEASE_FILES.profileSetup} first (needs xmllint): PolicyDeployer and registry indexing off, and every webapp but the PizzaShack sample and every jaggeryapp removed from repository/deployment/server, on every such start`;

/** The plan's lines about the release: which one and from where, and the start command it gets. */
export function releaseLines(found: ReleaseFinding, role: 'manager' | 'worker'): string[] {
  const r = found.release;
  const command = launcherCommand(r, role);
  const why =
    role === 'worker'
      ? r.workerOptimizer
        ? ` — the Gateway Worker profile; --optimize ${OPTIMIZER_TEXT}`
        : r.id === '2.0.0'
          ? ' — the Gateway Worker profile, as a worker node of the cluster'
          : ' — the Gateway Worker profile'
      : r.id === '2.0.0'
        ? ' — the Gateway Manager profile'
        : r.workerOptimizer
          ? ` — the default profile (${r.id} ships no gateway-manager profile)`
          : ' — the default profile, as WSO2 runs the manager from 2.1.0 (the gateway-manager profile is deprecated)';
  return [`API-M ${r.id}, read from ${found.from}`, `start: ${command}${why}`];
}
