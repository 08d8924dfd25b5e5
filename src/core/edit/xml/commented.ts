// Commented-out elements, as the shipped WSO2 files write them:
//   <!--HostName>www.wso2.org</HostName-->      <!--<X>…</X>-->      <!-- X>…</X-->
//   <!-- <X>…</X> -->   <!--\n  <X …>…</X>\n  -->   <!--Realm className="…"/-->
// The uncommented form is the comment body with leading/trailing whitespace dropped and the
// missing `<` / `>` restored, so `<!--X …>…</X-->` (what commentOut writes) maps back exactly.

import { XMLValidator } from 'fast-xml-parser';
import { escapeAttr } from './escape.js';
import { lineCol, lineOf, scan, ScanError, type ElementNode, type LeafNode, type Scanned } from './scan.js';
import { matchesSegment, type Segment } from './path.js';

export interface CommentedForm {
  comment: LeafNode;
  /** The element text once uncommented. */
  xml: string;
  /** Line of the comment in the document. */
  line: number;
  /** Scanned uncommented element (when it is well-formed). */
  element?: ElementNode;
  /** Why it cannot be uncommented as it is (not well-formed, or more than one element). */
  problem?: string;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function uncommentedText(body: string): string {
  let s = body.trimStart();
  if (!s.startsWith('<')) s = '<' + s;
  // Keep whitespace inside an end tag such as `</X ` (valid XML), restore the `>` after it.
  return s.trimEnd().endsWith('>') ? s.trimEnd() : s + '>';
}

/**
 * Comments directly under `parent` that hold the element `seg` names. A comment qualifies when
 * its body starts with the name (`X`, `<X`) and ends like the element does (`</X`, `/`, with
 * or without `>`), or starts with unmistakable markup (`<X`, `X>`) even if it ends otherwise;
 * the latter, and those not well-formed, come back with a `problem` (they cannot be uncommented).
 * Well-formed ones must also satisfy the predicates; broken ones count when their text contains
 * each predicate literally, since they cannot be parsed.
 */
export function findCommented(doc: Scanned, parent: ElementNode, seg: Segment): CommentedForm[] {
  const text = doc.text;
  const name = escapeRe(seg.name);
  const head = new RegExp(`^\\s*<?${name}(?=[\\s/>])`);
  const tail = new RegExp(`(?:</${name}\\s*>?|/\\s*>?)\\s*$`);
  // Clearly markup (not prose that happens to start with the word): `<X` or `X>`.
  const markupHead = new RegExp(`^\\s*(?:<${name}(?=[\\s/>])|${name}>)`);
  const forms: CommentedForm[] = [];
  for (const node of parent.children) {
    if (node.kind !== 'comment') continue;
    const body = text.slice(node.start + 4, node.end - 3);
    if (!head.test(body)) continue;
    const endsLikeIt = tail.test(body);
    if (!endsLikeIt && !markupHead.test(body)) continue;
    const xml = uncommentedText(body);
    const line = lineOf(text, node.start);
    // e.g. api-manager.xml's `<!--InitDelay>…</InitDelay>\n<Period>…</Period-->`: two elements in one comment.
    const parsed = endsLikeIt
      ? parseOne(xml, seg.name, line)
      : { problem: `a comment that does not end with </${seg.name}>: it holds more than that element; edit it by hand` };
    if ('element' in parsed) {
      if (matchesSegment(xml, parsed.element, seg)) forms.push({ comment: node, xml, line, ...parsed });
    } else if (seg.predicates.every((p) => containsPredicate(xml, p.attr, p.value))) {
      forms.push({ comment: node, xml, line, problem: parsed.problem });
    }
  }
  return forms;
}

function containsPredicate(xml: string, attr: string, value: string): boolean {
  return [`${attr}="${escapeAttr(value, '"')}"`, `${attr}='${escapeAttr(value, "'")}'`, `${attr}="${value}"`, `${attr}='${value}'`]
    .some((s) => xml.includes(s));
}

function parseOne(xml: string, name: string, line: number): { element: ElementNode } | { problem: string } {
  // Lines are reported in the document's numbering; columns would not match on the first line.
  const at = (l: number): string => `line ${line + l - 1}`;
  let frag: Scanned;
  try {
    frag = scan(xml, true);
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    return { problem: `not well-formed once uncommented (${at(lineCol(xml, e.pos).line)}: ${e.message})` };
  }
  const v = XMLValidator.validate(xml);
  if (v !== true) return { problem: `not well-formed once uncommented (${at(v.err.line)}: ${v.err.msg})` };
  if (frag.top.length !== 1 || frag.root.name !== name) {
    return { problem: `a comment that holds more than the one element <${name}>; edit it by hand` };
  }
  return { element: frag.root };
}
