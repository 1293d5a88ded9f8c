import { createEvent, derivedId, type EventPayloadInput } from '@shelfwatch/contracts';
import { enqueueOutboxEvents, type Prisma, type Target } from '@shelfwatch/db';
import type { OutboxRelay } from '@shelfwatch/messaging';

/** `source` of the events the api publishes. */
export const API_EVENT_SOURCE = 'shelfwatch/api';

/** This app's rows in the outbox (`outbox_events.publisher`): the api writes and relays only these. */
export const API_OUTBOX_PUBLISHER = 'api';

/** What a writer of the outbox needs of the relay: a nudge after its commit. */
export type OutboxWaker = Pick<OutboxRelay, 'wake'>;

export type DispatchTarget = Pick<Target, 'id' | 'url' | 'kind' | 'selectors'>;

/** The page's validators from its newest successful check (analytics keeps them in target_health). */
export interface PageValidators {
  etag: string | null;
  lastModified: string | null;
}

export interface QueuedRun {
  runId: string;
  target: DispatchTarget;
  requestedAt: Date;
  /** Sent back so an unchanged page can answer 304 Not Modified. */
  validators?: PageValidators;
}

export function scrapeRequestOf(run: QueuedRun): EventPayloadInput<'scrape.requested'> {
  const { target } = run;
  return {
    runId: run.runId,
    targetId: target.id,
    url: target.url,
    kind: target.kind,
    ...(target.selectors && typeof target.selectors === 'object'
      ? { selectors: target.selectors as Record<string, string> }
      : {}),
    ...(run.validators?.etag ? { etag: run.validators.etag } : {}),
    ...(run.validators?.lastModified ? { lastModified: run.validators.lastModified } : {}),
    requestedAt: run.requestedAt.toISOString(),
    attempt: 1,
  };
}

/**
 * Writes scrape.requested for runs to the api's outbox, in the transaction that queues them: the
 * outbox relay publishes after the commit, so a run is never queued without its request, and a
 * crash in between delays the request instead of losing it (ADR 0014). The event id is derived
 * from the run id, so a republished request is the same event to the scraper.
 */
export async function enqueueScrapeRequests(
  tx: Prisma.TransactionClient,
  runs: readonly QueuedRun[],
): Promise<void> {
  await enqueueOutboxEvents(
    tx,
    API_OUTBOX_PUBLISHER,
    runs.map((run) => {
      const event = createEvent('scrape.requested', scrapeRequestOf(run), {
        source: API_EVENT_SOURCE,
        id: derivedId(run.runId, 'scrape.requested'),
        occurredAt: run.requestedAt,
      });
      return {
        eventId: event.id,
        eventType: event.type,
        payload: event as unknown as Prisma.InputJsonValue,
      };
    }),
  );
}
