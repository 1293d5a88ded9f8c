import { attr, isElement, textOf, type DomNode } from './dom';
import type { PageContext, SourceResult } from './draft';
import { draftsFromSchemaRoots, type SchemaNode } from './schema-org';

interface Vocabulary {
  /** Attribute that opens an item. */
  readonly scope: string;
  /** Attribute that names the item's type. */
  readonly type: string;
  /** Attribute that names a property. */
  readonly property: string;
}

const MICRODATA: Vocabulary = { scope: 'itemscope', type: 'itemtype', property: 'itemprop' };
const RDFA: Vocabulary = { scope: 'typeof', type: 'typeof', property: 'property' };

const MAX_ITEMS = 2000;
const URL_VALUED: Readonly<Record<string, string>> = {
  a: 'href',
  link: 'href',
  area: 'href',
  img: 'src',
  source: 'src',
  video: 'src',
  audio: 'src',
  iframe: 'src',
  embed: 'src',
  track: 'src',
  object: 'data',
};

/** The value of a property element, following the microdata rules and common shop practice. */
function propertyValue(element: DomNode): string {
  const attribs = element.attribs ?? {};
  if (attribs['content'] !== undefined) return attribs['content'];
  const name = element.name ?? '';
  const urlAttribute = URL_VALUED[name];
  if (urlAttribute && attribs[urlAttribute] !== undefined) return attribs[urlAttribute];
  if (attribs['resource'] !== undefined && name !== 'meta') return attribs['resource'];
  if (name === 'time' && attribs['datetime'] !== undefined) return attribs['datetime'];
  if ((name === 'data' || name === 'meter') && attribs['value'] !== undefined)
    return attribs['value'];
  if (name === 'img' && attribs['data-src'] !== undefined) return attribs['data-src'];
  return textOf(element, 1000);
}

function propertyNames(value: string): string[] {
  return value
    .split(/\s+/)
    .filter((name) => name.length > 0)
    .map((name) => name.replace(/^.*[/#:]/, ''));
}

function opensItem(element: DomNode, vocabulary: Vocabulary): boolean {
  return element.attribs?.[vocabulary.scope] !== undefined;
}

/** Builds the item rooted at `element`; nested items become nested nodes. */
function buildItem(element: DomNode, vocabulary: Vocabulary, budget: { left: number }): SchemaNode {
  const item: SchemaNode = {};
  const type = attr(element, vocabulary.type);
  if (type) item['@type'] = type.split(/\s+/).filter(Boolean);
  const add = (name: string, value: unknown) => {
    const existing = item[name];
    if (existing === undefined) item[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else item[name] = [existing, value];
  };
  const stack: DomNode[] = [...(element.children ?? [])].reverse();
  while (stack.length > 0 && budget.left > 0) {
    const node = stack.pop() as DomNode;
    if (!isElement(node)) continue;
    const names = attr(node, vocabulary.property);
    const nested = opensItem(node, vocabulary);
    if (names) {
      budget.left--;
      const value = nested ? buildItem(node, vocabulary, budget) : propertyValue(node);
      for (const name of propertyNames(names)) add(name, value);
    }
    if (nested) continue;
    const children = node.children ?? [];
    for (let index = children.length - 1; index >= 0; index--)
      stack.push(children[index] as DomNode);
  }
  return item;
}

/** Top-level items: those that are not themselves the value of another item's property. */
function topLevelItems(root: DomNode, vocabulary: Vocabulary): SchemaNode[] {
  const items: SchemaNode[] = [];
  const budget = { left: MAX_ITEMS };
  const stack: DomNode[] = [root];
  while (stack.length > 0 && budget.left > 0) {
    const node = stack.pop() as DomNode;
    if (isElement(node) && opensItem(node, vocabulary)) {
      items.push(buildItem(node, vocabulary, budget));
      // Items nested without a property (e.g. a Product inside a WebPage's body) still count.
    }
    const children = node.children ?? [];
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index] as DomNode;
      if (isElement(child) && attr(child, vocabulary.property) && opensItem(child, vocabulary))
        continue;
      stack.push(child);
    }
  }
  return items;
}

/** Product offers described with microdata (itemscope/itemprop) or RDFa Lite (typeof/property). */
export function extractMicrodata(
  root: DomNode,
  context: PageContext,
  present: { readonly hasMicrodata: boolean; readonly hasRdfa: boolean },
): SourceResult {
  // Most pages use neither vocabulary; the page index says so without another walk.
  const items = [
    ...(present.hasMicrodata ? topLevelItems(root, MICRODATA) : []),
    ...(present.hasRdfa ? topLevelItems(root, RDFA) : []),
  ];
  if (items.length === 0) return { source: 'microdata', offers: [] };
  const { drafts, product } = draftsFromSchemaRoots(items, context);
  return { source: 'microdata', offers: drafts, ...(product ? { product } : {}) };
}
