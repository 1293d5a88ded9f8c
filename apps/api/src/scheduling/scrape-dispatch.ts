import type { EventPayloadInput } from '@shelfwatch/contracts';
import type { PrismaClient, Target } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import type { Messaging } from '@shelfwatch/messaging';

/** `source` of the events the api publishes. */
export const API_EVENT_SOURCE = 'shelfwatch/api';

export type ScrapePublisher = Pick<Messaging, 'publish'>;

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
 * Publishes scrape.requested for runs already committed as queued. A run whose publish fails
 * is deleted again (it was never requested, so it must not sit queued forever) and reported; the
 * caller decides whether that is a 503 or a retry on the next tick.
 */
export async function publishQueuedRuns(
  deps: { prisma: PrismaClient; publisher: ScrapePublisher; logger?: Logger },
  runs: QueuedRun[],
): Promise<{ published: QueuedRun[]; failed: QueuedRun[] }> {
  const published: QueuedRun[] = [];
  const failed: QueuedRun[] = [];
  const outcomes = await Promise.allSettled(
    runs.map((run) =>
      deps.publisher.publish('scrape.requested', scrapeRequestOf(run), {
        source: API_EVENT_SOURCE,
      }),
    ),
  );
  outcomes.forEach((outcome, index) => {
    const run = runs[index] as QueuedRun;
    if (outcome.status === 'fulfilled') published.push(run);
    else {
      failed.push(run);
      deps.logger?.error(`Could not publish scrape.requested for target ${run.target.id}`, {
        err: outcome.reason,
      });
    }
  });
  if (failed.length > 0)
    await deps.prisma.scrapeRun.deleteMany({
      where: { id: { in: failed.map((run) => run.runId) } },
    });
  return { published, failed };
}
