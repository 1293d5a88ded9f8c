import type { Offer, SelectorHints } from '@shelfwatch/contracts';

export interface ExtractOptions {
  selectors?: SelectorHints;
  currencyHint?: string;
}

export interface Extraction {
  offers: Offer[];
  /** Index in offers of the offer the page is about (the selected variant or the whole product). */
  primaryOffer?: number;
  confidence: number;
  canonicalUrl?: string;
  lang?: string;
}

/** The shape of `extractOffers` from @shelfwatch/extraction; injected so the handler stays testable. */
export type ExtractOffers = (html: string, pageUrl: string, options?: ExtractOptions) => Extraction;
