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
