import { XMLValidator } from 'fast-xml-parser';
import { XmlEditError } from './errors.js';
import { lineCol, scan, ScanError, type Scanned } from './scan.js';

export type ValidationResult = { ok: true } | { ok: false; line: number; col: number; message: string };

/**
 * Well-formedness: our scanner first (its messages name the element and line it is about), which
 * also refuses what fast-xml-parser's validator lets through (several roots, `--` in comments,
 * `<` in attributes, bad references); then that validator as a second opinion.
 */
export function validateXml(text: string): ValidationResult {
  const r = check(text, false);
  return 'scanned' in r ? { ok: true } : r;
}

/** Scan and validate; the scanned tree on success, else where and why it is not well-formed. */
export function check(text: string, fragment: boolean): { scanned: Scanned } | { ok: false; line: number; col: number; message: string } {
  let scanned: Scanned;
  try {
    scanned = scan(text, fragment);
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    return { ok: false, ...lineCol(text, e.pos), message: e.message };
  }
  const v = XMLValidator.validate(text);
  if (v !== true) {
    // The validator strips a BOM before counting columns on line 1.
    const bomShift = text.charCodeAt(0) === 0xfeff && v.err.line === 1 ? 1 : 0;
    return { ok: false, line: v.err.line, col: (v.err.col ?? 1) + bomShift, message: v.err.msg };
  }
  return { scanned };
}

/** Validate and scan a document; `what` names it in the refusal. */
export function parseDocument(text: string, what = 'The XML'): Scanned {
  const r = check(text, false);
  if ('scanned' in r) return r.scanned;
  throw new XmlEditError(`${what} is not well-formed: line ${r.line}, column ${r.col}: ${r.message}`);
}

/** Validate and scan a fragment (elements and comments, no text outside them). */
export function parseFragment(xml: string, what = 'The XML fragment'): Scanned {
  const r = check(xml, true);
  if ('scanned' in r) return r.scanned;
  throw new XmlEditError(`${what} is not well-formed: line ${r.line}, column ${r.col}: ${r.message}`);
}
