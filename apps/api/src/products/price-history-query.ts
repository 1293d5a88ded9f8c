import { formatAmount, type Money, type PricePoint } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';

export interface PriceHistoryQuery {
  productId: string;
  accountId: string;
  /** Id of the last point of the previous page (from the page token). */
  afterId?: string;
  from?: string;
  to?: string;
  /** Rows to read: the page size plus one, to tell whether another page follows. */
  take: number;
}

export type PriceHistoryRead =
  { found: false } | { found: true; cursorValid: boolean; points: PricePoint[] };

interface Row {
  cursor_found: boolean | null;
  id: string | null;
  observed_at: Date | null;
  amount: string | null;
  list_price: string | null;
  currency: string | null;
  availability: PricePoint['availability'] | null;
  not_modified: boolean | null;
  run_id: string | null;
}

function money(amount: string | null, currency: string | null): Money | null {
  return amount === null || !currency ? null : { amount: formatAmount(amount, currency), currency };
}

/**
 * A page of a product's price history in one statement: whether the account sees the product
 * (no row at all when not), whether the page token's point belongs to it, and the points after
 * that cursor, ordered by (observed_at, id). Amounts come back as text with trailing zeros
 * trimmed, the digits a Decimal's toFixed() gives, so no Decimal is built per point.
 */
export async function readPriceHistory(
  prisma: PrismaClient,
  query: PriceHistoryQuery,
): Promise<PriceHistoryRead> {
  const afterId = query.afterId ?? null;
  const from = query.from ?? null;
  const to = query.to ?? null;
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT c.found AS cursor_found, pt.id, pt.observed_at,
           trim_scale(pt.amount)::text AS amount, trim_scale(pt.list_price)::text AS list_price,
           pt.currency, pt.availability::text AS availability, pt.not_modified, pt.run_id
      FROM products p
      LEFT JOIN LATERAL (
        SELECT true AS found, cp.observed_at, cp.id FROM price_points cp
         WHERE cp.id = ${afterId}::uuid AND cp.product_id = p.id
      ) c ON true
      LEFT JOIN LATERAL (
        SELECT pp.* FROM price_points pp
         WHERE pp.product_id = p.id
           AND (${from}::timestamptz IS NULL OR pp.observed_at >= ${from}::timestamptz)
           AND (${to}::timestamptz IS NULL OR pp.observed_at <= ${to}::timestamptz)
           AND (${afterId}::uuid IS NULL OR (pp.observed_at, pp.id) > (c.observed_at, c.id))
         ORDER BY pp.observed_at, pp.id
         LIMIT ${query.take}
      ) pt ON true
     WHERE p.id = ${query.productId}::uuid
       AND EXISTS (SELECT 1 FROM watches w
                    WHERE w.target_id = p.target_id AND w.account_id = ${query.accountId}::uuid)
     ORDER BY pt.observed_at, pt.id`;
  const first = rows[0];
  if (!first) return { found: false };
  const points: PricePoint[] = [];
  for (const row of rows) {
    if (row.id === null) continue;
    points.push({
      id: row.id,
      observedAt: (row.observed_at as Date).toISOString(),
      price: money(row.amount, row.currency),
      listPrice: money(row.list_price, row.currency),
      availability: row.availability as PricePoint['availability'],
      notModified: row.not_modified as boolean,
      runId: row.run_id as string,
    });
  }
  return { found: true, cursorValid: afterId === null || first.cursor_found === true, points };
}
