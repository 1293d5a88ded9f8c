import type { ScraperConfig } from './config';
import { AddressGuard, guardedAgentOnFirstUse, type Resolver } from '@shelfwatch/address-guard';
import type { Logger } from '@shelfwatch/logging';
import { HttpFetcher } from './fetch/http-fetcher';
import { HostLimiter } from './politeness/host-limiter';
import { RobotsPolicy } from './robots/robots-policy';
import type { ExtractOffers } from './scrape/extractor';
import { PoliteFetcher } from './scrape/polite-fetcher';
import { createScrapeHandler, type ScrapeHandler } from './scrape/scrape-handler';

/** The token robots.txt groups are matched against. */
export const ROBOTS_PRODUCT_TOKEN = 'shelfwatch';
export const SCRAPER_VERSION = '0.1';

export function userAgentFor(contact: string): string {
  return `Mozilla/5.0 (compatible; ${ROBOTS_PRODUCT_TOKEN}/${SCRAPER_VERSION}; +${contact})`;
}

/** The settings createScraper reads; a parsed ScraperConfig has them all. */
export type ScraperSettings = Pick<
  ScraperConfig,
  | 'SCRAPER_USER_AGENT_CONTACT'
  | 'SCRAPER_ALLOW_HOSTS'
  | 'SCRAPER_CONNECT_TIMEOUT_MS'
  | 'SCRAPER_HEADERS_TIMEOUT_MS'
  | 'SCRAPER_BODY_TIMEOUT_MS'
  | 'SCRAPER_TOTAL_TIMEOUT_MS'
  | 'SCRAPER_MAX_BODY_BYTES'
  | 'SCRAPER_MAX_REDIRECTS'
  | 'SCRAPER_HOST_CONCURRENCY'
  | 'SCRAPER_HOST_MIN_DELAY_MS'
  | 'SCRAPER_MAX_CRAWL_DELAY_MS'
  | 'SCRAPER_MAX_ATTEMPTS'
  | 'SCRAPER_BACKOFF_BASE_MS'
  | 'SCRAPER_MAX_INLINE_WAIT_MS'
  | 'SCRAPER_ROBOTS_CACHE_TTL_MS'
  | 'SCRAPER_ROBOTS_ERROR_TTL_MS'
  | 'SCRAPER_MAX_LISTING_PAGES'
  | 'SCRAPER_MAX_SITEMAPS'
>;

export interface CreateScraperOptions {
  config: ScraperSettings;
  extractOffers: ExtractOffers;
  /** Loads what `extractOffers` loads on its first page; `prepare()` calls it. */
  prepareExtraction?: () => void;
  logger?: Logger;
  /** DNS resolution used by the SSRF guard; the system resolver by default. */
  resolver?: Resolver;
  /** Extra trusted CA certificates (PEM), e.g. a test server's; verification stays on. */
  ca?: string | string[];
}

export interface Scraper {
  handleScrapeRequested: ScrapeHandler;
  /**
   * Builds now what the first scrape would otherwise build (the guarded agent, loading undici,
   * and the extractor's parser), for a caller that is started and can spend the time before
   * work arrives.
   */
  prepare(): void;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** Wires guard, agent, fetcher, robots, politeness and extraction into one scrape handler. */
export function createScraper(options: CreateScraperOptions): Scraper {
  const { config } = options;
  const guard = new AddressGuard({
    allowHosts: config.SCRAPER_ALLOW_HOSTS,
    resolver: options.resolver,
  });
  // Made by the first fetch, so that undici loads then rather than at start (ADR 0021, 0027).
  const agent = guardedAgentOnFirstUse(guard, {
    connectTimeoutMs: config.SCRAPER_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.SCRAPER_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.SCRAPER_BODY_TIMEOUT_MS,
    connections: config.SCRAPER_HOST_CONCURRENCY,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  const fetcher = new HttpFetcher({
    agent,
    userAgent: userAgentFor(config.SCRAPER_USER_AGENT_CONTACT),
    totalTimeoutMs: config.SCRAPER_TOTAL_TIMEOUT_MS,
    maxBodyBytes: config.SCRAPER_MAX_BODY_BYTES,
    maxRedirects: config.SCRAPER_MAX_REDIRECTS,
  });
  const limiter = new HostLimiter({
    concurrency: config.SCRAPER_HOST_CONCURRENCY,
    minDelayMs: config.SCRAPER_HOST_MIN_DELAY_MS,
  });
  const robots = new RobotsPolicy({
    fetcher,
    productToken: ROBOTS_PRODUCT_TOKEN,
    cacheTtlMs: config.SCRAPER_ROBOTS_CACHE_TTL_MS,
    errorTtlMs: config.SCRAPER_ROBOTS_ERROR_TTL_MS,
    schedule: (host, task) => limiter.run(host, task),
  });
  const polite = new PoliteFetcher({
    fetcher,
    robots,
    limiter,
    hostMinDelayMs: config.SCRAPER_HOST_MIN_DELAY_MS,
    maxCrawlDelayMs: config.SCRAPER_MAX_CRAWL_DELAY_MS,
    maxAttempts: config.SCRAPER_MAX_ATTEMPTS,
    backoffBaseMs: config.SCRAPER_BACKOFF_BASE_MS,
    maxInlineWaitMs: config.SCRAPER_MAX_INLINE_WAIT_MS,
  });
  const handleScrapeRequested = createScrapeHandler({
    fetcher: polite,
    extractOffers: options.extractOffers,
    maxBodyBytes: config.SCRAPER_MAX_BODY_BYTES,
    maxListingPages: config.SCRAPER_MAX_LISTING_PAGES,
    maxSitemaps: config.SCRAPER_MAX_SITEMAPS,
    logger: options.logger,
  });
  return {
    handleScrapeRequested,
    prepare: () => {
      agent.prepare();
      options.prepareExtraction?.();
    },
    close: () => agent.close(),
  };
}
