// Where each question's starting value comes from, and checking what was typed.
// Pure: the wizard shows the source next to every pre-filled value, so an admin can tell a
// value read from carbon.xml from one carried over in an answers file or taken from the docs.
import { fromText, type AnswersLayer } from './load.js';
import { FIELDS, valueSchema, type FieldSpec, type Role } from './schema.js';
import { shown } from '../messages/shown.js';

/** One source of answers and how to name it next to a value. */
export interface SourcedLayer {
  layer: AnswersLayer;
  label: (field: FieldSpec) => string;
}

export interface Prefilled {
  value: unknown;
  source: string;
}

/** Which file detect read each key from. */
const DETECTED_FROM: Partial<Record<string, string>> = {
  hostName: 'from carbon.xml',
  mgtHostName: 'from carbon.xml',
  proxyHttpPort: 'from catalina-server.xml',
  proxyHttpsPort: 'from catalina-server.xml',
  managerIp: 'from /etc/hosts',
  clusterHostIp: 'from /etc/hosts',
  hazelcast: 'from axis2.xml',
  hazelcastDomain: 'from axis2.xml',
  localMemberHost: 'from axis2.xml',
  localMemberPort: 'from axis2.xml',
  hazelcastMembers: 'from axis2.xml',
};

const DERIVED_FROM: Partial<Record<string, string>> = {
  clusterHostIp: 'default: the first worker',
};

export const SOURCE = {
  flag: (f: FieldSpec) => `--${f.flag}`,
  answersFile: () => '--answers file',
  detected: (f: FieldSpec) => DETECTED_FROM[f.key] ?? 'from the files on disk',
  saved: () => 'saved answers',
  /** The load balancer's site path: nginx -V (conf path) and the sites-available/conf.d directories present. */
  nginx: () => 'from nginx -V / the nginx directories',
} as const;

/** The questions asked for a role: productHome is settled on the welcome screen, role on the role screen. */
export function questionFields(role: Role): FieldSpec[] {
  return (FIELDS as readonly FieldSpec[]).filter((f) => f.roles.includes(role) && f.asked !== false && f.key !== 'role' && f.key !== 'productHome');
}

/**
 * The first layer that has the key wins; then the docs' example, the default, the value
 * derived from the answers so far (`current`).
 */
export function prefill(field: FieldSpec, layers: readonly SourcedLayer[], current: AnswersLayer): Prefilled | undefined {
  for (const { layer, label } of layers) {
    const value = layer[field.key];
    if (value !== undefined) return { value, source: label(field) };
  }
  if (field.docsExample !== undefined) return { value: field.docsExample, source: 'docs example' };
  if (field.default !== undefined) return { value: field.default, source: 'default' };
  const derived = field.derive?.(current);
  if (derived !== undefined) return { value: derived, source: DERIVED_FROM[field.key] ?? 'default' };
  return undefined;
}

/** How a value is typed back into a prompt: the inverse of fromText. */
export function valueToText(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

export interface FieldCheck {
  /** The typed value converted to the field's type; undefined when left empty. */
  value?: unknown;
  problem?: string;
}

/**
 * Checks one typed answer with the schema's own messages. Empty is fine when the role does
 * not need the field or the schema fills it (default, or derived from `current`).
 */
export function checkFieldText(field: FieldSpec, text: string, role: Role, current: AnswersLayer): FieldCheck {
  const value = fromText(field, text);
  const empty = text.trim() === '' || (Array.isArray(value) && value.length === 0);
  if (field.kind === 'boolean' && !empty && typeof value !== 'boolean') return { problem: 'must be yes or no' };
  if (empty) {
    const filled = field.default !== undefined || field.derive?.(current) !== undefined;
    return field.requiredFor.includes(role) && !filled ? { problem: 'is needed for this role' } : {};
  }
  const result = valueSchema(field.kind).safeParse(value);
  if (result.success) return { value: result.data };
  const issue = result.error.issues[0]!;
  const index = issue.path[0];
  // A list names the entry at fault: "192.0.2.300" is not an IPv4 or IPv6 address.
  // (A message that already starts with the entry, as a sync target's does, is not prefixed twice.)
  if (Array.isArray(value) && typeof index === 'number') {
    const entry = `"${shown(value[index])}"`;
    return { problem: issue.message.startsWith(entry) ? issue.message : `${entry} ${issue.message}` };
  }
  return { problem: issue.message };
}
