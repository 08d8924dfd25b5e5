// Step 4 of the WSO2 procedure, optional: Hazelcast clustering in axis2.xml (immediate token
// revocation and shared throttling counters across the gateways). Only the <clustering>
// element changes: enable, wka, domain, this member, subDomain, the manager's port mappings
// and the well-known members.
import { XMLParser } from 'fast-xml-parser';
import type { Answers } from '../answers/schema.js';
import { canonicalIp, formatMember, parseMember } from '../answers/validators.js';
import { productFile } from '../node/layout.js';
import { portOffsetOf } from '../run/server/ports.js';
import { decodeText } from '../edit/textfile.js';
import { applyXmlEdits, exists, readCommented, type XmlEdit } from '../edit/xml/index.js';
import type { Contribution, Step } from './contribution.js';

const CLUSTERING = '/axisconfig/clustering';
const param = (name: string) => `${CLUSTERING}/parameter[@name='${name}']`;
const PROPERTIES = param('properties');
const property = (name: string) => `${PROPERTIES}/property[@name='${name}']`;
const MEMBERS = `${CLUSTERING}/members`;
/** The manager maps the load balancer's ports to its own servlet ports (docs: 80 → 9763, 443 → 9443). */
const PORT_MAPPING = /^port\.mapping\.\d+$/;

export interface ClusteringState {
  enabled: boolean;
  membershipScheme?: string;
  domain?: string;
  localMemberHost?: string;
  localMemberPort?: string;
  properties: Map<string, string>;
  /** "IP:port" of each <member>, in file order. */
  members: string[];
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v).trim());

/** What the live (not commented-out) <clustering> element says; undefined when there is none. */
export function readClustering(text: string): ClusteringState | undefined {
  // Read-only use of the parser; edits go through the lossless XML module.
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false }).parse(text) as Node;
  const clustering = list((doc.axisconfig as Node | undefined)?.clustering)[0];
  if (!clustering) return undefined;
  const params = new Map(list(clustering.parameter).map((p) => [String(p['@name']), p]));
  const value = (name: string) => str(params.get(name)?.['#text']);
  const props = new Map(list(params.get('properties')?.property).map((p) => [String(p['@name']), String(p['@value'] ?? '')]));
  const members = list((list(clustering.members)[0] ?? {}).member).map((m) => {
    const host = str(m.hostName) ?? '';
    const port = Number(str(m.port));
    return Number.isInteger(port) && port > 0 ? formatMember(host, port) : `${host}:${str(m.port) ?? ''}`;
  });
  return {
    enabled: String(clustering['@enable']).trim() === 'true',
    membershipScheme: value('membershipScheme'),
    domain: value('domain'),
    localMemberHost: value('localMemberHost'),
    localMemberPort: value('localMemberPort'),
    properties: props,
    members,
  };
}

/** The port mappings the manager needs: load balancer port → servlet port, shifted by carbon.xml's port offset. */
export function portMappings(a: Answers, offset = 0): Map<string, string> {
  if (a.role !== 'manager') return new Map();
  return new Map([
    [`port.mapping.${a.proxyHttpPort ?? 80}`, String(9763 + offset)],
    [`port.mapping.${a.proxyHttpsPort ?? 443}`, String(9443 + offset)],
  ]);
}

/** setText on a parameter; a commented-out one is uncommented first, a missing one created after `after`. */
function parameter(text: string, name: string, value: string, after: string): XmlEdit[] {
  const path = param(name);
  const edits: XmlEdit[] = [];
  if (!exists(text, path) && readCommented(text, path) !== undefined) edits.push({ op: 'uncomment', path });
  edits.push({ op: 'setText', path, value, create: { after } });
  return edits;
}

/** A <property name= value=/> set to `value`: its value changed, a commented-out one uncommented, or a new one added. */
function propertyEdits(text: string, name: string, value: string): XmlEdit[] {
  const path = property(name);
  if (exists(text, path)) return [{ op: 'setAttribute', path, name: 'value', value }];
  if (readCommented(text, path) !== undefined) return [{ op: 'uncomment', path }, { op: 'setAttribute', path, name: 'value', value }];
  return [{ op: 'insertChild', parent: PROPERTIES, xml: `<property name="${name}" value="${value}"/>` }];
}

function membersXml(members: readonly string[]): string {
  const entries = members.map((m) => {
    const { host, port } = parseMember(m)!;
    return `    <member>\n        <hostName>${host}</hostName>\n        <port>${port}</port>\n    </member>`;
  });
  return ['<members>', ...entries, '</members>'].join('\n');
}

/** Applies `edits` one group at a time, so that each group is decided on the text the previous ones made. */
function applyInTurn(text: string, groups: Array<(t: string) => XmlEdit[]>): string {
  return groups.reduce((t, group) => applyXmlEdits(t, group(t)), text);
}

export function clusteringEdit(text: string, a: Answers, portOffset = 0): string {
  if (!exists(text, CLUSTERING)) throw new Error(`${CLUSTERING} not found: is this the axis2.xml of API Manager 2.x?`);
  if (a.hazelcast !== true) return applyXmlEdits(text, [{ op: 'setAttribute', path: CLUSTERING, name: 'enable', value: 'false' }]);
  const mappings = portMappings(a, portOffset);
  const members = a.hazelcastMembers ?? [];
  return applyInTurn(text, [
    () => [{ op: 'setAttribute', path: CLUSTERING, name: 'enable', value: 'true' }],
    (t) => parameter(t, 'membershipScheme', 'wka', 'parameter'),
    (t) => parameter(t, 'domain', a.hazelcastDomain!, "parameter[@name='membershipScheme']"),
    (t) => parameter(t, 'localMemberHost', a.localMemberHost!, "parameter[@name='domain']"),
    (t) => parameter(t, 'localMemberPort', String(a.localMemberPort), "parameter[@name='localMemberHost']"),
    (t) => (exists(t, PROPERTIES) ? [] : [{ op: 'insertChild', parent: CLUSTERING, xml: '<parameter name="properties">\n</parameter>', after: "parameter[@name='localMemberPort']" }]),
    (t) => propertyEdits(t, 'subDomain', a.role === 'manager' ? 'mgt' : 'worker'),
    ...[...mappings].map(([name, value]) => (t: string) => propertyEdits(t, name, value)),
    // Mappings for other ports (a changed proxy port, a file copied from the manager) would route wrongly.
    (t) =>
      [...(readClustering(t)?.properties.keys() ?? [])]
        .filter((name) => PORT_MAPPING.test(name) && !mappings.has(name))
        .map((name): XmlEdit => ({ op: 'commentOut', path: property(name) })),
    (t) => {
      if (sameList(readClustering(t)?.members ?? [], members) && exists(t, MEMBERS)) return [];
      const xml = membersXml(members);
      return exists(t, MEMBERS)
        ? [{ op: 'replaceElement', path: MEMBERS, xml }]
        : [{ op: 'insertChild', parent: CLUSTERING, xml, after: "parameter[@name='properties']" }];
    },
  ]);
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function describe(a: Answers): string {
  if (a.hazelcast !== true) return 'Hazelcast clustering off (enable="false")';
  const mappings = [...portMappings(a)].map(([k, v]) => `${k.replace('port.mapping.', '')} → ${v}`);
  const shifted = mappings.length ? ', shifted by carbon.xml <Ports><Offset>' : '';
  return [
    `Hazelcast clustering on: wka, domain ${a.hazelcastDomain}`,
    `this member ${formatMember(a.localMemberHost!, a.localMemberPort!)} (subDomain ${a.role === 'manager' ? 'mgt' : 'worker'}${mappings.length ? `, port mappings ${mappings.join(', ')}${shifted}` : ''})`,
    `members ${(a.hazelcastMembers ?? []).join(', ')}`,
  ].join('; ');
}

function warnings(a: Answers): string[] {
  if (a.hazelcast !== true) return [];
  const out: string[] = [];
  if (/^(127\.|::1$)/.test(canonicalIp(a.localMemberHost ?? ''))) {
    out.push(`localMemberHost ${a.localMemberHost} is a loopback address: the other nodes cannot reach this member there`);
  }
  if ((a.hazelcastMembers ?? []).length < 2) {
    out.push('hazelcastMembers lists one node: a cluster needs the manager and the workers (give every node as IP:port)');
  }
  return out;
}

export function hazelcastContributions(a: Answers): Contribution[] {
  // Not answered: axis2.xml is none of the wizard's business this time.
  if ((a.role !== 'manager' && a.role !== 'worker') || a.hazelcast === undefined) return [];
  return [
    {
      file: productFile(a.productHome!, 'axis2'),
      format: 'xml',
      mayCreate: false,
      reason: describe(a),
      edit: (text, portOffset) => clusteringEdit(text, a, Number(portOffset ?? 0)),
      warnings: () => warnings(a),
    },
  ];
}

/** The manager's port mappings name its servlet ports, which carbon.xml's <Ports><Offset> shifts. */
async function prepare(a: Answers, current: (file: string) => Buffer | null | undefined): Promise<ReadonlyMap<string, string>> {
  if (a.role !== 'manager' || a.hazelcast !== true) return new Map();
  const carbon = productFile(a.productHome!, 'carbon');
  const bytes = current(carbon);
  const offset = bytes ? portOffsetOf(decodeText(bytes, carbon).text, carbon) : 0;
  return new Map([[productFile(a.productHome!, 'axis2'), String(offset)]]);
}

export const hazelcastStep: Step = { id: 'hazelcast', contributions: hazelcastContributions, prepare };
