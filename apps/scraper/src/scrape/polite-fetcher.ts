import { setTimeout as sleep } from 'node:timers/promises';
import type { FetchOptions, FetchResponse, HttpFetcher } from '../fetch/http-fetcher';
import { classifyError } from '../fetch/scrape-error';
import { HostLimiter, backoffDelayMs } from '../politeness/host-limiter';
import type { RobotsPolicy } from '../robots/robots-policy';

export interface PoliteFetcherOptions {
  fetcher: HttpFetcher;
  robots: RobotsPolicy;
  limiter: HostLimiter;
  hostMinDelayMs: number;
  maxCrawlDelayMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  /** A longer Retry-After or backoff ends the attempt with a retryable failure instead of waiting. */
  maxInlineWaitMs: number;
}

/**
 * One fetch the way a polite crawler makes it: robots.txt first (and for every redirect hop),
 * then under the host's concurrency and delay (Crawl-delay can raise it), retried on retryable
 * failures with exponential backoff and jitter, or after Retry-After when the server names it.
 */
export class PoliteFetcher {
  constructor(private readonly options: PoliteFetcherOptions) {}

  get robots(): RobotsPolicy {
    return this.options.robots;
  }

  async fetch(url: string, fetchOptions: FetchOptions = {}): Promise<FetchResponse> {
    const { fetcher, robots, limiter, maxAttempts } = this.options;
    const host = new URL(url).host;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const rules = await robots.assertAllowed(url);
        const delay = Math.min(
          Math.max(this.options.hostMinDelayMs, rules.crawlDelayMs ?? 0),
          Math.max(this.options.hostMinDelayMs, this.options.maxCrawlDelayMs),
        );
        return await limiter.run(
          host,
          () =>
            fetcher.fetch(url, {
              ...fetchOptions,
              beforeRedirect: async (next) => {
                await robots.assertAllowed(next);
                await fetchOptions.beforeRedirect?.(next);
              },
            }),
          delay,
        );
      } catch (caught) {
        const error = classifyError(caught, url);
        if (error.retryAfterSeconds !== undefined && error.errorClass !== 'robots_disallowed')
          limiter.pause(host, error.retryAfterSeconds * 1000);
        if (!error.retryable || attempt >= maxAttempts || error.errorClass === 'robots_disallowed')
          throw error;
        const wait =
          error.retryAfterSeconds !== undefined
            ? error.retryAfterSeconds * 1000
            : backoffDelayMs(attempt, this.options.backoffBaseMs);
        if (wait > this.options.maxInlineWaitMs) throw error;
        // After Retry-After the limiter itself holds the host back; backoff is ours to wait out.
        if (error.retryAfterSeconds === undefined) await sleep(wait);
      }
    }
  }
}
