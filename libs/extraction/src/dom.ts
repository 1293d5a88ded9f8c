import { load, type CheerioAPI } from 'cheerio/slim';

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

export interface ParsedPage {
  readonly $: CheerioAPI;
  readonly root: DomNode;
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
/** Sticky: reads the tag name right at `lastIndex`, without copying the rest of the page. */
const TAG_NAME = /<\/?([a-zA-Z][a-zA-Z0-9-]{0,30})/y;
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext']);

/**
 * Cuts the document where elements nest deeper than `maxDepth`. HTML parsers keep a stack of
 * open elements and spend time proportional to its depth on every tag, so unclosed tags by the
 * hundred thousand would take minutes; this linear pre-scan keeps parsing time bounded.
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
    TAG_NAME.lastIndex = open;
    const name = TAG_NAME.exec(html)?.[1]?.toLowerCase();
    index = close + 1;
    if (!name || VOID_ELEMENTS.has(name) || IMPLICITLY_CLOSED.has(name)) continue;
    if (html[open + 1] === '/') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (html[close - 1] === '/') continue;
    if (RAW_TEXT.has(name)) {
      const pattern = new RegExp(`</${name}`, 'gi');
      pattern.lastIndex = index;
      const end = pattern.exec(html);
      if (!end) return html;
      index = end.index;
      continue;
    }
    depth++;
    if (depth > maxDepth) return html.slice(0, open);
  }
}

const INERT_START = /<(script|style)\b([^>]*)>|<!--/gi;
const INERT_END: Readonly<Record<string, RegExp>> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
};

/**
 * Drops what no extractor reads before the parser sees it: scripts other than JSON-LD, style
 * sheets and comments. On real pages these are often half the bytes, and building DOM nodes
 * for them is most of the parsing time. One forward scan, so it stays linear on any input.
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

export function parseHtml(html: string): ParsedPage {
  const $ = load(limitNesting(dropInertContent(html)));
  return { $, root: $.root()[0] as unknown as DomNode };
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
