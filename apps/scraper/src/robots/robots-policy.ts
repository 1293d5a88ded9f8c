import robotsParser from 'robots-parser';
import type { HttpFetcher } from '../fetch/http-fetcher';
import { ScrapeError } from '../fetch/scrape-error';

/** RFC 9309 asks crawlers to parse at least 500 KiB; we read no more than that. */
export const MAX_ROBOTS_BYTES = 500 * 1024;

/** What robots.txt says about one origin. */
export interface RobotsRules {
  /** Null when the URL is allowed; otherwise the ScrapeError to report. */
  check(url: string): ScrapeError | null;
  /** Crawl-delay for our product token, in milliseconds. */
  crawlDelayMs?: number;
  sitemaps: string[];
}

export interface RobotsPolicyOptions {
  fetcher: HttpFetcher;
  /** Product token matched against User-agent lines, e.g. `shelfwatch`. */
  productToken: string;
  cacheTtlMs: number;
  /** How long a 5xx/unreachable robots.txt keeps the origin disallowed before we ask again. */
  errorTtlMs: number;
  /** Runs the robots.txt request under the host's politeness limits. */
  schedule?: <T>(host: string, task: () => Promise<T>) => Promise<T>;
  now?: () => number;
}

interface CacheEntry {
  rules: Promise<RobotsRules>;
  expiresAt: number;
}

const allowAll: RobotsRules = { check: () => null, sitemaps: [] };

/** Cached robots.txt per origin, fetched through the same guarded fetcher as pages. */
export class RobotsPolicy {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly now: () => number;

  constructor(private readonly options: RobotsPolicyOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The rules for `url`'s origin (fetched on first use, then cached). */
  rulesFor(url: string | URL): Promise<RobotsRules> {
    const origin = new URL(url).origin;
    const cached = this.cache.get(origin);
    if (cached && cached.expiresAt > this.now()) return cached.rules;
    const entry: CacheEntry = { rules: Promise.resolve(allowAll), expiresAt: Infinity };
    entry.rules = this.load(origin).then(
      ({ rules, ttlMs }) => {
        entry.expiresAt = this.now() + ttlMs;
        return rules;
      },
      (error: unknown) => {
        this.cache.delete(origin);
        throw error;
      },
    );
    this.cache.set(origin, entry);
    return entry.rules;
  }

  /** Throws the robots ScrapeError when `url` may not be fetched. */
  async assertAllowed(url: string | URL): Promise<RobotsRules> {
    const rules = await this.rulesFor(url);
    const problem = rules.check(url.toString());
    if (problem) throw problem;
    return rules;
  }

  private async load(origin: string): Promise<{ rules: RobotsRules; ttlMs: number }> {
    const robotsUrl = `${origin}/robots.txt`;
    const { fetcher, productToken, cacheTtlMs, errorTtlMs } = this.options;
    const schedule = this.options.schedule ?? ((_host, task) => task());
    try {
      const response = await schedule(new URL(origin).host, () =>
        fetcher.fetch(robotsUrl, {
          accept: 'text/plain,*/*;q=0.5',
          maxBodyBytes: MAX_ROBOTS_BYTES,
          overLimit: 'truncate',
        }),
      );
      const robots = robotsParser(robotsUrl, response.text().text);
      const delaySeconds = robots.getCrawlDelay(productToken);
      return {
        ttlMs: cacheTtlMs,
        rules: {
          check: (url) =>
            robots.isDisallowed(url, productToken)
              ? new ScrapeError('robots_disallowed', `robots.txt of ${origin} disallows ${url}`, {
                  retryable: false,
                })
              : null,
          crawlDelayMs: delaySeconds === undefined ? undefined : Math.round(delaySeconds * 1000),
          sitemaps: robots.getSitemaps(),
        },
      };
    } catch (error) {
      if (!(error instanceof ScrapeError)) throw error;
      // RFC 9309 2.3.1.3: 4xx means there are no rules; 2.3.1.2: so may a redirect chain past 5 hops.
      if (error.errorClass === 'http_4xx' && error.httpStatus !== 429)
        return { rules: allowAll, ttlMs: cacheTtlMs };
      if (error.errorClass === 'unsupported_content') return { rules: allowAll, ttlMs: cacheTtlMs };
      // The host itself is unusable (guard, DNS, TLS, network): the page fetch would fail the same
      // way, so report that cause; nothing is cached and the next scrape asks again.
      if (['blocked_address', 'dns', 'tls', 'connect', 'timeout'].includes(error.errorClass))
        throw error;
      // RFC 9309 2.3.1.4: a server error means complete disallow, for now.
      const retryAfterSeconds = error.retryAfterSeconds ?? Math.ceil(errorTtlMs / 1000);
      const unreachable = new ScrapeError(
        'robots_disallowed',
        `robots.txt of ${origin} is unavailable (${error.message}); treating the site as disallowed for now`,
        { retryable: true, httpStatus: error.httpStatus, retryAfterSeconds, cause: error },
      );
      return { rules: { check: () => unreachable, sitemaps: [] }, ttlMs: errorTtlMs };
    }
  }
}
