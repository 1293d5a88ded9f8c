import type { Messaging } from '@shelfwatch/messaging';
import type { ScrapeHandler } from './scrape/scrape-handler';

/** The scraper's one subscription (also its Pub/Sub push path `/pubsub/push/<name>`). */
export const SCRAPE_REQUESTED_SUBSCRIPTION = 'scraper.scrape-requested';

export interface ScraperSubscriptionOptions {
  /** Scrapes of this process running at once (flow control); politeness limits each host further. */
  maxConcurrent?: number;
  /** Longest one scrape may hold its message: fetch retries and crawl delays included. */
  handlerTimeoutSeconds?: number;
}

/**
 * Runs every scrape.requested through the scrape handler and publishes what it produced. A failed
 * scrape is an event (scrape.failed), not an error; only a publish that fails throws, so the
 * request is redelivered, and the events' derived ids make the repeat harmless downstream.
 */
export function subscribeScraper(
  messaging: Messaging,
  scrape: ScrapeHandler,
  options: ScraperSubscriptionOptions = {},
): void {
  messaging.subscribe(
    'scrape.requested',
    async (request, context) => {
      const events = await scrape(request);
      for (const event of events) await messaging.publish(event);
      context.logger.debug(`Scrape of ${request.data.url} published ${events.length} event(s)`);
    },
    {
      subscription: SCRAPE_REQUESTED_SUBSCRIPTION,
      maxConcurrent: options.maxConcurrent ?? 10,
      handlerTimeoutSeconds: options.handlerTimeoutSeconds ?? 300,
    },
  );
}
