import type { ExtractionSource, Money, Offer, SelectorHints } from '@shelfwatch/contracts';
import { parseHtml, prepareParser } from './html-parser';
import { hostOf, type PageContext, type SourceResult } from './draft';
import { extractHeuristics } from './heuristics';
import { extractJsonLd } from './jsonld';
import { mergeSources } from './merge';
import { extractMicrodata } from './microdata';
import { extractOpenGraph } from './opengraph';
import { indexPage } from './page-index';
import { currencyFromHint, currencyFromLocale } from './price/currencies';
import { preferVisiblePrice } from './price-precedence';
import { choosePrimaryOffer } from './primary-offer';
import { extractWithSelectors } from './selectors';

export interface ExtractOptions {
  /** The target's own CSS selectors; what they find overrides every other source. */
  readonly selectors?: SelectorHints;
  /** Currency to assume for prices the page prints without one (ISO code or symbol). */
  readonly currencyHint?: string;
}

export interface PriceEvidence {
  readonly source: ExtractionSource;
  readonly price: Money;
}

export interface ExtractionResult {
  /** Every offer on the page: each variant, and the product as a whole when none is chosen. */
  readonly offers: Offer[];
  /**
   * Index in `offers` of the offer the page is about: the variant its URL selects, else the
   * one it shows as chosen, else the product as a whole. Absent when there are no offers.
   */
  readonly primaryOffer?: number;
  /** When the visible page and structured data disagree on the primary price: both readings. */
  readonly priceSources?: readonly PriceEvidence[];
  /** How sure the extractor is about the offers, 0 to 1; 0 when there are none. */
  readonly confidence: number;
  readonly canonicalUrl?: string;
  readonly lang?: string;
}

/** Only the start of larger documents is read: product data sits well before 5 MB. */
export const MAX_HTML_CHARS = 5_000_000;
const SNIFF_CHARS = 4096;

const EMPTY: ExtractionResult = Object.freeze({ offers: [], confidence: 0 });

/** A control character (other than tab and line breaks) or U+FFFD, as `looksBinary` counts them. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

/** Binary content (images, archives, PDFs sent as text/html) has many control characters. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, SNIFF_CHARS);
  // Text pages have none at all: one native scan instead of a loop over every character.
  if (!CONTROL.test(sample)) return false;
  let control = 0;
  for (let index = 0; index < sample.length; index++) {
    const code = sample.charCodeAt(index);
    if (code < 9 || (code > 13 && code < 32) || code === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

function declaredCurrency(
  results: SourceResult[],
  meta: ReadonlyMap<string, string>,
): string | null {
  for (const result of results) {
    for (const draft of result.offers) {
      const currency = draft.price?.currency ?? draft.listPrice?.currency;
      if (currency) return currency;
    }
  }
  return currencyFromHint(meta.get('pricecurrency') ?? meta.get('currency'));
}

function extractUnchecked(
  html: string,
  pageUrl: string,
  options: ExtractOptions,
): ExtractionResult {
  const root = parseHtml(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  const facts = indexPage(root, pageUrl);
  const meta = facts.meta;
  const host = hostOf(pageUrl);
  const currencyHint = currencyFromHint(options.currencyHint);
  const context: PageContext = {
    pageUrl,
    host,
    lang: facts.lang,
    currencyHint,
    heading: facts.heading,
  };
  const structured = [
    extractJsonLd(facts.jsonLdScripts, context),
    extractMicrodata(root, context, facts),
    extractOpenGraph(meta, context),
  ];
  const pageCurrency = declaredCurrency(structured, meta);
  const heuristic = extractHeuristics(root, context, pageCurrency);
  const selectors = extractWithSelectors(root, options.selectors, context, pageCurrency);
  const fallbackCurrency =
    currencyHint ?? pageCurrency ?? currencyFromLocale({ lang: facts.lang, domain: host });
  const merged = mergeSources({
    ranked: [...structured, heuristic],
    selectors,
    fallbackCurrency,
    canonicalUrl: facts.canonical,
  });
  const whole = [...structured].map((entry) => entry.product).find((product) => !!product) ?? {};
  const choice = choosePrimaryOffer(
    merged.offers,
    pageUrl,
    heuristic.evidence,
    { ...whole, ...(whole.name || !facts.heading ? {} : { name: facts.heading }) },
    facts.canonical,
  );
  const offers = choice.offers;
  let confidence = merged.confidence;
  let priceSources: PriceEvidence[] | undefined;
  if (choice.primaryOffer !== undefined) {
    const primary = offers[choice.primaryOffer] as Offer;
    const selectedSku = heuristic.evidence.selectedSku;
    if (!primary.sku && selectedSku && choice.basis === 'only') primary.sku = selectedSku;
    const visible = heuristic.offers[0]?.price;
    const preferred = preferVisiblePrice(primary, visible, heuristic.evidence, fallbackCurrency);
    if (preferred) {
      offers[choice.primaryOffer] = preferred.offer;
      priceSources = preferred.sources;
      confidence = Math.max(0.1, Math.round((confidence - 0.2) * 100) / 100);
    }
  }
  const result: { -readonly [K in keyof ExtractionResult]: ExtractionResult[K] } = {
    offers,
    confidence,
  };
  if (choice.primaryOffer !== undefined) result.primaryOffer = choice.primaryOffer;
  if (priceSources) result.priceSources = priceSources;
  if (facts.canonical) result.canonicalUrl = facts.canonical;
  if (facts.lang) result.lang = facts.lang;
  return result;
}

/**
 * Loads now what the first `extractOffers` would load (the HTML parser), for a caller that is
 * started and can spend the time before work arrives.
 */
export function prepareExtraction(): void {
  prepareParser();
}

/**
 * The product offers on a page, merged field by field from the target's selectors, JSON-LD,
 * microdata/RDFa, OpenGraph and the visible page. Pure and total: any input, however broken,
 * gives a result (at worst no offers and confidence 0), never an exception.
 */
export function extractOffers(
  html: string,
  pageUrl: string,
  options: ExtractOptions = {},
): ExtractionResult {
  try {
    if (typeof html !== 'string' || html.length === 0 || looksBinary(html))
      return { ...EMPTY, offers: [] };
    const base =
      typeof pageUrl === 'string' && URL.canParse(pageUrl) ? pageUrl : 'https://invalid.example/';
    return extractUnchecked(html, base, options ?? {});
  } catch {
    return { ...EMPTY, offers: [] };
  }
}
