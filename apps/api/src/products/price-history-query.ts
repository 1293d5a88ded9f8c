import type { PricePoint } from '@shelfwatch/contracts';
import { moneyOfText as money } from '../read/money';
import type { SqlArrayRunner } from '../read/sql-runner';
import { epochMsSql, isoTimeOfEpochMs } from '../read/sql-text';

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

/**
 * One point as the statement answers it, its columns in order (rows come as arrays,
 * `SqlArrayRunner`): amounts as PostgreSQL prints the NUMERIC (formatAmount drops the zeros
 * beyond the minor units), the time as epoch milliseconds (`epochMsSql`).
 */
export type PricePointRow = readonly [
  id: string,
  observedAtMs: number,
  amount: string | null,
  listPrice: string | null,
  currency: string | null,
  availability: PricePoint['availability'],
  notModified: boolean,
  runId: string,
];

export type PriceHistoryRead =
  { found: false } | { found: true; cursorValid: boolean; points: PricePointRow[] };

/** A point's columns (all null in the product's row without points), then the cursor's check. */
type Row = readonly [
  id: string | null,
  observedAtMs: number | null,
  amount: string | null,
  listPrice: string | null,
  currency: string | null,
  availability: PricePoint['availability'] | null,
  notModified: boolean | null,
  runId: string | null,
  cursorFound: boolean | null,
];

/*
 * The product's row joined to its points: no row at all when the account does not see the
 * product, one row of nulls when it has no point in the range. One sort, of the page only, and
 * only the columns a point shows (the lateral page and second sort before it cost 1.0 against
 * 0.6 ms of backend CPU, measured on 365 points). NUMERIC and enum columns go as they are: pg
 * hands them over as text, the same a `::text` cast gives, without its conversion (ADR 0046).
 */
const PRICE_HISTORY_SQL = `
  SELECT pt.id, ${epochMsSql('pt.observed_at')} AS observed_at_ms, pt.amount, pt.list_price,
         pt.currency, pt.availability, pt.not_modified, pt.run_id, c.found AS cursor_found
    FROM products p
    LEFT JOIN LATERAL (
      SELECT true AS found, cp.observed_at, cp.id FROM price_points cp
       WHERE cp.id = $3::uuid AND cp.product_id = p.id
    ) c ON true
    LEFT JOIN price_points pt
      ON pt.product_id = p.id
     -- Bounds rather than "$4 IS NULL OR …": index conditions in a cached generic plan too
     -- (ADR 0031); the cursor's time is a lower bound, its (time, id) the exact one.
     AND pt.observed_at >= greatest(coalesce($4::timestamptz, '-infinity'::timestamptz),
                                    coalesce(c.observed_at, '-infinity'::timestamptz))
     AND pt.observed_at <= coalesce($5::timestamptz, 'infinity'::timestamptz)
     AND ($3::uuid IS NULL OR (pt.observed_at, pt.id) > (c.observed_at, c.id))
   WHERE p.id = $1::uuid
     -- Not correlated with p: a one-time filter in every plan. Correlated, a plan made without
     -- statistics checked the watch once per point joined (measured: 1.0 against 0.6 ms).
     AND EXISTS (SELECT 1 FROM products vp JOIN watches w ON w.target_id = vp.target_id
                  WHERE vp.id = $1::uuid AND w.account_id = $2::uuid)
   ORDER BY pt.observed_at, pt.id
   LIMIT $6`;

/**
 * A page of a product's price history in one statement: whether the account sees the product,
 * whether the page token's point belongs to it, and the points after that cursor, ordered by
 * (observed_at, id). The rows stay rows: `priceHistoryJson` prints them without building a
 * contract object per point.
 */
export async function readPriceHistory(
  sql: SqlArrayRunner,
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
  const cursorValid = afterId === null || first[8] === true;
  // No point in the range: the product's row alone, with nulls for the point. A point's row
  // carries the cursor's check last, which the printers do not read.
  const points = first[0] === null ? [] : (rows as readonly unknown[] as PricePointRow[]);
  return { found: true, cursorValid, points };
}

/** A row as the contract's point (the CSV representation and tests). */
export function toPricePoint(row: PricePointRow): PricePoint {
  const [id, observedAtMs, amount, listPrice, currency, availability, notModified, runId] = row;
  return {
    id,
    observedAt: isoTimeOfEpochMs(observedAtMs),
    price: money(amount, currency),
    listPrice: money(listPrice, currency),
    availability,
    notModified,
    runId,
  };
}
