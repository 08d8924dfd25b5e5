// Surgical edits: each one locates an element with the scanner and splices the original string,
// so every byte outside the edited element stays as it was. Nothing is ever re-serialised.

import { findCommented } from './commented.js';
import { decodeAttr, escapeAttr, escapeText, forbiddenCharIndex } from './escape.js';
import { XmlEditError } from './errors.js';
import { detectEol, detectIndentUnit, isLineLeading, lineIndent, renderFragment } from './indent.js';
import {
  ambiguous, formatPath, matchingChildren, notFound, parsePath, parseSegment, select, selectRequired,
  type Segment,
} from './path.js';
import { textContent } from './read.js';
import { childElements, isXmlName, lineOf, type ElementNode, type Scanned, type XmlNode } from './scan.js';
import { check, parseDocument, parseFragment } from './validate.js';

export type XmlEdit =
  | { op: 'setText'; path: string; value: string; create?: { after?: string } }
  | { op: 'setAttribute'; path: string; name: string; value: string; after?: string }
  | { op: 'uncomment'; path: string }
  | { op: 'commentOut'; path: string }
  | { op: 'insertChild'; parent: string; xml: string; after?: string }
  | { op: 'replaceElement'; path: string; xml: string };

/**
 * Apply the edits in order, each on the previous result. The input is validated first and the
 * result after every edit; any refusal throws XmlEditError and nothing is returned.
 * Repeating an edit that is already in effect returns the same string.
 */
export function applyXmlEdits(text: string, edits: readonly XmlEdit[]): string {
  let doc = parseDocument(text, 'The file');
  edits.forEach((edit, n) => {
    const label = `Edit ${n + 1} of ${edits.length} (${describe(edit)})`;
    let next: string;
    try {
      next = applyOne(doc, edit);
    } catch (e) {
      if (e instanceof XmlEditError) throw new XmlEditError(`${label}: ${e.message}`, { cause: e });
      throw new XmlEditError(`${label} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (next === doc.text) return;
    const v = check(next, false);
    if (!('scanned' in v)) {
      throw new XmlEditError(
        `${label}: refused, the result would not be well-formed XML (line ${v.line}, column ${v.col}: ${v.message})`,
      );
    }
    doc = v.scanned;
  });
  return doc.text;
}

/** `setText /Server/HostName`, robust to malformed edits coming from JSON. */
function describe(edit: XmlEdit): string {
  const e = (typeof edit === 'object' && edit !== null ? edit : {}) as Record<string, unknown>;
  return `${String(e.op)} ${String(e.parent ?? e.path)}`;
}

function applyOne(doc: Scanned, edit: XmlEdit): string {
  if (typeof edit !== 'object' || edit === null) throw new XmlEditError('an edit must be an object');
  switch (edit.op) {
    case 'setText':
      return setText(doc, edit);
    case 'setAttribute':
      return setAttribute(doc, edit);
    case 'uncomment':
      return uncomment(doc, edit.path);
    case 'commentOut':
      return commentOut(doc, edit.path);
    case 'insertChild': {
      parseFragment(checkString(edit.xml, 'xml'));
      const parent = selectRequired(doc, parsePath(edit.parent));
      return insertInto(doc, parent, edit.parent, edit.xml, edit.after, true);
    }
    case 'replaceElement': {
      parseFragment(checkString(edit.xml, 'xml'));
      const el = selectRequired(doc, parsePath(edit.path));
      const rendered = renderFragment(edit.xml, lineIndent(doc.text, el.start), detectIndentUnit(doc.text, doc.root), detectEol(doc.text));
      return splice(doc.text, el.start, el.end, rendered);
    }
    default:
      throw new XmlEditError(`unknown operation ${JSON.stringify((edit as { op?: unknown }).op)}`);
  }
}

const splice = (text: string, from: number, to: number, insert: string): string =>
  text.slice(0, from) + insert + text.slice(to);

/** Values come from users and answer files: refuse what XML cannot hold rather than write a broken file. */
function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new XmlEditError(`${what} must be a string`);
  const bad = forbiddenCharIndex(value);
  if (bad !== -1) {
    const code = value.codePointAt(bad)!.toString(16).toUpperCase().padStart(4, '0');
    throw new XmlEditError(`${what} contains character U+${code} at position ${bad + 1}, which XML cannot hold`);
  }
  return value;
}

const where = (doc: Scanned, path: string, el: ElementNode): string => `${path} (line ${lineOf(doc.text, el.start)})`;

function setText(doc: Scanned, edit: Extract<XmlEdit, { op: 'setText' }>): string {
  const value = checkString(edit.value, 'value');
  const segments = parsePath(edit.path);
  const eol = detectEol(doc.text);
  const sel = select(doc, segments);
  if (!sel.found) {
    if (!edit.create || !sel.parent || sel.missing !== segments.length - 1) throw notFound(doc, segments, sel);
    // Predicates become attributes, so `parameter[@name='x']` is created as <parameter name="x">.
    const seg = segments[segments.length - 1]!;
    const attrs = seg.predicates.map((p) => ` ${p.attr}="${escapeAttr(p.value, '"')}"`).join('');
    const xml = `<${seg.name}${attrs}>${escapeText(value, eol)}</${seg.name}>`;
    return insertInto(doc, sel.parent, formatPath(segments.slice(0, -1)), xml, edit.create.after, false);
  }
  const el = sel.found;
  const other = el.children.find((c) => c.kind !== 'text' && c.kind !== 'cdata');
  if (other) {
    throw new XmlEditError(
      `Cannot set the text of ${where(doc, edit.path, el)}: it contains ${nodeLabel(other)} (line ${lineOf(doc.text, other.start)}), not just text`,
    );
  }
  if (textContent(doc.text, el) === value) return doc.text;
  const escaped = escapeText(value, eol);
  if (el.selfClosing) {
    const tag = doc.text.slice(el.start, el.end - 2).trimEnd();
    return splice(doc.text, el.start, el.end, `${tag}>${escaped}</${el.name}>`);
  }
  return splice(doc.text, el.openEnd, el.closeStart, escaped);
}

function nodeLabel(n: XmlNode): string {
  if (n.kind === 'element') return `a child element <${n.name}>`;
  return { text: 'text', comment: 'a comment', cdata: 'a CDATA section', pi: 'a processing instruction', doctype: 'a DOCTYPE' }[n.kind];
}

function setAttribute(doc: Scanned, edit: Extract<XmlEdit, { op: 'setAttribute' }>): string {
  const text = doc.text;
  const value = checkString(edit.value, 'value');
  if (typeof edit.name !== 'string' || !isXmlName(edit.name)) {
    throw new XmlEditError(`${JSON.stringify(edit.name)} is not a valid attribute name`);
  }
  const el = selectRequired(doc, parsePath(edit.path));
  const existing = el.attrs.find((a) => a.name === edit.name);
  if (existing) {
    if (decodeAttr(text.slice(existing.valueStart, existing.valueEnd)) === value) return text;
    return splice(text, existing.valueStart, existing.valueEnd, escapeAttr(value, existing.quote));
  }
  const quote = el.attrs[0]?.quote ?? '"';
  const attr = `${edit.name}=${quote}${escapeAttr(value, quote)}${quote}`;
  const anchor = el.attrs.find((a) => a.name === edit.after) ?? el.attrs[el.attrs.length - 1];
  if (!anchor) return splice(text, el.nameEnd, el.nameEnd, ` ${attr}`);
  // "One attribute per line" when every attribute after the first starts its own line
  // (catalina-server.xml's Connector); then the new one gets its own line, same indentation.
  const ownLine = el.attrs.map((a, i) => /\n/.test(text.slice(i === 0 ? el.nameEnd : el.attrs[i - 1]!.end, a.start)));
  const perLine = ownLine.slice(1).every(Boolean) && (el.attrs.length >= 2 || ownLine[0] === true);
  if (!perLine) return splice(text, anchor.end, anchor.end, ` ${attr}`);
  const model = ownLine[el.attrs.indexOf(anchor)] ? anchor : el.attrs[ownLine.indexOf(true)]!;
  return splice(text, anchor.end, anchor.end, detectEol(text) + lineIndent(text, model.start) + attr);
}

/** Parent element and last segment of a path naming a child (uncomment/commentOut). */
function childTarget(doc: Scanned, path: string): { parent: ElementNode; parentPath: string; seg: Segment; real: ElementNode[] } {
  const segments = parsePath(path);
  if (segments.length < 2) throw new XmlEditError(`${path} is the document element; only elements inside it can be (un)commented`);
  const parentPath = formatPath(segments.slice(0, -1));
  const parent = selectRequired(doc, segments.slice(0, -1));
  const seg = segments[segments.length - 1]!;
  const real = matchingChildren(doc.text, parent, seg);
  if (real.length > 1) throw ambiguous(doc.text, `Path ${path}`, seg, real);
  return { parent, parentPath, seg, real };
}

function uncomment(doc: Scanned, path: string): string {
  const { parent, parentPath, seg, real } = childTarget(doc, path);
  if (real.length === 1) return doc.text; // already uncommented
  const forms = findCommented(doc, parent, seg);
  if (forms.length === 0) {
    throw new XmlEditError(
      `Cannot uncomment ${path}: ${where(doc, parentPath, parent)} has neither a <${seg.name}> element nor a commented-out form of it`,
    );
  }
  if (forms.length > 1) {
    throw new XmlEditError(
      `Cannot uncomment ${path}: ${forms.length} commented-out forms of <${seg.name}> under ${parentPath} (lines ${forms.map((f) => f.line).join(', ')}); uncomment the right one by hand`,
    );
  }
  const form = forms[0]!;
  if (form.problem) throw new XmlEditError(`Cannot uncomment ${path}: the commented-out <${seg.name}> at line ${form.line} is ${form.problem}`);
  return splice(doc.text, form.comment.start, form.comment.end, form.xml);
}

function commentOut(doc: Scanned, path: string): string {
  const { parent, parentPath, seg, real } = childTarget(doc, path);
  const el = real[0];
  if (!el) {
    if (findCommented(doc, parent, seg).length > 0) return doc.text; // already commented out
    throw new XmlEditError(
      `Cannot comment out ${path}: ${where(doc, parentPath, parent)} has no <${seg.name}> element (nor a commented-out one)`,
    );
  }
  const block = doc.text.slice(el.start, el.end);
  const dashes = block.indexOf('--');
  if (dashes !== -1) {
    const nested = block.includes('<!--') ? ': it contains a comment, and XML comments cannot nest' : '';
    throw new XmlEditError(
      `Cannot comment out ${path} (lines ${lineOf(doc.text, el.start)}-${lineOf(doc.text, el.end)}): '--' at line ${lineOf(doc.text, el.start + dashes)} cannot appear inside a comment${nested}`,
    );
  }
  // Only the `<` of the start tag and the `>` of the end tag change: the diff touches the
  // block's first and last lines, and uncomment restores the original bytes.
  return `${doc.text.slice(0, el.start)}<!--${doc.text.slice(el.start + 1, el.end - 1)}-->${doc.text.slice(el.end)}`;
}

/**
 * Insert `xml` as a child of `parent`: after the child `after` names (when found), else as the
 * last child; on a line of its own with the neighbours' indentation. With `guard`, an identical
 * child already there makes it a no-op (so a second plan is empty).
 */
function insertInto(doc: Scanned, parent: ElementNode, parentPath: string, xml: string, after: string | undefined, guard: boolean): string {
  const text = doc.text;
  const eol = detectEol(text);
  const unit = detectIndentUnit(text, doc.root);
  const mixed = parent.children.find((c) => c.kind === 'cdata' || (c.kind === 'text' && text.slice(c.start, c.end).trim() !== ''));
  if (mixed) throw new XmlEditError(`Cannot add a child element to ${where(doc, parentPath, parent)}: it holds text`);

  let ref: ElementNode | undefined;
  if (after !== undefined) {
    const seg = parseSegment(after);
    const found = matchingChildren(text, parent, seg);
    if (found.length > 1) throw ambiguous(text, `'after' ${after} under ${parentPath}`, seg, found);
    ref = found[0];
  }
  const kids = childElements(parent);
  const parentIndent = lineIndent(text, parent.start);
  const model = [ref ?? kids[kids.length - 1], ...kids].find((k) => k && isLineLeading(text, k.start));
  const indent = model ? lineIndent(text, model.start) : parentIndent + unit;
  const rendered = renderFragment(xml, indent, unit, eol);
  // Already there, byte for byte, starting and ending on child boundaries (one or more elements).
  const present = kids.some((k) => text.startsWith(rendered, k.start) && parent.children.some((c) => c.end === k.start + rendered.length));
  if (guard && present) return text;

  if (parent.selfClosing) {
    const tag = text.slice(parent.start, parent.end - 2).trimEnd();
    return splice(text, parent.start, parent.end, `${tag}>${eol}${indent}${rendered}${eol}${parentIndent}</${parent.name}>`);
  }
  let anchor = ref ? ref.end : lastNonText(parent)?.end ?? parent.openEnd;
  anchor = pastSameLineComments(text, parent, anchor);
  const restOfLine = /^[ \t]*\r?\n/.exec(text.slice(anchor, parent.closeStart));
  if (restOfLine) {
    // The anchor ends its line: add whole lines after it, leaving that line untouched.
    const at = anchor + restOfLine[0].length;
    return splice(text, at, at, indent + rendered + eol);
  }
  // Something follows on the same line: break the line around the new child.
  const next = anchor + /^\s*/.exec(text.slice(anchor, parent.closeStart))![0].length;
  const resume = next >= parent.closeStart ? parentIndent : indent;
  return splice(text, anchor, next, eol + indent + rendered + eol + resume);
}

function lastNonText(parent: ElementNode): XmlNode | undefined {
  return [...parent.children].reverse().find((c) => c.kind !== 'text');
}

/** A one-line comment right after the anchor on the same line annotates it: insert after the comment. */
function pastSameLineComments(text: string, parent: ElementNode, anchor: number): number {
  for (const c of parent.children) {
    if (c.end <= anchor) continue;
    if (c.kind === 'text' && /^[ \t]*$/.test(text.slice(c.start, c.end))) continue;
    if (c.kind === 'comment' && /^[ \t]*$/.test(text.slice(anchor, c.start)) && !text.slice(c.start, c.end).includes('\n')) {
      anchor = c.end;
      continue;
    }
    break;
  }
  return anchor;
}
