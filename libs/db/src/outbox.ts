import type { Prisma, PrismaClient } from './generated/prisma/client';

/** One event to write to the outbox: its id, type and whole envelope. */
export interface OutboxEntry {
  eventId: string;
  eventType: string;
  payload: Prisma.InputJsonValue;
}

/** An unpublished outbox row, handed to the relay's publish step. */
export interface PendingOutboxEvent {
  eventId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
}

/** What publishing one claimed event came to: published, or the reason it failed. */
export interface OutboxPublishOutcome {
  eventId: string;
  error?: string;
}

/**
 * Writes events to `publisher`'s outbox inside the transaction of the change they announce. An
 * event already there (same publisher and id) is left as it is, so writing again changes nothing.
 */
export async function enqueueOutboxEvents(
  tx: Prisma.TransactionClient,
  publisher: string,
  entries: readonly OutboxEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const { text, values } = outboxInsert(publisher, entries);
  await tx.$executeRawUnsafe(text, ...values);
}

/**
 * The statement of `enqueueOutboxEvents`, for a transaction on the pg driver (`withSqlTransaction`):
 * the entries as one jsonb parameter, `ON CONFLICT DO NOTHING` on (publisher, event id).
 */
export function outboxInsert(
  publisher: string,
  entries: readonly OutboxEntry[],
): { text: string; values: [string, string] } {
  return {
    text: `INSERT INTO outbox_events (publisher, event_id, event_type, payload)
             SELECT $1, e.event_id, e.event_type, e.payload
               FROM jsonb_to_recordset($2::jsonb) AS e(event_id uuid, event_type text, payload jsonb, ord int)
              ORDER BY e.ord
           ON CONFLICT (publisher, event_id) DO NOTHING`,
    values: [
      publisher,
      JSON.stringify(
        entries.map((entry, ord) => ({
          event_id: entry.eventId,
          event_type: entry.eventType,
          payload: entry.payload,
          ord,
        })),
      ),
    ],
  };
}

export interface OutboxStoreOptions {
  /** Longest one claimed batch may stay locked while it is published (default 30 s). */
  transactionTimeoutMs?: number;
  /** Delay before a failed event is tried again: doubles per attempt up to this (default 60 s). */
  maxBackoffMs?: number;
}

/**
 * `publisher`'s outbox as the messaging relay drives it (`createOutboxRelay` in
 * @shelfwatch/messaging): each batch is claimed with `FOR UPDATE SKIP LOCKED`, so several
 * instances relay side by side without sending a row twice at once, and marked in the same
 * transaction. A process that dies mid-batch leaves its rows unpublished: they go out again,
 * with the same event ids, from whichever relay claims them next.
 */
export function createOutboxStore(
  prisma: PrismaClient,
  publisher: string,
  options: OutboxStoreOptions = {},
) {
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  return {
    publisher,
    async relayBatch(
      limit: number,
      publish: (events: PendingOutboxEvent[]) => Promise<OutboxPublishOutcome[]>,
    ): Promise<number> {
      // Most passes find nothing: a plain read answers that without opening a transaction.
      const due = await prisma.$queryRaw<unknown[]>`
        SELECT 1 FROM outbox_events
        WHERE publisher = ${publisher} AND published_at IS NULL AND next_attempt_at <= now()
        LIMIT 1`;
      if (due.length === 0) return 0;
      return prisma.$transaction(
        async (tx) => {
          const rows = await tx.$queryRaw<
            Array<{ event_id: string; event_type: string; payload: unknown; attempts: number }>
          >`
            SELECT event_id::text, event_type, payload, attempts FROM outbox_events
            WHERE publisher = ${publisher} AND published_at IS NULL AND next_attempt_at <= now()
            ORDER BY created_at, event_id
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED`;
          if (rows.length === 0) return 0;
          const outcomes = await publish(
            rows.map((row) => ({
              eventId: row.event_id,
              eventType: row.event_type,
              payload: row.payload,
              attempts: row.attempts,
            })),
          );
          const published = outcomes.filter((outcome) => outcome.error === undefined);
          if (published.length > 0)
            await tx.outboxEvent.updateMany({
              where: { publisher, eventId: { in: published.map((outcome) => outcome.eventId) } },
              data: { publishedAt: new Date() },
            });
          for (const failed of outcomes.filter((outcome) => outcome.error !== undefined)) {
            const attempts =
              (rows.find((row) => row.event_id === failed.eventId)?.attempts ?? 0) + 1;
            await tx.outboxEvent.update({
              where: { publisher_eventId: { publisher, eventId: failed.eventId } },
              data: {
                attempts,
                lastError: failed.error!.slice(0, 2_000),
                nextAttemptAt: new Date(Date.now() + Math.min(maxBackoffMs, 500 * 2 ** attempts)),
              },
            });
          }
          return rows.length;
        },
        { timeout: options.transactionTimeoutMs ?? 30_000 },
      );
    },
    /**
     * Deletes up to `limit` of this publisher's rows published before `before` and returns how
     * many went. Unpublished rows always stay, whatever their age.
     */
    async prunePublished(before: Date, limit = 5_000): Promise<number> {
      return prisma.$executeRaw`
        DELETE FROM outbox_events
        WHERE publisher = ${publisher} AND event_id IN (
          SELECT event_id FROM outbox_events
          WHERE publisher = ${publisher} AND published_at < ${before}
          LIMIT ${limit})`;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
