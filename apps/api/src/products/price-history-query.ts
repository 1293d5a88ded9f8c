import type { PricePoint } from '@shelfwatch/contracts';
import { moneyOfText as money } from '../read/money';
import type { SqlRunner } from '../read/sql-runner';
import { decimalSql, epochMsSql, isoTimeOfEpochMs } from '../read/sql-text';

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
  observed_at_ms: string | null;
  amount: string | null;
  list_price: string | null;
  currency: string | null;
  availability: PricePoint['availability'] | null;
  not_modified: boolean | null;
  run_id: string | null;
}

const PRICE_HISTORY_SQL = `
  SELECT c.found AS cursor_found, pt.id, ${epochMsSql('pt.observed_at')} AS observed_at_ms,
         ${decimalSql('pt.amount')} AS amount, ${decimalSql('pt.list_price')} AS list_price,
         pt.currency, pt.availability::text AS availability, pt.not_modified, pt.run_id
    FROM products p
    LEFT JOIN LATERAL (
      SELECT true AS found, cp.observed_at, cp.id FROM price_points cp
       WHERE cp.id = $3::uuid AND cp.product_id = p.id
    ) c ON true
    LEFT JOIN LATERAL (
      SELECT pp.* FROM price_points pp
       WHERE pp.product_id = p.id
         -- Bounds rather than "$4 IS NULL OR …": index conditions in a cached generic plan too
         -- (ADR 0031); the cursor's time is a lower bound, its (time, id) the exact one.
         AND pp.observed_at >= greatest(coalesce($4::timestamptz, '-infinity'::timestamptz),
                                        coalesce(c.observed_at, '-infinity'::timestamptz))
         AND pp.observed_at <= coalesce($5::timestamptz, 'infinity'::timestamptz)
         AND ($3::uuid IS NULL OR (pp.observed_at, pp.id) > (c.observed_at, c.id))
       ORDER BY pp.observed_at, pp.id
       LIMIT $6
    ) pt ON true
   WHERE p.id = $1::uuid
     AND EXISTS (SELECT 1 FROM watches w
                  WHERE w.target_id = p.target_id AND w.account_id = $2::uuid)
   ORDER BY pt.observed_at, pt.id`;

/**
 * A page of a product's price history in one statement: whether the account sees the product
 * (no row at all when not), whether the page token's point belongs to it, and the points after
 * that cursor, ordered by (observed_at, id). Amounts come back as the contract's text (no
 * Decimal per point), times as epoch milliseconds that Node prints: cheaper than `to_char` on
 * every row of a long history.
 */
export async function readPriceHistory(
  sql: SqlRunner,
  query: PriceHistoryQuery,
): Promise<PriceHistoryRead> {
  const afterId = query.afterId ?? null;
  const rows = await sql<Row>(PRICE_HISTORY_SQL, [
    query.productId,
    query.accountId,
    afterId,
    query.from ?? null,
    query.to ?? null,
    query.take,
  ]);
  const first = rows[0];
  if (!first) return { found: false };
  const points: PricePoint[] = [];
  for (const row of rows) {
    if (row.id === null) continue;
    points.push({
      id: row.id,
      observedAt: isoTimeOfEpochMs(row.observed_at_ms as string),
      price: money(row.amount, row.currency),
      listPrice: money(row.list_price, row.currency),
      availability: row.availability as PricePoint['availability'],
      notModified: row.not_modified as boolean,
      runId: row.run_id as string,
    });
  }
  return { found: true, cursorValid: afterId === null || first.cursor_found === true, points };
}
