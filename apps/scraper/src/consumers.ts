import { InvalidEventError } from '@shelfwatch/contracts';
import type { MessageContext, Messaging } from '@shelfwatch/messaging';
import { ScrapeError } from './fetch/scrape-error';
import {
  scrapeFailedEvent,
  type ScrapeHandler,
  type ScrapeRequestedEvent,
  type ScraperEvent,
} from './scrape/scrape-handler';

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
      for (const event of events) {
        const published = await publishOrFail(messaging, request, event, context);
        if (!published) return;
      }
      context.logger.debug(`Scrape of ${request.data.url} published ${events.length} event(s)`);
    },
    {
      subscription: SCRAPE_REQUESTED_SUBSCRIPTION,
      maxConcurrent: options.maxConcurrent ?? 10,
      handlerTimeoutSeconds: options.handlerTimeoutSeconds ?? 300,
    },
  );
}

/**
 * Publishes one result of a scrape. When it cannot go out, because the event is invalid (a retry
 * would fail the same way) or on the request's last delivery, the run is ended with a
 * scrape.failed that says why instead of the request dying silently in the dead-letter queue.
 * Resolves false when that happened and the request's other results are dropped.
 */
async function publishOrFail(
  messaging: Messaging,
  request: ScrapeRequestedEvent,
  event: ScraperEvent,
  context: MessageContext,
): Promise<boolean> {
  try {
    await messaging.publish(event);
    return true;
  } catch (error) {
    const invalid = error instanceof InvalidEventError;
    const last = context.attempt >= context.maxAttempts;
    if (event.type === 'scrape.failed' || (!invalid && !last)) throw error;
    const reason = `Could not publish ${event.type}: ${(error as Error).message}`;
    context.logger.error('Ending the run as scrape.failed: its result could not be published', {
      eventType: event.type,
      invalid,
      error: (error as Error).message,
    });
    await messaging.publish(
      scrapeFailedEvent(
        request,
        new ScrapeError('parse', reason, { retryable: !invalid }),
        new Date(),
        'startedAt' in event.data ? event.data.startedAt : undefined,
      ),
    );
    return false;
  }
}
