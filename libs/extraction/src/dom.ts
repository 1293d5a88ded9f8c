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

/**
 * `out` followed by the visible text of `current` (inside `root`), as `textOf` reads it. A
 * function of its own rather than a closure made on every call: `textOf` runs thousands of
 * times per page.
 */
function appendVisibleText(current: DomNode, root: DomNode, limit: number, out: string): string {
  if (current.type === 'text') return out + (current.data ?? '');
  if (current.type === 'comment') return out;
  if (current !== root && current.name && SKIPPED_TEXT.has(current.name)) return out;
  const block = current.name !== undefined && BLOCK.has(current.name);
  if (block) out += ' ';
  for (const child of current.children ?? []) {
    if (out.length > limit) return out;
    out = appendVisibleText(child, root, limit, out);
  }
  if (block) out += ' ';
  return out;
}

/** Visible text of a subtree with whitespace collapsed, cut off after `limit` characters. */
export function textOf(node: DomNode, limit = 2000): string {
  return collapse(appendVisibleText(node, node, limit, '')).slice(0, limit);
}

/** Raw text content of a script or style element. */
export function rawText(node: DomNode): string {
  return (node.children ?? []).map((child) => child.data ?? '').join('');
}

/**
 * Whether `code` is whitespace to a regular expression's `\s` (and so to `trim`): the ASCII
 * spaces, NBSP, U+1680, U+2000–U+200A, the line and paragraph separators, U+202F, U+205F,
 * U+3000 and the BOM.
 */
function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * `text` with every run of whitespace made one space and none at either end: what
 * `text.replace(/\s+/g, ' ').trim()` gives, in one pass over the characters that copies only the
 * words. The price reading calls it for every element it climbs through (ADR 0047).
 */
export function collapse(text: string): string {
  const length = text.length;
  let out = '';
  let first = true;
  let at = 0;
  while (at < length) {
    while (at < length && isSpace(text.charCodeAt(at))) at++;
    if (at === length) break;
    let end = at + 1;
    while (end < length && !isSpace(text.charCodeAt(end))) end++;
    // The whole text when it needs no change: no copy at all.
    if (first && at === 0 && end === length) return text;
    out = first ? text.slice(at, end) : `${out} ${text.slice(at, end)}`;
    first = false;
    at = end;
  }
  // A string of its own, as the regex's result was: the slices above would keep the text they
  // were cut from, often the whole page, alive for as long as a name or price text is kept.
  // Slicing a concatenation copies it into a new flat string first.
  return out === '' ? out : ` ${out}`.slice(1);
}

export function hasAncestor(node: DomNode, test: (ancestor: DomNode) => boolean): boolean {
  let current = node.parent;
  while (current) {
    if (test(current)) return true;
    current = current.parent;
  }
  return false;
}
