import type { PrismaClient } from '@shelfwatch/db';
import type { Messaging } from '@shelfwatch/messaging';
import { consumers } from './consumers';
import { handleScrapeFailed, type ScrapeFailedOptions } from './health/handle-scrape-failed';
import {
  handleObservationRecorded,
  type ObservationHandlerOptions,
} from './observations/handle-observation-recorded';

export interface AnalyticsSubscriptionOptions {
  observations?: ObservationHandlerOptions;
  failures?: ScrapeFailedOptions;
  /** Handlers per subscription running at once in this process. */
  maxConcurrent?: number;
}

/**
 * Subscribes analytics to the scraper's results. Subscription names equal the inbox consumer
 * names. price.changed events are published after the handler's transaction commits; on a
 * redelivery the handler returns the same events (same ids), so a publish lost in between is
 * made good and a downstream consumer's inbox drops the repeat.
 */
export function subscribeAnalytics(
  messaging: Messaging,
  prisma: PrismaClient,
  options: AnalyticsSubscriptionOptions = {},
): void {
  const maxConcurrent = options.maxConcurrent ?? 10;
  // One observation is one transaction of at most 30 s plus its publishes: a handler still holding
  // its message after a minute is stuck, and the message is better handed to another worker.
  const handlerTimeoutSeconds = 60;
  // A failure here is mostly a busy database or a lost worker: the first retry comes soon.
  const minBackoffSeconds = 5;
  messaging.subscribe(
    'observation.recorded',
    async (event, context) => {
      const outcome = await handleObservationRecorded(prisma, event, options.observations);
      for (const changed of outcome.events) await messaging.publish(changed);
      if (!outcome.duplicate)
        context.logger.debug(
          `Observation of ${event.data.url}: ${outcome.pricePoints} price point(s), ${outcome.alerts} alert(s)`,
        );
    },
    {
      subscription: consumers.observationRecorded,
      maxConcurrent,
      handlerTimeoutSeconds,
      minBackoffSeconds,
    },
  );
  messaging.subscribe(
    'scrape.failed',
    async (event) => {
      await handleScrapeFailed(prisma, event, options.failures);
    },
    {
      subscription: consumers.scrapeFailed,
      maxConcurrent,
      handlerTimeoutSeconds,
      minBackoffSeconds,
    },
  );
}
