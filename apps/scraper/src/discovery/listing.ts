import type { CheerioAPI } from 'cheerio';
import type { FetchResponse } from '../fetch/http-fetcher';
import { ScrapeError } from '../fetch/scrape-error';
import { UrlCollector, canonicalUrl } from './canonical-url';

/** Used when a listing target has no productLink hint: schema.org items and common product paths. */
export const DEFAULT_PRODUCT_LINK_SELECTOR =
  '[itemtype$="/Product"] a[href], a[href*="/product/"], a[href*="/products/"], a[href*="/p/"]';
export const DEFAULT_NEXT_PAGE_SELECTOR = 'link[rel~="next"], a[rel~="next"]';

export interface WalkListingOptions {
  /** Fetches one listing page (through robots, politeness and the guard). */
  fetch: (url: string) => Promise<FetchResponse>;
  productLink?: string;
  nextPage?: string;
  maxPages: number;
  maxUrls: number;
}

export interface ListingWalk {
  urls: string[];
  /** The first page's response (its validators go back in the observation). */
  first: FetchResponse;
  pages: number;
}

/**
 * Full cheerio (parse5 and its encoding sniffing) is loaded when the first listing is walked, not
 * at start-up: product pages, most of the work, are read by the extractor's own parser.
 */
function loadListing(html: string): CheerioAPI {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { load } = require('cheerio') as typeof import('cheerio');
  return load(html);
}

function hrefsOf($: CheerioAPI, selector: string): string[] {
  const hrefs: string[] = [];
  try {
    $(selector).each((_index, element) => {
      const node = $(element);
      const href = node.attr('href') ?? node.find('a[href]').first().attr('href');
      if (href !== undefined) hrefs.push(href);
    });
  } catch (error) {
    throw new ScrapeError('parse', `Invalid selector "${selector}"`, {
      retryable: false,
      cause: error,
    });
  }
  return hrefs;
}

/**
 * Follows a listing's next-page links for at most `maxPages` pages, collecting product links on
 * the listing's host as canonical, de-duplicated URLs. A page already seen ends the walk.
 */
export async function walkListing(
  start: string,
  options: WalkListingOptions,
): Promise<ListingWalk> {
  const collector = new UrlCollector(new URL(start).hostname, options.maxUrls);
  const visited = new Set<string>();
  let next: string | null = canonicalUrl(start);
  let first: FetchResponse | undefined;
  let pages = 0;
  while (next !== null && pages < options.maxPages && !collector.full) {
    visited.add(next);
    const response = await options.fetch(next);
    first ??= response;
    pages += 1;
    const $ = loadListing(response.text().text);
    const baseHref = $('base[href]').first().attr('href');
    const base = (baseHref && canonicalUrl(baseHref, response.finalUrl)) || response.finalUrl;
    for (const href of hrefsOf($, options.productLink ?? DEFAULT_PRODUCT_LINK_SELECTOR))
      collector.add(href, base);
    const nextHref = hrefsOf($, options.nextPage ?? DEFAULT_NEXT_PAGE_SELECTOR)[0];
    next = nextHref === undefined ? null : canonicalUrl(nextHref, base);
    if (next !== null && (visited.has(next) || new URL(next).hostname !== new URL(start).hostname))
      next = null;
  }
  return { urls: collector.urls, first: first as FetchResponse, pages };
}
