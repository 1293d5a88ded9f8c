import { SPARKLINE_DAYS, SPARKLINE_MAX_POINTS, type WatchSparkline } from '@shelfwatch/contracts';
import { moneyOfText } from '../read/money';
import type { SqlRunner } from '../read/sql-runner';
import { decimalSql, isoTimeSql } from '../read/sql-text';

interface Row {
  watch_id: string;
  product_id: string | null;
  observed_at: string | null;
  amount: string | null;
  currency: string | null;
}

// Values are bound ($1 account, $2 watch ids, $3 from); the constants are our own numbers.
const SPARKLINES_SQL = `
    WITH page AS (
      SELECT w.id AS watch_id, h.primary_product_id AS product_id
        FROM watches w
        LEFT JOIN target_health h ON h.target_id = w.target_id
       WHERE w.account_id = $1::uuid AND w.id = ANY($2::uuid[])
    ), recent AS (
      SELECT page.watch_id, pp.observed_at, pp.amount, pp.currency,
             pp.id AS point_id,
             row_number() OVER (
               PARTITION BY page.watch_id ORDER BY pp.observed_at DESC, pp.id DESC
             ) AS age
        FROM page
        JOIN price_points pp
          ON pp.product_id = page.product_id AND pp.observed_at >= $3::timestamptz
    ), older_runs AS (
      SELECT watch_id, observed_at, amount, currency,
             ntile(${SPARKLINE_MAX_POINTS - 2}) OVER (
               PARTITION BY watch_id ORDER BY observed_at, point_id
             ) AS run
        FROM recent
       WHERE age > 2
    ), newest_of_run AS (
      (SELECT DISTINCT ON (watch_id, run) watch_id, run, observed_at, amount, currency
         FROM older_runs
        ORDER BY watch_id, run, observed_at DESC)
      UNION ALL
      SELECT watch_id, ${SPARKLINE_MAX_POINTS + 1} - age, observed_at, amount, currency
        FROM recent
       WHERE age <= 2
    )
    SELECT page.watch_id, page.product_id, ${isoTimeSql('n.observed_at')} AS observed_at,
           ${decimalSql('n.amount')} AS amount, n.currency
      FROM page
      LEFT JOIN newest_of_run n ON n.watch_id = page.watch_id
     ORDER BY page.watch_id, n.run`;

/**
 * The last 30 days of the price of each watch's page (its primary product, from target_health)
 * for a page of an account's watches, in ONE statement: a table of watches costs one request,
 * not one price-history request per row. The two newest checks are always its last two points
 * (the change since the last check stays exact); the older ones, when there are more than fit,
 * are cut into equal runs (`ntile`) and each run gives its newest point, so a row carries at
 * most SPARKLINE_MAX_POINTS however often its page is checked. Watches of other accounts get no
 * row, so they get no sparkline.
 */
export async function readWatchSparklines(
  sql: SqlRunner,
  accountId: string,
  watchIds: readonly string[],
  now: Date,
): Promise<Map<string, WatchSparkline>> {
  const sparklines = new Map<string, WatchSparkline>();
  if (watchIds.length === 0) return sparklines;
  const from = new Date(now.getTime() - SPARKLINE_DAYS * 86_400_000);
  const rows = await sql<Row>(SPARKLINES_SQL, [accountId, watchIds, from.toISOString()]);
  for (const row of rows) {
    let sparkline = sparklines.get(row.watch_id);
    if (!sparkline) {
      sparkline = { productId: row.product_id, from: from.toISOString(), points: [] };
      sparklines.set(row.watch_id, sparkline);
    }
    if (row.observed_at)
      sparkline.points.push({
        observedAt: row.observed_at,
        price: moneyOfText(row.amount, row.currency),
      });
  }
  return sparklines;
}
