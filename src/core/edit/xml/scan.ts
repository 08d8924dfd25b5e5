// A small position-aware XML scanner. It builds a tree whose nodes only record where they are in
// the original string (JS string indices), so edits can splice the text and leave every other
// byte alone. It also enforces the well-formedness rules that fast-xml-parser's validator lets
// through (single root, `--` in comments, `<` in attribute values, bad references, ...).

import { forbiddenCharIndex, isXmlChar } from './escape.js';

export interface Attr {
  name: string;
  /** Position of the attribute name. */
  start: number;
  /** Just past the closing quote. */
  end: number;
  /** The raw value lies in [valueStart, valueEnd), between the quotes. */
  valueStart: number;
  valueEnd: number;
  quote: '"' | "'";
}

export interface ElementNode {
  kind: 'element';
  name: string;
  /** `<` of the start tag. */
  start: number;
  /** Just past the `>` of the end tag (or of the self-closing tag). */
  end: number;
  /** Just past the element name in the start tag. */
  nameEnd: number;
  /** Just past the `>` of the start tag. */
  openEnd: number;
  /** `<` of the end tag; equals `end` for a self-closing element. */
  closeStart: number;
  selfClosing: boolean;
  attrs: Attr[];
  children: XmlNode[];
  parent: ElementNode | null;
}

/** Text, comment (`<!--…-->`), CDATA section, processing instruction or DOCTYPE: only its extent matters. */
export interface LeafNode {
  kind: 'text' | 'comment' | 'cdata' | 'pi' | 'doctype';
  start: number;
  end: number;
}

export type XmlNode = ElementNode | LeafNode;

export interface Scanned {
  text: string;
  /** Nodes outside any element: prolog, document element, trailing comments. */
  top: XmlNode[];
  /** The document element (for a fragment: its first element). */
  root: ElementNode;
}

export class ScanError extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040';
const NAME_AT = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
const NAME_ONLY = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');

/** True for a valid XML name (qualified names included: `:` is a name character). */
export const isXmlName = (s: string): boolean => NAME_ONLY.test(s);

export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: pos - lineStart + 1 };
}

export const lineOf = (text: string, pos: number): number => lineCol(text, pos).line;

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * Scan a whole document, or with `fragment` a sequence of elements and comments
 * (what insertChild/replaceElement accept). Throws ScanError on anything not well-formed.
 */
export function scan(text: string, fragment = false): Scanned {
  return new Scanner(text, fragment).run();
}

class Scanner {
  private i = 0;
  private hasDoctype = false;

  constructor(private readonly t: string, private readonly fragment: boolean) {}

  private fail(message: string, pos = this.i): never {
    throw new ScanError(message, pos);
  }

  private startsWith(s: string): boolean {
    return this.t.startsWith(s, this.i);
  }

  private name(what: string): string {
    NAME_AT.lastIndex = this.i;
    const m = NAME_AT.exec(this.t);
    if (!m) {
      const token = /^[^\s<>/="']*/.exec(this.t.slice(this.i, this.i + 80))![0];
      this.fail(token ? `'${token}' is not a valid ${what} name` : `expected ${what} name`);
    }
    this.i += m[0].length;
    return m[0];
  }

  private skipWs(): boolean {
    const from = this.i;
    while (isWs(this.t[this.i])) this.i++;
    return this.i > from;
  }

  /** Index just past `close`, searching from the current position. */
  private until(close: string, what: string, from: number): number {
    const at = this.t.indexOf(close, this.i);
    if (at === -1) this.fail(`${what} is never closed`, from);
    return at + close.length;
  }

  run(): Scanned {
    const t = this.t;
    const bad = forbiddenCharIndex(t);
    if (bad !== -1) this.fail(`character U+${t.codePointAt(bad)!.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, bad);
    if (t.charCodeAt(0) === 0xfeff) this.i = 1; // BOM
    const docStart = this.i;
    const top: XmlNode[] = [];
    const stack: ElementNode[] = [];
    let root: ElementNode | undefined;

    while (this.i < t.length) {
      const parent = stack[stack.length - 1];
      const siblings = parent ? parent.children : top;
      const start = this.i;

      if (t[start] !== '<') {
        let end = t.indexOf('<', start);
        if (end === -1) end = t.length;
        const raw = t.slice(start, end);
        if (!parent && raw.trim() !== '') {
          this.fail(this.fragment ? 'text outside an element' : 'text outside the document element', start + raw.search(/\S/));
        }
        const cdEnd = raw.indexOf(']]>');
        if (cdEnd !== -1) this.fail("']]>' is not allowed in text", start + cdEnd);
        this.checkRefs(raw, start);
        siblings.push({ kind: 'text', start, end });
        this.i = end;
      } else if (this.startsWith('<!--')) {
        this.i += 4;
        const end = this.until('-->', 'comment', start);
        const dash = t.slice(start + 4, end - 3).indexOf('--');
        if (dash !== -1) this.fail("'--' is not allowed inside a comment", start + 4 + dash);
        if (t[end - 4] === '-' && end - 4 >= start + 4) this.fail("a comment may not end with '--->'", end - 4);
        siblings.push({ kind: 'comment', start, end });
        this.i = end;
      } else if (this.startsWith('<![CDATA[')) {
        if (!parent) this.fail('CDATA section outside an element');
        this.i += 9;
        const end = this.until(']]>', 'CDATA section', start);
        siblings.push({ kind: 'cdata', start, end });
        this.i = end;
      } else if (this.startsWith('<?')) {
        this.i += 2;
        const target = this.name('processing instruction');
        if (target.toLowerCase() === 'xml' && (start !== docStart || this.fragment)) {
          this.fail('the XML declaration is only allowed at the very start of the file', start);
        }
        if (!this.skipWs() && !this.startsWith('?>')) this.fail('expected space or ?> after the processing instruction name');
        const end = this.until('?>', 'processing instruction', start);
        siblings.push({ kind: 'pi', start, end });
        this.i = end;
      } else if (this.startsWith('<!DOCTYPE')) {
        if (parent || root || this.fragment) this.fail('DOCTYPE is only allowed before the document element');
        this.skipDoctype();
        this.hasDoctype = true;
        siblings.push({ kind: 'doctype', start, end: this.i });
      } else if (this.startsWith('</')) {
        this.i += 2;
        const name = this.name('end tag');
        this.skipWs();
        if (t[this.i] !== '>') this.fail(`expected '>' to close </${name}`);
        this.i++;
        if (!parent) this.fail(`end tag </${name}> has no matching start tag`, start);
        if (name !== parent.name) {
          this.fail(`end tag </${name}> does not match <${parent.name}> opened on line ${lineOf(t, parent.start)}`, start);
        }
        parent.closeStart = start;
        parent.end = this.i;
        stack.pop();
      } else {
        if (!parent && root && !this.fragment) this.fail('a second document element; XML allows only one', start);
        const el = this.startTag(parent ?? null);
        siblings.push(el);
        root ??= el;
        if (!el.selfClosing) stack.push(el);
      }
    }
    const open = stack[stack.length - 1];
    if (open) this.fail(`<${open.name}> opened on line ${lineOf(t, open.start)} is never closed`, open.start);
    if (!root) this.fail(this.fragment ? 'no element found' : 'no document element found', t.length);
    return { text: t, top, root };
  }

  private startTag(parent: ElementNode | null): ElementNode {
    const t = this.t;
    const start = this.i;
    this.i++;
    const name = this.name('element');
    const el: ElementNode = {
      kind: 'element', name, start, end: -1, nameEnd: this.i, openEnd: -1, closeStart: -1,
      selfClosing: false, attrs: [], children: [], parent,
    };
    for (;;) {
      const spaced = this.skipWs();
      if (this.startsWith('/>')) {
        this.i += 2;
        el.selfClosing = true;
        el.openEnd = el.closeStart = el.end = this.i;
        return el;
      }
      if (t[this.i] === '>') {
        this.i++;
        el.openEnd = this.i;
        return el;
      }
      if (this.i >= t.length) this.fail(`start tag <${name}> is never closed`, start);
      if (t[this.i] === '/') this.fail(`expected '>' right after '/' in <${name}>`);
      if (!spaced) this.fail(`expected a space before the next attribute of <${name}>`);
      const attrStart = this.i;
      const attrName = this.name('attribute');
      this.skipWs();
      if (t[this.i] !== '=') this.fail(`attribute ${attrName} of <${name}> has no value`);
      this.i++;
      this.skipWs();
      const quote = t[this.i];
      if (quote !== '"' && quote !== "'") this.fail(`the value of attribute ${attrName} must be quoted`);
      const valueStart = this.i + 1;
      const valueEnd = t.indexOf(quote, valueStart);
      if (valueEnd === -1) this.fail(`the value of attribute ${attrName} is never closed`, attrStart);
      const raw = t.slice(valueStart, valueEnd);
      if (raw.includes('<')) this.fail(`'<' is not allowed in an attribute value (${attrName})`, valueStart + raw.indexOf('<'));
      this.checkRefs(raw, valueStart);
      if (el.attrs.some((a) => a.name === attrName)) this.fail(`attribute ${attrName} is repeated in <${name}>`, attrStart);
      this.i = valueEnd + 1;
      el.attrs.push({ name: attrName, start: attrStart, end: this.i, valueStart, valueEnd, quote });
    }
  }

  /** Every `&` must start a reference; named ones must be predefined unless a DOCTYPE may define them. */
  private checkRefs(raw: string, offset: number): void {
    for (let at = raw.indexOf('&'); at !== -1; at = raw.indexOf('&', at + 1)) {
      const m = /^&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([^\s&;<>"'#]+));/.exec(raw.slice(at, at + 64));
      if (!m) this.fail("'&' must start a reference such as &amp;", offset + at);
      if (m[3] !== undefined) {
        if (!isXmlName(m[3])) this.fail(`'&${m[3]};' is not a valid reference`, offset + at);
        if (!this.hasDoctype && !['lt', 'gt', 'amp', 'quot', 'apos'].includes(m[3])) {
          this.fail(`entity &${m[3]}; is not defined`, offset + at);
        }
      } else {
        const code = parseInt((m[1] ?? m[2])!, m[1] !== undefined ? 10 : 16);
        if (!isXmlChar(code)) this.fail(`character reference ${m[0]} is not an allowed XML character`, offset + at);
      }
    }
  }

  /** Skip `<!DOCTYPE …>` including an internal subset with quoted strings and comments. */
  private skipDoctype(): void {
    const t = this.t;
    const start = this.i;
    this.i += 9;
    let depth = 0;
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === '"' || c === "'") {
        const close = t.indexOf(c, this.i + 1);
        if (close === -1) break;
        this.i = close + 1;
      } else if (this.startsWith('<!--')) {
        this.i = this.until('-->', 'comment', this.i);
      } else {
        this.i++;
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) return;
      }
    }
    this.fail('DOCTYPE is never closed', start);
  }
}

/** Child elements of `el`. */
export const childElements = (el: ElementNode): ElementNode[] =>
  el.children.filter((n): n is ElementNode => n.kind === 'element');
