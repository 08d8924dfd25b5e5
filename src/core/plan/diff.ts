// Unified diffs (jsdiff) and the one-line summary of a plan.
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(file: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a${file}`,
    `b${file}`,
    before ?? '',
    after,
    undefined,
    undefined,
    { context: 3 },
  );
}

/** What a masked secret reads as. */
export const MASK = '********';

const mask = (lead: string, value: string) => (value === '' ? lead : lead + MASK);

// <Password>, <KeyPassword>, <TrustStorePassword>… (any element whose name ends in Password).
const SECRET_ELEMENT = /(<(?:[\w.-]+:)?[\w.-]*password(?:\s[^<>]*)?>)([^<]*)/gi;
// <parameter name="mail.smtp.password">…</parameter> (axis2.xml's transport settings).
const SECRET_PARAMETER = /(<[\w.:-]+\s[^<>]*\bname\s*=\s*["'][^"']*password["'][^<>]*>)([^<]*)/gi;
// password="…", keystorePass="…", truststorePass="…" (catalina-server.xml's connectors).
const SECRET_ATTRIBUTE = /(\b[\w.:-]*pass(?:word)?\s*=\s*)("[^"]*"|'[^']*')/gi;

/**
 * A line as it may be shown: every secret value is ********. Only what is displayed is
 * masked (diff context and changed lines alike); the bytes written are never touched.
 */
export function maskSecrets(line: string): string {
  return line
    .replace(SECRET_ELEMENT, (_m, lead: string, value: string) => mask(lead, value))
    .replace(SECRET_PARAMETER, (_m, lead: string, value: string) => mask(lead, value))
    .replace(SECRET_ATTRIBUTE, (_m, lead: string, quoted: string) => (quoted.length === 2 ? lead + quoted : `${lead}${quoted[0]}${MASK}${quoted[0]}`));
}

export interface Counted {
  status: 'change' | 'create' | 'unchanged' | 'conflict';
}

export function summaryLine(changes: readonly Counted[]): string {
  const n = (s: Counted['status']) => changes.filter((c) => c.status === s).length;
  const files = (k: number) => `${k} file${k === 1 ? '' : 's'}`;
  const [change, create, same, conflict] = [n('change'), n('create'), n('unchanged'), n('conflict')];
  const edited = conflict ? `, ${conflict} edited by hand (keep or replace?)` : '';
  if (change + create + conflict === 0) return `Nothing to change: ${files(same)} already as asked.`;
  return `${files(change)} to change, ${create} to create, ${same} unchanged${edited}`;
}
