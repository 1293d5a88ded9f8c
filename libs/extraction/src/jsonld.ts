import { attr, rawText, walk, type DomNode } from './dom';
import type { PageContext, SourceResult } from './draft';
import { parseJsonTolerant } from './json-tolerant';
import { draftsFromSchemaRoots } from './schema-org';

/** Blocks beyond this size are not product data (some sites inline whole catalogues). */
const MAX_BLOCK_CHARS = 2_000_000;
const MAX_BLOCKS = 64;

/** The parsed contents of every JSON-LD block on the page, in document order. */
export function jsonLdBlocks(root: DomNode): unknown[] {
  const blocks: unknown[] = [];
  walk(root, (node) => {
    if (blocks.length >= MAX_BLOCKS) return false;
    if (node.name !== 'script') return true;
    const type = (attr(node, 'type') ?? '').toLowerCase();
    if (type.includes('ld+json')) {
      const text = rawText(node);
      if (text.length <= MAX_BLOCK_CHARS) {
        const parsed = parseJsonTolerant(text.trim());
        if (parsed !== undefined) blocks.push(parsed);
      }
    }
    return false;
  });
  return blocks;
}

export function extractJsonLd(root: DomNode, context: PageContext): SourceResult {
  const { drafts, product } = draftsFromSchemaRoots(jsonLdBlocks(root), context);
  return { source: 'json-ld', offers: drafts, ...(product ? { product } : {}) };
}
