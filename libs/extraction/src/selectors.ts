import type { SelectorHints } from '@shelfwatch/contracts';
import type { CheerioAPI } from 'cheerio';
import { normalizeAvailability } from './availability';
import { collapse, type DomNode } from './dom';
import {
  absoluteUrl,
  cleanText,
  type OfferDraft,
  type PageContext,
  type SourceResult,
} from './draft';
import { currencyFromHint } from './price/currencies';
import { parsePrice } from './price/parse-price';

interface Selected {
  readonly text: string;
  readonly attribs: Record<string, string>;
}

/** The first element a selector matches; an invalid selector matches nothing. */
function select($: CheerioAPI, selector: string | undefined): Selected | null {
  if (!selector) return null;
  try {
    const element = $(selector).first();
    if (element.length === 0) return null;
    const node = element[0] as unknown as { attribs?: Record<string, string> };
    return { text: collapse(element.text()).slice(0, 2000), attribs: node.attribs ?? {} };
  } catch {
    return null;
  }
}

const valueOf = (selected: Selected): string =>
  selected.attribs['content'] ??
  selected.attribs['data-price'] ??
  selected.attribs['value'] ??
  selected.text;

/** Fields read with the target's own CSS selectors; they override every other source. */
export function extractWithSelectors(
  root: DomNode,
  hints: SelectorHints | undefined,
  context: PageContext,
  pageCurrency: string | null,
): SourceResult {
  if (!hints) return { source: 'selector', offers: [] };
  // cheerio and its CSS engine load only for targets with selectors (ADR 0021, 0027): most
  // pages never need them, and the scraper starts without them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { load } = require('cheerio/slim') as typeof import('cheerio/slim');
  const $ = load(root as unknown as Parameters<typeof load>[0]);
  const draft: OfferDraft = {};
  const currencyText = select($, hints.currency);
  const declared =
    (currencyText &&
      (currencyFromHint(valueOf(currencyText)) ??
        parsePrice(`1 ${valueOf(currencyText)}`)?.currency)) ||
    context.currencyHint ||
    pageCurrency;
  const priceContext = { currencyHint: declared, lang: context.lang, domain: context.host };
  const price = select($, hints.price);
  if (price) {
    const parsed = parsePrice(valueOf(price), priceContext) ?? parsePrice(price.text, priceContext);
    if (parsed) draft.price = parsed;
  }
  const listPrice = select($, hints.listPrice);
  if (listPrice) {
    const parsed = parsePrice(valueOf(listPrice), priceContext);
    if (parsed) draft.listPrice = parsed;
  }
  const name = select($, hints.name);
  const nameText = name && cleanText(name.attribs['content'] ?? name.text);
  if (nameText) draft.name = nameText;
  const availability = select($, hints.availability);
  if (availability) {
    const candidates = [
      availability.attribs['content'],
      availability.attribs['href'],
      availability.text,
    ];
    for (const candidate of candidates) {
      const state = candidate ? normalizeAvailability(candidate) : 'Unknown';
      if (state !== 'Unknown') {
        draft.availability = state;
        break;
      }
    }
  }
  const sku = select($, hints.sku);
  const skuText = sku && cleanText(sku.attribs['content'] ?? sku.text, 256);
  if (skuText)
    draft.sku = skuText.replace(
      /^(sku|art(ikel)?[.-]*\s*nr\.?|item( no\.?)?|ref\.?|product code|artikelnummer)\s*[:#]?\s*/i,
      '',
    );
  const image = select($, hints.image);
  if (image) {
    const source =
      image.attribs['src'] ??
      image.attribs['data-src'] ??
      image.attribs['content'] ??
      image.attribs['href'];
    const url = absoluteUrl(source, context.pageUrl);
    if (url) draft.image = url;
  }
  return { source: 'selector', offers: Object.keys(draft).length > 0 ? [draft] : [] };
}
