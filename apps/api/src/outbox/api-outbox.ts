import type { AnyEvent } from '@shelfwatch/contracts';
import { enqueueOutboxEvents, type Prisma } from '@shelfwatch/db';
import type { OutboxRelay } from '@shelfwatch/messaging';

/** `source` of the events the api publishes. */
export const API_EVENT_SOURCE = 'shelfwatch/api';

/** This app's rows in the outbox (`outbox_events.publisher`): the api writes and relays only these. */
export const API_OUTBOX_PUBLISHER = 'api';

/** What a writer of the outbox needs of the relay: a nudge after its commit. */
export type OutboxWaker = Pick<OutboxRelay, 'wake'>;

/**
 * Writes events the api publishes to its outbox, inside the caller's transaction: the relay
 * publishes them after the commit, so a crash in between delays an event instead of losing it and
 * a messaging outage queues it instead of failing the request (ADR 0014).
 */
export async function enqueueApiEvents(
  tx: Prisma.TransactionClient,
  events: readonly AnyEvent[],
): Promise<void> {
  await enqueueOutboxEvents(
    tx,
    API_OUTBOX_PUBLISHER,
    events.map((event) => ({
      eventId: event.id,
      eventType: event.type,
      payload: event as unknown as Prisma.InputJsonValue,
    })),
  );
}
