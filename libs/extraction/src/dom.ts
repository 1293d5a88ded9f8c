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
