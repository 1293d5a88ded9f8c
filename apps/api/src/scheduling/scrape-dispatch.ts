import { createEvent, derivedId, type EventPayloadInput } from '@shelfwatch/contracts';
import type { Prisma, Target } from '@shelfwatch/db';
import { API_EVENT_SOURCE, enqueueApiEvents } from '../outbox/api-outbox';

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
  await enqueueApiEvents(
    tx,
    runs.map((run) =>
      createEvent('scrape.requested', scrapeRequestOf(run), {
        source: API_EVENT_SOURCE,
        id: derivedId(run.runId, 'scrape.requested'),
        occurredAt: run.requestedAt,
      }),
    ),
  );
}
