import { allowHostsSetting } from '@shelfwatch/address-guard';
import { baseConfigSchema, internalCallerRule, wholeNumberSetting } from '@shelfwatch/runtime';
import { z } from 'zod';

const milliseconds = (fallback: number, min = 0) =>
  z.coerce
    .number({ error: 'expected a number of milliseconds' })
    .int({ error: 'expected a whole number of milliseconds' })
    .min(min, { error: `expected at least ${min} milliseconds` })
    .default(fallback);

const count = wholeNumberSetting;

export const scraperConfigSchema = baseConfigSchema
  .extend({
    /**
     * Who may call `POST /internal/scrape`: the OIDC audience of its tokens and the caller's
     * service account. Required on Cloud Run; locally, without them, loopback callers only.
     */
    SCRAPER_INTERNAL_AUDIENCE: z.string().min(1).optional(),
    SCRAPER_INTERNAL_SERVICE_ACCOUNT: z.email().optional(),
    /** Named in the User-Agent so site owners can reach whoever runs the crawler. */
    SCRAPER_USER_AGENT_CONTACT: z.url().default('https://github.com/shelfwatch/shelfwatch'),
    /**
     * Hosts, addresses or CIDR ranges the SSRF guard lets through although they are not public
     * (tests and the local demo shop on loopback). Empty in production.
     */
    SCRAPER_ALLOW_HOSTS: allowHostsSetting,
    SCRAPER_CONNECT_TIMEOUT_MS: milliseconds(5_000, 1),
    SCRAPER_HEADERS_TIMEOUT_MS: milliseconds(10_000, 1),
    /** Longest silence between two body chunks. */
    SCRAPER_BODY_TIMEOUT_MS: milliseconds(10_000, 1),
    /** Whole fetch of one URL including redirects and the body. */
    SCRAPER_TOTAL_TIMEOUT_MS: milliseconds(30_000, 1),
    /** Largest body accepted, counted after decompression. */
    SCRAPER_MAX_BODY_BYTES: count(5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    SCRAPER_MAX_REDIRECTS: count(5, 0, 5),
    /** Concurrent requests to one host from this instance. */
    SCRAPER_HOST_CONCURRENCY: count(2, 1, 64),
    /** Minimum gap between two request starts to one host; robots.txt Crawl-delay can raise it. */
    SCRAPER_HOST_MIN_DELAY_MS: milliseconds(1_000),
    /** Crawl-delay above this is capped in-instance (the scheduler spreads work per host). */
    SCRAPER_MAX_CRAWL_DELAY_MS: milliseconds(30_000),
    /** Tries per scrape inside one handling, including the first. */
    SCRAPER_MAX_ATTEMPTS: count(3, 1, 10),
    SCRAPER_BACKOFF_BASE_MS: milliseconds(500),
    /** Waits (Retry-After or backoff) longer than this end the handling with a retryable failure instead. */
    SCRAPER_MAX_INLINE_WAIT_MS: milliseconds(10_000),
    SCRAPER_ROBOTS_CACHE_TTL_MS: milliseconds(24 * 60 * 60 * 1000),
    /** How long an unreachable or 5xx robots.txt keeps its host disallowed before the next try. */
    SCRAPER_ROBOTS_ERROR_TTL_MS: milliseconds(5 * 60 * 1000),
    /** scrape.requested messages this instance works on at once (the subscription's flow control). */
    SCRAPER_MAX_CONCURRENT_SCRAPES: count(10, 1, 200),
    SCRAPER_MAX_LISTING_PAGES: count(10, 1, 100),
    /** Sitemap documents read per sitemap target (the index counts). */
    SCRAPER_MAX_SITEMAPS: count(50, 1, 1000),
  })
  .superRefine(
    internalCallerRule(
      'SCRAPER_INTERNAL_AUDIENCE',
      'SCRAPER_INTERNAL_SERVICE_ACCOUNT',
      'POST /internal/scrape',
    ),
  );

export type ScraperConfig = z.infer<typeof scraperConfigSchema>;
