import type { Availability } from '@shelfwatch/contracts';
import { Prisma } from '@shelfwatch/db';
import type { ObservedState } from './change-detection';

type Tx = Prisma.TransactionClient;

/** One observed point of a product's price history, in the order the history is judged in. */
export interface HistoryPoint {
  /** The observation.recorded event it came from: breaks ties between equal times. */
  sourceEventId: string;
  observedAt: Date;
  state: ObservedState;
}

interface PointRow {
  source_event_id: string;
  observed_at: Date;
  amount: string | null;
  currency: string | null;
  availability: Availability;
}

export interface Neighbours {
  previous: HistoryPoint | null;
  next: HistoryPoint | null;
}

/**
 * The observed points right before and right after a point of a product's history, ordered by
 * (observed_at, source_event_id) so equal times still have one order whatever arrived first.
 * Not-modified points repeat a state already in the history and are left out: they change
 * nothing, so they must not split a change into two. The caller holds the product's lock.
 */
export async function neighboursOf(
  tx: Tx,
  productId: string,
  point: Pick<HistoryPoint, 'sourceEventId' | 'observedAt'>,
): Promise<Neighbours> {
  const rows = await tx.$queryRaw<Array<PointRow & { side: 'previous' | 'next' }>>`
    (SELECT 'previous' AS side, source_event_id::text, observed_at, amount::text, currency,
            availability::text AS availability
       FROM price_points
      WHERE product_id = ${productId}::uuid AND NOT not_modified
        AND (observed_at, source_event_id) < (${point.observedAt}::timestamptz, ${point.sourceEventId}::uuid)
      ORDER BY observed_at DESC, source_event_id DESC
      LIMIT 1)
    UNION ALL
    (SELECT 'next' AS side, source_event_id::text, observed_at, amount::text, currency,
            availability::text AS availability
       FROM price_points
      WHERE product_id = ${productId}::uuid AND NOT not_modified
        AND (observed_at, source_event_id) > (${point.observedAt}::timestamptz, ${point.sourceEventId}::uuid)
      ORDER BY observed_at, source_event_id
      LIMIT 1)`;
  const of = (side: 'previous' | 'next') => {
    const row = rows.find((candidate) => candidate.side === side);
    return row ? historyPointOf(row) : null;
  };
  return { previous: of('previous'), next: of('next') };
}

function historyPointOf(row: PointRow): HistoryPoint {
  return {
    sourceEventId: row.source_event_id,
    observedAt: row.observed_at,
    state: {
      amount: row.amount === null ? null : new Prisma.Decimal(row.amount),
      currency: row.currency,
      availability: row.availability,
    },
  };
}
