import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';

/*
 * The observation stream the ingest fault scenarios feed analytics: `index` picks one of a few
 * products, a price that moves, and an observation time a minute after the one before.
 */
export const OBSERVED_PRODUCTS = 50;
const SOURCE = { source: 'shelfwatch/faults' };

/** The time of the `index`-th event of a scenario's stream: one minute apart from 2026-01-01. */
export const minuteOf = (index: number): string =>
  new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString();

export function observationEvent(index: number): EventOf<'observation.recorded'> {
  const product = index % OBSERVED_PRODUCTS;
  const url = `http://127.0.0.1:1/products/p${product}`;
  return createEvent(
    'observation.recorded',
    {
      runId: newId(),
      targetId: newId(),
      url,
      finalUrl: url,
      fetchedAt: minuteOf(index),
      httpStatus: 200,
      notModified: false,
      offers: [
        {
          price: { amount: `${10 + (index % 7)}.00`, currency: 'EUR' },
          availability: 'InStock',
          name: `Product ${product}`,
        },
      ],
      confidence: 1,
    },
    { ...SOURCE, occurredAt: minuteOf(index) },
  );
}

/** Price points per observation event id: 1 each when every event took effect exactly once. */
export async function pricePointsByEvent(prisma: PrismaClient): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
    SELECT source_event_id::text AS key, count(*) AS n FROM price_points GROUP BY source_event_id`;
  return new Map(rows.map((row) => [row.key, Number(row.n)]));
}
