import type { PrismaClient } from '@shelfwatch/db';
import type { Messaging, OutboxRelay } from '@shelfwatch/messaging';
import { DEFAULT_OBSERVATION_BATCH_SIZE, OBSERVATION_BATCHES_AT_ONCE } from './config';
import { consumers } from './consumers';
import { handleScrapeFailed, type ScrapeFailedOptions } from './health/handle-scrape-failed';
import { handleObservationBatch } from './observations/handle-observation-batch';
import type { ObservationHandlerOptions } from './observations/handle-observation-recorded';

export interface AnalyticsSubscriptionOptions {
  observations?: ObservationHandlerOptions;
  failures?: ScrapeFailedOptions;
  /**
   * Handlers per subscription running at once in this process; for observations, batches running
   * at once (each holds one connection for its transaction).
   */
  maxConcurrent?: number;
  /** Most observations applied in one transaction (default `DEFAULT_OBSERVATION_BATCH_SIZE`). */
  observationBatchSize?: number;
  /**
   * Most observation batches fetched and applied at once (default `OBSERVATION_BATCHES_AT_ONCE`,
   * never more than `maxConcurrent`).
   */
  observationBatchesAtOnce?: number;
  /** Woken after each observation's commit, to publish what it wrote to the outbox. */
  relay?: Pick<OutboxRelay, 'wake'>;
  /**
   * Runs right after observations were committed (a batch's transaction, or one observation's),
   * with how many, before the relay is woken. Only for fault tests:
   * `ANALYTICS_FAULT_KILL_AFTER_COMMITS` kills the process here (see main.ts).
   */
  afterCommit?: (observations: number) => void;
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
  // A batch is one transaction, but when it fails as a whole its events are applied one by one:
  // room for a few of those 30 s transactions before the lease or job lapses. A dead worker's
  // messages still come back by heartbeat (pg-boss) or lease expiry (Pub/Sub), not by this.
  const batchTimeoutSeconds = 300;
  // A failure here is mostly a busy database or a lost worker: the first retry comes soon.
  const minBackoffSeconds = 5;
  // Observations come in batches, each applied in one transaction of a few set-based statements
  // (ADR 0025); an event whose apply fails is retried on its own, its batch-mates are acked.
  messaging.subscribeBatch(
    'observation.recorded',
    async (items) => {
      const results = await handleObservationBatch(
        prisma,
        items.map((item) => item.event),
        {
          ...options.observations,
          onFallback: (error, count) =>
            items[0]!.context.logger.warn(
              `A batch of ${count} observations failed as a whole; applying them one by one`,
              { error: error instanceof Error ? error.message : String(error) },
            ),
        },
      );
      const applied = results.filter((result) => result.ok && !result.outcome.duplicate).length;
      if (applied > 0) options.afterCommit?.(applied);
      if (results.some((result) => result.ok && result.outcome.events.length > 0))
        options.relay?.wake();
      return results.map((result, index) => {
        if (!result.ok) return { ok: false, error: result.error };
        if (!result.outcome.duplicate)
          items[index]!.context.logger.debug(
            `Observation of ${items[index]!.event.data.url}: ${result.outcome.pricePoints} price point(s), ${result.outcome.alerts} alert(s)`,
          );
        return { ok: true };
      });
    },
    {
      subscription: consumers.observationRecorded,
      // What a transport holds is this many batches' worth: pg-boss workers fetch one batch each
      // (ADR 0025); a Pub/Sub pull subscriber leases them and one batch more, which waits (ADR 0045).
      maxConcurrent: Math.min(
        maxConcurrent,
        options.observationBatchesAtOnce ?? OBSERVATION_BATCHES_AT_ONCE,
      ),
      handlerTimeoutSeconds: batchTimeoutSeconds,
      minBackoffSeconds,
      batch: {
        maxMessages: options.observationBatchSize ?? DEFAULT_OBSERVATION_BATCH_SIZE,
        maxWaitMs: 5,
      },
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
