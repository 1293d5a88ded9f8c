import { textOf, type DomNode } from './dom';
import { absoluteUrl, cleanText } from './draft';

/**
 * What the structured sources and the page facts need from the document, gathered in one walk
 * so that no source walks the whole tree again for its few elements.
 */
export interface PageIndex {
  /** `<meta property|name=... content=...>`: first value per key, keys lower-cased. */
  readonly meta: Map<string, string>;
  /** `<script type="application/ld+json">` elements in document order. */
  readonly jsonLdScripts: DomNode[];
  /** Whether any element opens a microdata item (`itemscope`) or an RDFa one (`typeof`). */
  readonly hasMicrodata: boolean;
  readonly hasRdfa: boolean;
  readonly lang: string | null;
  readonly canonical: string | undefined;
  /** Text of the first `<h1>`. */
  readonly heading: string | null;
}

const CANONICAL = /(^|\s)canonical(\s|$)/i;

export function indexPage(root: DomNode, pageUrl: string): PageIndex {
  const meta = new Map<string, string>();
  const jsonLdScripts: DomNode[] = [];
  let hasMicrodata = false;
  let hasRdfa = false;
  let lang: string | null = null;
  let canonicalHref: string | undefined;
  let heading: string | null = null;
  const stack: DomNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as DomNode;
    const attribs = node.attribs;
    if (attribs) {
      if (!hasMicrodata && attribs['itemscope'] !== undefined) hasMicrodata = true;
      if (!hasRdfa && attribs['typeof'] !== undefined) hasRdfa = true;
      switch (node.name) {
        case 'script':
          if ((attribs['type'] ?? '').toLowerCase().includes('ld+json')) jsonLdScripts.push(node);
          continue;
        case 'style':
          continue;
        case 'meta': {
          const key = (attribs['property'] ?? attribs['name'] ?? '').trim().toLowerCase();
          const content = attribs['content'];
          if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
          break;
        }
        case 'link':
          if (canonicalHref === undefined && CANONICAL.test(attribs['rel'] ?? ''))
            canonicalHref = absoluteUrl(attribs['href'], pageUrl);
          break;
        case 'html':
          if (lang === null) lang = cleanText(attribs['lang'] ?? attribs['xml:lang'], 35) ?? null;
          break;
        case 'h1':
          if (heading === null) {
            heading = cleanText(textOf(node, 400)) ?? null;
          }
          break;
      }
    }
    const children = node.children;
    if (children)
      for (let index = children.length - 1; index >= 0; index--)
        stack.push(children[index] as DomNode);
  }
  lang ??= cleanText(meta.get('content-language') ?? meta.get('og:locale'), 35) ?? null;
  const canonical = canonicalHref ?? absoluteUrl(meta.get('og:url'), pageUrl);
  return { meta, jsonLdScripts, hasMicrodata, hasRdfa, lang, canonical, heading };
}
