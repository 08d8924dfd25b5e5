// The questions of a role as rows: what the input shows, where that value came from, and
// whether it passes the schema. Recomputed from the edits on every render, so a value that
// depends on an earlier answer (the manager's /etc/hosts address defaults to the first
// worker) follows that answer until the admin types their own.
import type { AnswersLayer } from '../core/answers/load.js';
import { checkTlsAnswer, hasTlsCheck } from '../core/steps/tls-answers.js';
import type { FieldSpec, Role } from '../core/answers/schema.js';
import { checkFieldText, prefill, questionFields, valueToText, type FieldCheck, type SourcedLayer } from '../core/answers/prefill.js';
import { needsProductHome } from '../core/node/session.js';

export type Edits = Partial<Record<string, string>>;

export interface QuestionRow {
  field: FieldSpec;
  text: string;
  /** "from carbon.xml", "saved answers", "docs example", "default", "typed"; '' when nothing gave a value. */
  source: string;
  check: FieldCheck;
  /** A line that says what the answer means here, shown with the open question (what a certificate path is for). */
  note?: string;
}

/** What a question means for the answers so far, when its help line alone does not say it. */
export function fieldNote(field: FieldSpec, current: AnswersLayer): string | undefined {
  const selfSigned = current.selfSignedCertificate === true;
  switch (field.key) {
    case 'hazelcast':
      return 'Optional, and most clusters answer no: only needed for immediate token revocation and shared throttling counters across gateways.';
    case 'selfSignedCertificate':
      return 'yes: openssl makes a trial certificate for both host names (browsers and API clients will warn). no: you give your own certificate and key.';
    case 'tlsCertificate':
      return selfSigned
        ? 'The trial certificate is created at this path (PEM); the review shows its names and dates.'
        : 'Your certificate must already be at this path (PEM) and name both host names; it is used as it is.';
    case 'tlsCertificateKey':
      return selfSigned
        ? 'The trial key is created at this path with mode 600; the review never shows a key.'
        : 'Its private key must already be at this path and match the certificate; the review never shows a key.';
    default:
      return undefined;
  }
}

export const TYPED = 'typed';

/**
 * The questions asked, in schema order. A conditional field (`when`, e.g. the Hazelcast ones)
 * is asked only when the answers before it turn it on, as resolveAnswers does.
 */
export function questionRows(role: Role, productHome: string | undefined, layers: readonly SourcedLayer[], edits: Edits): QuestionRow[] {
  const current: AnswersLayer = { role, productHome };
  const rows: QuestionRow[] = [];
  for (const field of questionFields(role)) {
    if (field.when && !field.when(current)) continue;
    const edited = edits[field.key];
    const filled = edited === undefined ? prefill(field, layers, current) : undefined;
    const text = edited ?? valueToText(filled?.value);
    const source = edited !== undefined ? TYPED : (filled?.source ?? '');
    const check = checkFieldText(field, text, role, current);
    if (check.value !== undefined) current[field.key] = check.value;
    const note = fieldNote(field, current);
    rows.push({ field, text, source, check, ...(note ? { note } : {}) });
  }
  return rows;
}

/** The answers the review is planned from: exactly what the questions show. */
export function answersFromRows(role: Role, productHome: string | undefined, rows: readonly QuestionRow[]): AnswersLayer {
  // Only the roles that configure the product carry its home: it decides where apply keeps its
  // state (saved answers, copies of generated files), which must not move with an unrelated home.
  const layer: AnswersLayer = productHome !== undefined && needsProductHome(role) ? { role, productHome } : { role };
  for (const row of rows) if (row.check.value !== undefined) layer[row.field.key] = row.check.value;
  return layer;
}

/** The row a cross-field problem is about: the first field key the message names. */
export function rowOfProblem(problem: string, rows: readonly QuestionRow[]): number | undefined {
  let best: { index: number; at: number } | undefined;
  rows.forEach((row, index) => {
    const at = problem.search(new RegExp(`\\b${row.field.key}\\b`));
    if (at >= 0 && (!best || at < best.at)) best = { index, at };
  });
  return best?.index;
}

/** Labels for the list of questions, short enough to leave room for the value and its source. */
const SHORT_LABELS: Partial<Record<string, string>> = {
  hostName: 'Cluster host name',
  mgtHostName: 'Management host name',
  managerIp: 'Manager address',
  workerIps: 'Worker addresses',
  clusterHostIp: 'Cluster name → address',
  proxyHttpPort: 'Proxy HTTP port',
  proxyHttpsPort: 'Proxy HTTPS port',
  managerPort: 'Manager HTTPS port',
  workerHttpsPort: 'Worker HTTPS API port',
  httpApiTraffic: 'Plain HTTP API traffic',
  workerHttpPort: 'Worker HTTP API port',
  listenAddress: 'nginx listen address',
  selfSignedCertificate: 'Self-signed certificate',
  tlsCertificate: 'TLS certificate',
  tlsCertificateKey: 'TLS private key',
  nginxSite: 'nginx site file',
  syncTargets: 'rsync targets',
  syncCronUser: 'Sync cron user',
  syncKey: 'Sync ssh key',
  syncSshPort: 'Workers\' ssh port',
  syncSchedule: 'Sync schedule',
  syncTenants: 'Sync tenants too',
  hazelcast: 'Hazelcast clustering',
  hazelcastDomain: 'Cluster domain',
  localMemberHost: 'Member address',
  localMemberPort: 'Member port',
  hazelcastMembers: 'Well-known members',
  resetDeployment: 'Reset deployment dir',
};

export function shortLabel(field: FieldSpec): string {
  return SHORT_LABELS[field.key] ?? field.prompt.replace(/\s*\(.*$/, '');
}

/**
 * The check of an answer that names a file (the load balancer's certificate and key), run when
 * Enter is pressed on its question: the plan's own check (core/steps/tls-answers.ts), on the
 * answers the rows hold. Undefined for a question without one.
 */
export function fileCheckAt(role: Role, productHome: string | undefined, root: string | undefined, key: string, rows: readonly QuestionRow[]): Promise<string | undefined> | undefined {
  if (!hasTlsCheck(key)) return undefined;
  return checkTlsAnswer(key, answersFromRows(role, productHome, rows), root);
}
