import type { PrismaClient } from '@shelfwatch/db';
import type { Messaging, OutboxRelay } from '@shelfwatch/messaging';
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
  /** Woken after each observation's commit, to publish what it wrote to the outbox. */
  relay?: Pick<OutboxRelay, 'wake'>;
  /**
   * Runs right after an observation's transaction committed, before the relay is woken. Only for
   * fault tests: `ANALYTICS_FAULT_KILL_AFTER_COMMITS` kills the process here (see main.ts).
   */
  afterCommit?: () => void;
}

/**
 * Subscribes analytics to the scraper's results. Subscription names equal the inbox consumer
 * names. The events announcing alerts are written to the outbox in the handler's transaction
 * and published by the outbox relay, woken here right after the commit (ADR 0014).
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
      options.afterCommit?.();
      if (outcome.events.length > 0) options.relay?.wake();
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
