// Paths: `/Server/Service/Connector[@port='9763']` — absolute from the document element, one
// segment per level, optional `[@attr='value']` / `[@attr="value"]` predicates (all must hold).

import { decodeAttr } from './escape.js';
import { XmlEditError } from './errors.js';
import { childElements, isXmlName, lineOf, type ElementNode, type Scanned } from './scan.js';

export interface Predicate {
  attr: string;
  value: string;
}

export interface Segment {
  name: string;
  predicates: Predicate[];
  /** As written, for messages. */
  raw: string;
}

function bad(path: string, why: string): never {
  throw new XmlEditError(`Invalid path ${JSON.stringify(path)}: ${why}`);
}

/** Parse a segment starting at `i`; returns it and the index just past it. */
function parseSegmentAt(path: string, i: number): [Segment, number] {
  const from = i;
  while (i < path.length && !'/[]@=\'"'.includes(path[i]!) && !/\s/.test(path[i]!)) i++;
  const name = path.slice(from, i);
  if (name === '') bad(path, `expected an element name at position ${from + 1}`);
  if (!isXmlName(name)) bad(path, `'${name}' is not a valid element name`);
  const predicates: Predicate[] = [];
  while (path[i] === '[') {
    const m = /^\[@([^\s=\]]+)=(?:'([^']*)'|"([^"]*)")\]/.exec(path.slice(i));
    if (!m) bad(path, `expected a predicate like [@name='value'] at position ${i + 1}`);
    if (!isXmlName(m[1]!)) bad(path, `'${m[1]}' is not a valid attribute name`);
    predicates.push({ attr: m[1]!, value: m[2] ?? m[3]! });
    i += m[0].length;
  }
  return [{ name, predicates, raw: path.slice(from, i) }, i];
}

export function parsePath(path: string): Segment[] {
  if (typeof path !== 'string') throw new XmlEditError(`Invalid path ${String(path)}: a string is expected`);
  if (!path.startsWith('/')) bad(path, "it must start with '/' (absolute from the document element)");
  const segments: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] !== '/') bad(path, `expected '/' at position ${i + 1}`);
    const [seg, next] = parseSegmentAt(path, i + 1);
    segments.push(seg);
    i = next;
  }
  return segments;
}

/** A single segment such as `Version` or `parameter[@name='domain']` (for `after`). */
export function parseSegment(s: string): Segment {
  if (typeof s !== 'string') throw new XmlEditError(`Invalid element name ${String(s)}: a string is expected`);
  const [seg, end] = parseSegmentAt(s, 0);
  if (end !== s.length) bad(s, `unexpected '${s[end]}' at position ${end + 1} (a single element name is expected)`);
  return seg;
}

export const formatPath = (segments: readonly Segment[]): string => '/' + segments.map((s) => s.raw).join('/');

export function matchesSegment(text: string, el: ElementNode, seg: Segment): boolean {
  return (
    el.name === seg.name &&
    seg.predicates.every((p) => {
      const a = el.attrs.find((x) => x.name === p.attr);
      return a !== undefined && decodeAttr(text.slice(a.valueStart, a.valueEnd)) === p.value;
    })
  );
}

export function matchingChildren(text: string, parent: ElementNode, seg: Segment): ElementNode[] {
  return childElements(parent).filter((c) => matchesSegment(text, c, seg));
}

/** Refuse a segment that selects several elements: never guess which one was meant. */
export function ambiguous(text: string, where: string, seg: Segment, found: readonly ElementNode[]): XmlEditError {
  const lines = found.map((e) => lineOf(text, e.start)).join(', ');
  return new XmlEditError(
    `${where} is ambiguous: ${found.length} elements match '${seg.raw}' (lines ${lines}); add a predicate such as [@name='…'] to pick one`,
  );
}

export type Selection =
  | { found: ElementNode }
  /** `parent` is the deepest element found (null when the document element itself does not match); `missing` indexes the first segment not found. */
  | { found: null; parent: ElementNode | null; missing: number };

/** Follow the path; refuses ambiguity at any level. */
export function select(doc: Scanned, segments: readonly Segment[]): Selection {
  const path = formatPath(segments);
  const first = segments[0]!;
  if (!matchesSegment(doc.text, doc.root, first)) return { found: null, parent: null, missing: 0 };
  let el = doc.root;
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!;
    const found = matchingChildren(doc.text, el, seg);
    if (found.length === 0) return { found: null, parent: el, missing: i };
    if (found.length > 1) throw ambiguous(doc.text, `Path ${path}`, seg, found);
    el = found[0]!;
  }
  return { found: el };
}

/** Plain-language "not found" for a selection that failed. */
export function notFound(doc: Scanned, segments: readonly Segment[], sel: Extract<Selection, { found: null }>): XmlEditError {
  const path = formatPath(segments);
  if (!sel.parent) {
    return new XmlEditError(`Path ${path} not found: the document element is <${doc.root.name}>, not ${segments[0]!.raw}`);
  }
  const parentPath = formatPath(segments.slice(0, sel.missing));
  return new XmlEditError(
    `Path ${path} not found: ${parentPath} (line ${lineOf(doc.text, sel.parent.start)}) has no child element ${segments[sel.missing]!.raw}`,
  );
}

/** The element at `path`, or an XmlEditError saying which part is missing. */
export function selectRequired(doc: Scanned, segments: readonly Segment[]): ElementNode {
  const sel = select(doc, segments);
  if (sel.found) return sel.found;
  throw notFound(doc, segments, sel);
}
