import { decodeHTML, decodeHTMLAttribute } from 'entities/lib/decode.js';
import { parseDocument } from 'htmlparser2';

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

const INERT_START = /<(script|style|svg)\b([^>]*)>|<!--/gi;
const INERT_END: Readonly<Record<string, RegExp>> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
};
const SVG_TAG = /<(\/?)svg\b([^>]*)>/gi;

/** Where the `<svg>` whose start tag ends at `from` closes (svg may nest), or -1. */
function svgEnd(html: string, from: number): number {
  let depth = 1;
  SVG_TAG.lastIndex = from;
  for (let tag = SVG_TAG.exec(html); tag; tag = SVG_TAG.exec(html)) {
    if (tag[1]) depth--;
    else if (!(tag[2] ?? '').endsWith('/')) depth++;
    if (depth === 0) return tag.index + tag[0].length;
  }
  return -1;
}

/**
 * Drops what no extractor reads before the parser sees it: scripts other than JSON-LD, style
 * sheets, comments and the insides of inline SVG (icons and sprites: no extractor reads into
 * them, and on large real pages their path data is about 40 % of what is left). On real pages
 * this is often more than half the bytes, and building DOM nodes for them is most of the
 * parsing time. One forward scan, so it stays linear on any input.
 */
export function dropInertContent(html: string): string {
  const pieces: string[] = [];
  let kept = 0;
  INERT_START.lastIndex = 0;
  for (let match = INERT_START.exec(html); match; match = INERT_START.exec(html)) {
    const start = match.index;
    const name = match[1]?.toLowerCase();
    let end: number;
    if (name === undefined) {
      const close = html.indexOf('-->', start + 4);
      if (close === -1) break;
      end = close + 3;
    } else if (name === 'svg') {
      // `<svg/>` has nothing inside; an svg element itself stays, attributes and all.
      if ((match[2] ?? '').endsWith('/')) continue;
      const close = svgEnd(html, INERT_START.lastIndex);
      if (close === -1) break;
      pieces.push(html.slice(kept, start), match[0], '</svg>');
      kept = close;
      INERT_START.lastIndex = close;
      continue;
    } else {
      const closer = INERT_END[name] as RegExp;
      closer.lastIndex = INERT_START.lastIndex;
      const close = closer.exec(html);
      if (!close) break;
      end = close.index + close[0].length;
      if (name === 'script' && /ld\+json/i.test(match[2] ?? '')) {
        INERT_START.lastIndex = end;
        continue;
      }
    }
    pieces.push(html.slice(kept, start));
    // An element stays in place, empty, so the document keeps its shape.
    if (name) pieces.push(`<${name}></${name}>`);
    kept = end;
    INERT_START.lastIndex = end;
  }
  if (kept === 0) return html;
  pieces.push(html.slice(kept));
  return pieces.join('');
}

/** Elements whose text htmlparser2 keeps as written, entities and all. */
const RAW_TEXT_PARENTS = new Set(['script', 'style', 'textarea', 'xmp']);

/**
 * Decodes character references in text and attribute values, as htmlparser2 does when it
 * decodes while tokenizing: text in legacy mode except inside raw-text elements, attribute
 * values in attribute mode. Only strings holding an "&" are touched.
 */
function decodeReferences(root: DomNode): void {
  const stack: DomNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as DomNode;
    if (node.type === 'text') {
      const data = node.data as string;
      if (data.includes('&')) (node as { data: string }).data = decodeHTML(data);
      continue;
    }
    const attribs = node.attribs;
    if (attribs)
      for (const name in attribs) {
        const value = attribs[name] as string;
        if (value.includes('&')) attribs[name] = decodeHTMLAttribute(value);
      }
    const children = node.children;
    if (!children || (node.name !== undefined && RAW_TEXT_PARENTS.has(node.name))) continue;
    for (let index = children.length - 1; index >= 0; index--)
      stack.push(children[index] as DomNode);
  }
}

/**
 * The document as plain htmlparser2 nodes. The tokenizer runs with entity decoding off, which
 * lets it skip over text and attribute values instead of inspecting every character (attribute
 * values are most of what a large real page has left after `dropInertContent`); the references
 * are decoded afterwards, only where an "&" occurs, giving the same tree.
 */
export function parseHtml(html: string): DomNode {
  const document = parseDocument(limitNesting(dropInertContent(html)), { decodeEntities: false });
  const root = document as unknown as DomNode;
  decodeReferences(root);
  return root;
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
