// The load balancer's TLS certificate: the admin's own (checked: it parses, its key matches,
// it names both host names), or a self-signed one for a trial, made by openssl with both host
// names as subjectAltNames. A trial certificate carries O=apim-gateway-wizard trial, so that
// the wizard replaces only its own certificates, never one the admin brought.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makePrivateTemp } from '../private-temp.js';
import { runProcess } from '../process.js';

export const TRIAL_ORGANIZATION = 'apim-gateway-wizard trial';
export const TRIAL_DAYS = 365;

export function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** Why a certificate and key cannot serve nginx together; undefined when they can. */
export function pairProblem(certPem: string, keyPem: string): string | undefined {
  const cert = parseCertificate(certPem);
  if (!cert) return 'the certificate is not a PEM certificate';
  if (/ENCRYPTED/.test(keyPem)) return 'the key is protected by a passphrase, which nginx cannot type at reload';
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return 'the key is not a PEM private key';
  }
  return cert.checkPrivateKey(key) ? undefined : 'the key does not belong to the certificate';
}

/** The host names a certificate does not cover. */
export function uncoveredNames(cert: X509Certificate, names: readonly string[]): string[] {
  return names.filter((n) => cert.checkHost(n) === undefined);
}

export function isTrialCertificate(cert: X509Certificate): boolean {
  return cert.subject.split('\n').includes(`O=${TRIAL_ORGANIZATION}`) && cert.checkIssued(cert);
}

/** A trial pair the wizard would keep as it is: its own, valid for a week more, for these names. */
export function trialPairFits(certPem: string | undefined, keyPem: string | undefined, names: readonly string[], now = new Date()): boolean {
  if (certPem === undefined || keyPem === undefined || pairProblem(certPem, keyPem)) return false;
  const cert = parseCertificate(certPem)!;
  return isTrialCertificate(cert) && uncoveredNames(cert, names).length === 0 && new Date(cert.validTo).getTime() > now.getTime() + 7 * 86_400_000;
}

/** What the review shows of a certificate (the PEM itself says nothing to a reader). */
export function describeCertificate(pem: string): string {
  const cert = parseCertificate(pem);
  if (!cert) return pem;
  return [
    `certificate  ${cert.subject.split('\n').join(', ')}`,
    `issued by    ${cert.checkIssued(cert) ? 'itself (self-signed)' : cert.issuer.split('\n').join(', ')}`,
    `names        ${cert.subjectAltName ?? '(no subjectAltName)'}`,
    `valid        ${cert.validFrom} to ${cert.validTo}`,
    `sha256       ${cert.fingerprint256}`,
    '',
  ].join('\n');
}

export const describeKey = (pem: string): string => (pem ? 'private key (not shown)\n' : '');

export const TRIAL_TEMP_PREFIX = 'apim-gateway-tls-';

/** openssl makes a key (RSA 2048) and a self-signed certificate naming both hosts. Nothing is left on disk. */
export async function makeTrialCertificate(names: readonly [string, ...string[]], days = TRIAL_DAYS): Promise<{ cert: string; key: string }> {
  // A killed run leaves the key here: the next one removes it (core/run/private-temp.ts).
  const dir = await makePrivateTemp(TRIAL_TEMP_PREFIX);
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const r = await runProcess(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/O=${TRIAL_ORGANIZATION}/CN=${names[0]}`,
        '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`],
      { timeoutMs: 60_000 },
    );
    if (!r.ok) {
      const why = r.startError ? 'openssl is not installed' : r.stderr.filter((l) => !/^[.+*\s-]*$/.test(l)).join(' ').trim();
      throw new Error(`could not make the self-signed certificate: ${why}`);
    }
    return { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
