// The load balancer's certificate and key answers, checked against the files they name: one
// check, used by the plan (the step's prepare) and by the questions when Enter is pressed on
// tlsCertificate or tlsCertificateKey, so both say the same thing. The files are read as the
// plan reads them: under --root as a jail, without --root only through links root controls,
// plain files only (a FIFO or a device is refused before a byte is read).
import type { AnswersLayer } from '../answers/load.js';
import { describeFsError } from '../messages/fserror.js';
import { onDisk } from '../node/layout.js';
import { resolveOnHost } from '../node/links.js';
import { readRegularFile } from '../node/regular-file.js';
import { isTrialCertificate, pairProblem, parseCertificate, trialPairFits } from '../run/nginx/tls.js';

export const TLS_KEYS = ['tlsCertificate', 'tlsCertificateKey'] as const;
export type TlsKey = (typeof TLS_KEYS)[number];

export const hasTlsCheck = (key: string): key is TlsKey => (TLS_KEYS as readonly string[]).includes(key);

/**
 * Why the plan would refuse the certificate answers read so far (up to `upTo`: at the
 * certificate's question the key is not known yet), or undefined. `current(file)`: its bytes,
 * null or undefined when it does not exist.
 */
export function tlsAnswerProblem(a: AnswersLayer, current: (file: string) => Buffer | null | undefined, upTo: TlsKey = 'tlsCertificateKey'): string | undefined {
  const cert = a.tlsCertificate as string | undefined;
  const key = upTo === 'tlsCertificateKey' ? (a.tlsCertificateKey as string | undefined) : undefined;
  if (cert === undefined) return undefined;
  if (key !== undefined && cert === key) return `tlsCertificate and tlsCertificateKey are both ${cert}; give two files`;
  const certPem = current(cert)?.toString();
  const keyPem = key === undefined ? undefined : current(key)?.toString();
  if (a.selfSignedCertificate !== true) {
    if (certPem === undefined) return `tlsCertificate ${cert} does not exist; give the path of your certificate (PEM), or selfSignedCertificate: true for a trial`;
    if (key === undefined) return parseCertificate(certPem) ? undefined : `tlsCertificate ${cert}: the certificate is not a PEM certificate`;
    if (keyPem === undefined) return `tlsCertificateKey ${key} does not exist; give the path of the certificate's private key (PEM)`;
    const problem = pairProblem(certPem, keyPem);
    return problem ? `tlsCertificate ${cert} and tlsCertificateKey ${key}: ${problem}` : undefined;
  }
  const names = [a.hostName, a.mgtHostName].filter((n): n is string => typeof n === 'string');
  if (key !== undefined && trialPairFits(certPem, keyPem, names)) return undefined;
  // Only a trial certificate of the wizard's own may be replaced; anything else is the admin's.
  const parsed = certPem === undefined ? undefined : parseCertificate(certPem);
  const ours = parsed !== undefined && isTrialCertificate(parsed);
  if (certPem !== undefined && !ours) {
    return `tlsCertificate ${cert} exists and is not a trial certificate the wizard made; use it (selfSignedCertificate: false) or give other paths`;
  }
  if (key !== undefined && keyPem !== undefined && !ours) {
    return `tlsCertificateKey ${key} exists; the wizard does not overwrite a key it did not make: give other paths`;
  }
  return undefined;
}

/** One node file as the plan reads it: its bytes, null when missing; any other failure as a message naming it. */
async function readNodeFile(root: string | undefined, file: string): Promise<Buffer | null> {
  const path = onDisk(root, file);
  try {
    // Without --root: a link another user can change is refused before anything is read.
    if (!root) resolveOnHost(file);
    return await readRegularFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(e instanceof Error && !(e as NodeJS.ErrnoException).syscall ? e.message : describeFsError(path, 'read it', e));
  }
}

/** The check of the question `key` (tlsCertificate or tlsCertificateKey) with the answers so far, reading the files it names. */
export async function checkTlsAnswer(key: TlsKey, a: AnswersLayer, root: string | undefined): Promise<string | undefined> {
  const files = [a.tlsCertificate, key === 'tlsCertificateKey' ? a.tlsCertificateKey : undefined].filter((f): f is string => typeof f === 'string');
  const read = new Map<string, Buffer | null>();
  try {
    for (const f of files) read.set(f, await readNodeFile(root, f));
  } catch (e) {
    return (e as Error).message;
  }
  return tlsAnswerProblem(a, (f) => read.get(f), key);
}
