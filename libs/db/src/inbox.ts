import type { Prisma } from './generated/prisma/client';

export interface InboxEntry {
  /** Who handled the event, e.g. `analytics.observation-recorded`; each consumer has its own name. */
  consumer: string;
  eventId: string;
  eventType: string;
}

/**
 * Records that `consumer` handled an event, inside the transaction of the handler's effect.
 * Returns false when the event was already recorded: the caller must then change nothing. A
 * concurrent delivery of the same event waits on the primary key until the first commits.
 */
export async function recordProcessedEvent(
  tx: Prisma.TransactionClient,
  entry: InboxEntry,
): Promise<boolean> {
  const { count } = await tx.processedEvent.createMany({
    data: [{ consumer: entry.consumer, eventId: entry.eventId, eventType: entry.eventType }],
    skipDuplicates: true,
  });
  return count === 1;
}
