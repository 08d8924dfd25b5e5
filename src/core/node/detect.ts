// Reads the node as it is: the values a re-run starts from and what this node looks like.
import type { AnswersLayer } from '../answers/load.js';
import { valueSchema, type Role } from '../answers/schema.js';
import { readHostsBlock, type HostEntry } from '../edit/hosts.js';
import { FileKindError, readRegularFile } from './regular-file.js';
import { HOSTS_FILE, onDisk, productFile } from './layout.js';
import { readRelease, ReleaseError, type ReleaseFinding, type ReleaseId } from './release.js';
import { readClustering, type ClusteringState } from '../steps/hazelcast.js';
import { detectSync } from '../run/sync/detect.js';
import { decodeText } from '../edit/textfile.js';
import { readAttribute, readCommented, readText, validateXml } from '../edit/xml/index.js';

export interface DetectedValue {
  value: string;
  /** Present only inside a comment, as shipped (`<!--HostName>www.wso2.org</HostName-->`). */
  commented: boolean;
}

export interface Detected {
  productHome?: string;
  /** carbon.xml <Version>, e.g. 2.1.0 */
  version?: string;
  /** The release planned for, as a plan reads it (the product's files, or the `release` answer). */
  release?: ReleaseFinding;
  /** Why no 2.x release could be planned for (not a 2.x product, no version anywhere): the ReleaseError message. */
  releaseProblem?: string;
  productName?: string;
  hostName?: DetectedValue;
  mgtHostName?: DetectedValue;
  proxyHttpPort?: number;
  proxyHttpsPort?: number;
  portOffset?: number;
  hostsBlock?: HostEntry[];
  /** axis2.xml <clustering> (Hazelcast), when the file is there. */
  clustering?: ClusteringState;
  /** The rsync job on the manager (workers list, cron entry, script), as answers. */
  sync?: AnswersLayer;
  looksLike?: Role;
  /** Files that could not be read or parsed, with the reason. */
  problems: string[];
}

/** optional: a missing file is not a problem. */
async function readXml(path: string, problems: string[], optional = false): Promise<string | undefined> {
  try {
    const text = decodeText(await readRegularFile(path), path).text;
    const v = validateXml(text);
    if (!v.ok) {
      problems.push(`${path}: not well-formed XML (line ${v.line}: ${v.message})`);
      return undefined;
    }
    return text;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && optional) return undefined;
    problems.push(code === 'ENOENT' ? `${path}: not found` : e instanceof FileKindError ? e.message : `${path}: ${(e as Error).message}`);
    return undefined;
  }
}

function valueOf(text: string, path: string): DetectedValue | undefined {
  const live = readText(text, path);
  if (live !== undefined) return { value: live.trim(), commented: false };
  const commented = readCommented(text, path);
  return commented === undefined ? undefined : { value: commented.trim(), commented: true };
}

function port(text: string, connectorPort: string): number | undefined {
  const v = readAttribute(text, `/Server/Service/Connector[@port='${connectorPort}']`, 'proxyPort');
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** `release`: the `release` answer, when given (it overrides what the product says, with a warning). */
export async function detectNode(home: string | undefined, root?: string, release?: ReleaseId): Promise<Detected> {
  const d: Detected = { productHome: home, problems: [] };
  if (home) {
    try {
      d.release = await readRelease(home, root, release);
    } catch (e) {
      if (e instanceof ReleaseError) d.releaseProblem = e.message;
      else d.problems.push(`release: ${(e as Error).message}`);
    }
    const carbon = await readXml(onDisk(root, productFile(home, 'carbon')), d.problems);
    if (carbon) {
      d.version = readText(carbon, '/Server/Version')?.trim();
      d.productName = readText(carbon, '/Server/Name')?.trim();
      d.hostName = valueOf(carbon, '/Server/HostName');
      d.mgtHostName = valueOf(carbon, '/Server/MgtHostName');
      const offset = readText(carbon, '/Server/Ports/Offset')?.trim();
      if (offset !== undefined && /^\d+$/.test(offset)) d.portOffset = Number(offset);
    }
    // axis2.xml only matters with Hazelcast: a home without one is not a problem here.
    const axis2 = await readXml(onDisk(root, productFile(home, 'axis2')), d.problems, true);
    if (axis2) d.clustering = readClustering(axis2);
    d.sync = await detectSync(home, root);
    const catalina = await readXml(onDisk(root, productFile(home, 'catalina')), d.problems);
    if (catalina) {
      d.proxyHttpPort = port(catalina, '9763');
      d.proxyHttpsPort = port(catalina, '9443');
    }
  }
  try {
    d.hostsBlock = readHostsBlock((await readRegularFile(onDisk(root, HOSTS_FILE))).toString('utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') d.problems.push(e instanceof FileKindError ? e.message : `${HOSTS_FILE}: ${(e as Error).message}`);
  }
  if (d.mgtHostName && !d.mgtHostName.commented) d.looksLike = 'manager';
  else if (d.hostName && !d.hostName.commented) d.looksLike = 'worker';
  return d;
}

/** What was detected, as answers: the defaults of a re-run. Commented-out sample values are not answers. */
export function detectedAnswers(d: Detected): AnswersLayer {
  const layer: AnswersLayer = {};
  if (d.productHome) layer.productHome = d.productHome;
  if (d.hostName && !d.hostName.commented) layer.hostName = d.hostName.value;
  if (d.mgtHostName && !d.mgtHostName.commented) layer.mgtHostName = d.mgtHostName.value;
  if (d.proxyHttpPort !== undefined) layer.proxyHttpPort = d.proxyHttpPort;
  if (d.proxyHttpsPort !== undefined) layer.proxyHttpsPort = d.proxyHttpsPort;
  for (const entry of d.hostsBlock ?? []) {
    if (layer.mgtHostName === undefined && d.looksLike === 'worker') layer.mgtHostName = entry.names[0];
    // /etc/hosts matches names without regard to case.
    const names = entry.names.map((n) => n.toLowerCase());
    if (names.includes(String(layer.mgtHostName).toLowerCase())) layer.managerIp = entry.ip;
    if (names.includes(String(layer.hostName).toLowerCase())) layer.clusterHostIp = entry.ip;
  }
  if (d.looksLike) layer.role = d.looksLike;
  Object.assign(layer, clusteringAnswers(d.clustering));
  Object.assign(layer, d.sync);
  return layer;
}

/** Hazelcast answers from axis2.xml when clustering is on: the values that pass the schema. */
function clusteringAnswers(c: ClusteringState | undefined): AnswersLayer {
  // Off is how the pack ships it: a default, not an answer (like the commented-out host names).
  if (!c?.enabled) return {};
  const valid = (kind: 'text' | 'ip' | 'port' | 'memberList', v: unknown) => (v !== undefined && valueSchema(kind).safeParse(v).success ? v : undefined);
  const port = c.localMemberPort !== undefined && /^\d+$/.test(c.localMemberPort) ? Number(c.localMemberPort) : undefined;
  const layer: AnswersLayer = {
    hazelcast: true,
    hazelcastDomain: valid('text', c.domain),
    localMemberHost: valid('ip', c.localMemberHost),
    localMemberPort: valid('port', port),
    hazelcastMembers: valid('memberList', c.members.length ? c.members : undefined),
  };
  return Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined));
}
