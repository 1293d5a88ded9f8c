import type { ScraperSettings } from '../../src/scraper';

/** Short limits so every misbehaviour ends within a couple of seconds. */
export function testSettings(overrides: Partial<ScraperSettings> = {}): ScraperSettings {
  return {
    SCRAPER_USER_AGENT_CONTACT: 'https://shelfwatch.example/bot',
    SCRAPER_ALLOW_HOSTS: ['127.0.0.1'],
    SCRAPER_CONNECT_TIMEOUT_MS: 1_000,
    SCRAPER_HEADERS_TIMEOUT_MS: 2_000,
    SCRAPER_BODY_TIMEOUT_MS: 1_000,
    SCRAPER_TOTAL_TIMEOUT_MS: 2_500,
    SCRAPER_MAX_BODY_BYTES: 256 * 1024,
    SCRAPER_MAX_REDIRECTS: 5,
    SCRAPER_HOST_CONCURRENCY: 2,
    SCRAPER_HOST_MIN_DELAY_MS: 0,
    SCRAPER_MAX_CRAWL_DELAY_MS: 2_000,
    SCRAPER_MAX_ATTEMPTS: 1,
    SCRAPER_BACKOFF_BASE_MS: 10,
    SCRAPER_MAX_INLINE_WAIT_MS: 2_000,
    SCRAPER_ROBOTS_CACHE_TTL_MS: 60_000,
    SCRAPER_ROBOTS_ERROR_TTL_MS: 60_000,
    SCRAPER_MAX_LISTING_PAGES: 5,
    SCRAPER_MAX_SITEMAPS: 10,
    ...overrides,
  };
}
