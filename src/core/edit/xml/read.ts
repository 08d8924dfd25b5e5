// Reading values for "detect": the same scanner and paths as the edits, so what is read is
// exactly what an edit would touch. Ambiguous paths and broken files throw XmlEditError.

import { findCommented } from './commented.js';
import { decodeAttr, decodeCdata, decodeText } from './escape.js';
import { XmlEditError } from './errors.js';
import { formatPath, parsePath, select } from './path.js';
import type { ElementNode } from './scan.js';
import { parseDocument } from './validate.js';

/** Character data of the element and its descendants (like DOM textContent), references decoded. */
export function textContent(text: string, el: ElementNode): string {
  let out = '';
  for (const c of el.children) {
    if (c.kind === 'text') out += decodeText(text.slice(c.start, c.end));
    else if (c.kind === 'cdata') out += decodeCdata(text.slice(c.start + 9, c.end - 3));
    else if (c.kind === 'element') out += textContent(text, c);
  }
  return out;
}

/** Decoded text content of the element at `path`; undefined when there is no such element. */
export function readText(text: string, path: string): string | undefined {
  const sel = select(parseDocument(text), parsePath(path));
  return sel.found ? textContent(text, sel.found) : undefined;
}

/** Decoded (and XML-normalised) attribute value; undefined when the element or attribute is absent. */
export function readAttribute(text: string, path: string, name: string): string | undefined {
  const sel = select(parseDocument(text), parsePath(path));
  const attr = sel.found?.attrs.find((a) => a.name === name);
  return attr ? decodeAttr(text.slice(attr.valueStart, attr.valueEnd)) : undefined;
}

export function exists(text: string, path: string): boolean {
  return select(parseDocument(text), parsePath(path)).found !== null;
}

/**
 * Text of a commented-out form of the element, e.g. 'www.wso2.org' for
 * `<!--HostName>www.wso2.org</HostName-->`; '' for a self-closing one. For a form that is not
 * well-formed once uncommented, the raw text between its tags. Undefined when there is none.
 */
export function readCommented(text: string, path: string): string | undefined {
  const segments = parsePath(path);
  if (segments.length < 2) return undefined;
  const doc = parseDocument(text);
  const sel = select(doc, segments.slice(0, -1));
  if (!sel.found) return undefined;
  const seg = segments[segments.length - 1]!;
  const forms = findCommented(doc, sel.found, seg);
  if (forms.length > 1) {
    throw new XmlEditError(
      `${path}: ${forms.length} commented-out forms of <${seg.name}> under ${formatPath(segments.slice(0, -1))} (lines ${forms.map((f) => f.line).join(', ')})`,
    );
  }
  const form = forms[0];
  if (!form) return undefined;
  if (form.element) return textContent(form.xml, form.element);
  const open = /^<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/.exec(form.xml);
  const close = form.xml.indexOf(`</${seg.name}`, open?.[0].length ?? 0);
  return open && close >= open[0].length ? form.xml.slice(open[0].length, close) : '';
}
