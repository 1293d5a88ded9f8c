import type * as Entities from 'entities/lib/decode.js';
import type * as Htmlparser2 from 'htmlparser2';

/**
 * The parts of a parsed node the extractors read. Walking these plain objects is much faster
 * than going through cheerio wrappers for every element of a large page.
 */
export interface DomNode {
  readonly type: string;
  readonly name?: string;
  readonly attribs?: Record<string, string>;
  readonly children?: DomNode[];
  readonly parent: DomNode | null;
  readonly data?: string;
}

/** Deeper than this is not a real page but a parser trap; the rest of the document is dropped. */
export const MAX_NESTING = 400;

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements pages routinely leave open; the parser closes them implicitly. */
const IMPLICITLY_CLOSED = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'option',
  'optgroup',
  'tr',
  'td',
  'th',
  'tbody',
  'thead',
  'tfoot',
  'rb',
  'rt',
  'rp',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext']);
const MAX_TAG_NAME = 31;

/** A tag name character as the pre-scan reads it: ASCII letters, digits and '-'. */
function isNameChar(code: number, first: boolean): boolean {
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return first ? letter : letter || (code >= 48 && code <= 57) || code === 45;
}

/** The lower-cased tag name starting at `start` (just after "<" or "</"), or '' when none. */
function tagNameAt(html: string, start: number): string {
  let end = start;
  while (
    end < html.length &&
    end - start < MAX_TAG_NAME &&
    isNameChar(html.charCodeAt(end), end === start)
  )
    end++;
  return end === start ? '' : html.slice(start, end).toLowerCase();
}

/** Where the closing tag of raw-text element `name` starts at or after `from`, or -1. */
function rawTextEnd(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at !== -1; at = html.indexOf('</', at + 2)) {
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
  }
  return -1;
}

/**
 * Cuts the document where elements nest deeper than `maxDepth`. HTML parsers keep a stack of
 * open elements and spend time proportional to its depth on every tag, so unclosed tags by the
 * hundred thousand would take minutes; this linear pre-scan keeps parsing time bounded. It
 * reads tag names by character code: no regular expression runs per tag.
 */
export function limitNesting(html: string, maxDepth = MAX_NESTING): string {
  let depth = 0;
  let index = 0;
  for (;;) {
    const open = html.indexOf('<', index);
    if (open === -1) return html;
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      if (end === -1) return html;
      index = end + 3;
      continue;
    }
    const close = html.indexOf('>', open + 1);
    if (close === -1) return html;
    const closing = html.charCodeAt(open + 1) === 47; // '/'
    const name = tagNameAt(html, open + (closing ? 2 : 1));
    index = close + 1;
    if (!name || VOID_ELEMENTS.has(name) || IMPLICITLY_CLOSED.has(name)) continue;
    if (closing) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (html.charCodeAt(close - 1) === 47) continue;
    if (RAW_TEXT.has(name)) {
      const end = rawTextEnd(html, name, index);
      if (end === -1) return html;
      index = end;
      continue;
    }
    depth++;
    if (depth > maxDepth) return html.slice(0, open);
  }
}

const INERT_NAMES = ['script', 'style', 'svg'] as const;
type InertName = (typeof INERT_NAMES)[number];

/** Whether `html` has the lower-case ASCII `name` at `at`, in any case. */
function hasNameAt(html: string, at: number, name: string): boolean {
  if (at + name.length > html.length) return false;
  for (let index = 0; index < name.length; index++)
    if ((html.charCodeAt(at + index) | 0x20) !== name.charCodeAt(index)) return false;
  return true;
}

/** A regular-expression word character (`\w`): what `\b` after a tag name must not be. */
function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  );
}

interface InertTag {
  readonly name: InertName;
  /** What stands between the name and the ">". */
  readonly attributes: string;
  /** Just after the ">". */
  readonly end: number;
}

/**
 * The start tag `<script|style|svg\b[^>]*>` that begins at `at` (a "<"), null when there is
 * none, or 'unclosed' when no ">" follows at all (then no later start tag can close either).
 */
function inertStartTag(html: string, at: number): InertTag | null | 'unclosed' {
  for (const name of INERT_NAMES) {
    if (!hasNameAt(html, at + 1, name)) continue;
    const after = at + 1 + name.length;
    if (after < html.length && isWordChar(html.charCodeAt(after))) return null;
    const close = html.indexOf('>', after);
    if (close === -1) return 'unclosed';
    return { name, attributes: html.slice(after, close), end: close + 1 };
  }
  return null;
}

/** Just after the `</name\s*>` that closes a script or style at or after `from`, or -1. */
function rawTextClose(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at !== -1; at = html.indexOf('</', at + 2)) {
    if (!hasNameAt(html, at + 2, name)) continue;
    let index = at + 2 + name.length;
    while (index < html.length && /\s/.test(html[index] as string)) index++;
    if (html.charCodeAt(index) === 62) return index + 1; // '>'
  }
  return -1;
}

/** Where the `<svg>` whose start tag ends at `from` closes (svg may nest), or -1. */
function svgEnd(html: string, from: number): number {
  let depth = 1;
  for (let at = html.indexOf('<', from); at !== -1; at = html.indexOf('<', at + 1)) {
    const closing = html.charCodeAt(at + 1) === 47; // '/'
    const nameAt = at + (closing ? 2 : 1);
    if (!hasNameAt(html, nameAt, 'svg')) continue;
    const after = nameAt + 3;
    if (after < html.length && isWordChar(html.charCodeAt(after))) continue;
    const close = html.indexOf('>', after);
    if (close === -1) return -1;
    if (closing) depth--;
    else if (!html.slice(after, close).endsWith('/')) depth++;
    if (depth === 0) return close + 1;
  }
  return -1;
}

/**
 * Drops what no extractor reads before the parser sees it: scripts other than JSON-LD, style
 * sheets, comments and the insides of inline SVG (icons and sprites: no extractor reads into
 * them, and on large real pages their path data is about 40 % of what is left). On real pages
 * this is often more than half the bytes, and building DOM nodes for them is most of the
 * parsing time. One forward scan from "<" to "<" by `indexOf`, so it stays linear on any input
 * and runs no regular expression per tag.
 */
export function dropInertContent(html: string): string {
  const pieces: string[] = [];
  let kept = 0;
  let from = 0;
  let startTagsClose = true;
  for (;;) {
    const at = html.indexOf('<', from);
    if (at === -1) break;
    if (html.startsWith('<!--', at)) {
      const close = html.indexOf('-->', at + 4);
      if (close === -1) break;
      pieces.push(html.slice(kept, at));
      kept = from = close + 3;
      continue;
    }
    const tag = startTagsClose ? inertStartTag(html, at) : null;
    if (tag === 'unclosed') startTagsClose = false;
    if (tag === null || tag === 'unclosed') {
      from = at + 1;
      continue;
    }
    if (tag.name === 'svg') {
      // `<svg/>` has nothing inside; an svg element itself stays, attributes and all.
      if (tag.attributes.endsWith('/')) {
        from = tag.end;
        continue;
      }
      const close = svgEnd(html, tag.end);
      if (close === -1) break;
      pieces.push(html.slice(kept, at), html.slice(at, tag.end), '</svg>');
      kept = from = close;
      continue;
    }
    const close = rawTextClose(html, tag.name, tag.end);
    if (close === -1) break;
    if (tag.name === 'script' && /ld\+json/i.test(tag.attributes)) {
      from = close;
      continue;
    }
    // An element stays in place, empty, so the document keeps its shape.
    pieces.push(html.slice(kept, at), `<${tag.name}></${tag.name}>`);
    kept = from = close;
  }
  if (kept === 0) return html;
  pieces.push(html.slice(kept));
  return pieces.join('');
}

/** Elements whose text htmlparser2 keeps as written, entities and all. */
const RAW_TEXT_PARENTS = new Set(['script', 'style', 'textarea', 'xmp']);

type ParseDocument = (html: string) => DomNode;
let parseDocument: ParseDocument | undefined;

/**
 * htmlparser2 with a tree builder that decodes character references as the nodes are made:
 * the tokenizer runs with decoding off, which lets it skip over text and attribute values
 * instead of inspecting every character for an "&" (attribute values are most of what a large
 * real page has left after `dropInertContent`). Decoding then follows htmlparser2's own rules,
 * with its own decoder: text in legacy mode except inside raw-text elements, attribute values in
 * attribute mode, only strings that hold an "&". The tree is the one htmlparser2 builds when it
 * decodes while tokenizing. Loaded by the first parse, not when the scraper starts (ADR 0021,
 * 0027).
 */
function loadParser(): ParseDocument {
  if (parseDocument) return parseDocument;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { DomHandler, Parser } = require('htmlparser2') as typeof Htmlparser2;
  const { decodeHTML, decodeHTMLAttribute } = require('entities/lib/decode.js') as typeof Entities;
  /* eslint-enable @typescript-eslint/no-require-imports */
  class DecodingHandler extends DomHandler {
    override onopentag(name: string, attribs: Record<string, string>): void {
      for (const key in attribs) {
        const value = attribs[key] as string;
        if (value.includes('&')) attribs[key] = decodeHTMLAttribute(value);
      }
      super.onopentag(name, attribs);
    }

    override ontext(data: string): void {
      // The tokenizer never splits text inside a reference, so pieces decode on their own.
      const parent = this.tagStack[this.tagStack.length - 1] as { name?: string } | undefined;
      const raw = parent?.name !== undefined && RAW_TEXT_PARENTS.has(parent.name);
      super.ontext(!raw && data.includes('&') ? decodeHTML(data) : data);
    }
  }
  parseDocument = (html) => {
    const handler = new DecodingHandler();
    new Parser(handler, { decodeEntities: false }).end(html);
    return handler.root as unknown as DomNode;
  };
  return parseDocument;
}

/** The document as plain htmlparser2 nodes, without what no extractor reads. */
export function parseHtml(html: string): DomNode {
  return loadParser()(limitNesting(dropInertContent(html)));
}

export const isElement = (node: DomNode): boolean =>
  node.type === 'tag' || node.type === 'script' || node.type === 'style';

export function attr(node: DomNode, name: string): string | undefined {
  return node.attribs?.[name];
}

/** Depth-first, document order; `visit` returning false skips the node's subtree. */
export function walk(node: DomNode, visit: (node: DomNode) => boolean | void): void {
  const stack: DomNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as DomNode;
    if (visit(current) === false) continue;
    const children = current.children;
    if (children)
      for (let index = children.length - 1; index >= 0; index--)
        stack.push(children[index] as DomNode);
  }
}

const SKIPPED_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg']);
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'dd',
  'dt',
  'option',
]);

/** Visible text of a subtree with whitespace collapsed, cut off after `limit` characters. */
export function textOf(node: DomNode, limit = 2000): string {
  let out = '';
  const visit = (current: DomNode): void => {
    if (current.type === 'text') {
      out += current.data ?? '';
      return;
    }
    if (current.type === 'comment') return;
    if (current !== node && current.name && SKIPPED_TEXT.has(current.name)) return;
    const block = current.name !== undefined && BLOCK.has(current.name);
    if (block) out += ' ';
    for (const child of current.children ?? []) {
      if (out.length > limit) return;
      visit(child);
    }
    if (block) out += ' ';
  };
  visit(node);
  return collapse(out).slice(0, limit);
}

/** Raw text content of a script or style element. */
export function rawText(node: DomNode): string {
  return (node.children ?? []).map((child) => child.data ?? '').join('');
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function hasAncestor(node: DomNode, test: (ancestor: DomNode) => boolean): boolean {
  let current = node.parent;
  while (current) {
    if (test(current)) return true;
    current = current.parent;
  }
  return false;
}
