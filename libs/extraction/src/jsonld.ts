import { rawText, type DomNode } from './dom';
import type { PageContext, SourceResult } from './draft';
import { parseJsonTolerant } from './json-tolerant';
import { draftsFromSchemaRoots } from './schema-org';

/** Blocks beyond this size are not product data (some sites inline whole catalogues). */
const MAX_BLOCK_CHARS = 2_000_000;
const MAX_BLOCKS = 64;

/** The parsed contents of the page's JSON-LD script elements, in document order. */
function jsonLdBlocks(scripts: readonly DomNode[]): unknown[] {
  const blocks: unknown[] = [];
  for (const script of scripts) {
    if (blocks.length >= MAX_BLOCKS) break;
    const text = rawText(script);
    if (text.length > MAX_BLOCK_CHARS) continue;
    const parsed = parseJsonTolerant(text.trim());
    if (parsed !== undefined) blocks.push(parsed);
  }
  return blocks;
}

/** Offers from the page's `<script type="application/ld+json">` elements (see `indexPage`). */
export function extractJsonLd(scripts: readonly DomNode[], context: PageContext): SourceResult {
  const { drafts, product } = draftsFromSchemaRoots(jsonLdBlocks(scripts), context);
  return { source: 'json-ld', offers: drafts, ...(product ? { product } : {}) };
}
