import { decimalSql, epochMsSql, idBeforeSql } from '../read/sql-text';
import type { SqlRunner } from '../read/sql-runner';
import type { WatchRow } from './watch-mapper';

export interface WatchReadQuery {
  accountId: string;
  /** One watch by id; with it at most one row. */
  id?: string;
  /** Watches older than this id (the page token's). */
  beforeId?: string;
  label?: string;
  take: number;
}

// Compared at millisecond precision, as the Dates the contract's timestamps are made of.
const failedLast = `date_trunc('milliseconds', h.last_failure_at) > date_trunc('milliseconds', h.last_success_at)`;

/**
 * An account's watches with their target and its health, newest first, in one statement: a
 * watch of another account is no row, so "not yours" and "no such watch" are the same 404.
 * Times as epoch milliseconds, printed in Node: `to_char` cost the database several times as
 * much per time (ADR 0046).
 * `where` picks one watch by id or pages through them.
 */
const watchesSql = (where: string) => `
  SELECT w.id, t.id AS target_id, t.url, t.kind::text AS kind, w.labels,
         w.check_interval_seconds,
         ${decimalSql('w.min_change_amount')} AS min_change_amount,
         ${decimalSql('w.min_change_percent')} AS min_change_percent,
         ${decimalSql('w.target_price')} AS target_price,
         w.alert_kinds::text[] AS alert_kinds,
         t.status::text AS status,
         ${epochMsSql('t.last_checked_at')} AS last_checked_at_ms,
         CASE WHEN h.last_success_at IS NULL AND h.last_failure_at IS NULL THEN NULL
              WHEN h.last_success_at IS NULL OR ${failedLast} THEN 'failed'
              ELSE 'succeeded' END AS last_outcome,
         ${epochMsSql('h.last_success_at')} AS last_success_at_ms,
         ${epochMsSql('h.last_failure_at')} AS last_failure_at_ms,
         h.last_error_class, h.last_error_message,
         coalesce(h.consecutive_failures, 0) AS consecutive_failures,
         -- The account's own pause first: a target is paused once no active watch is left.
         CASE WHEN t.status = 'paused' THEN CASE WHEN w.paused_at IS NOT NULL
              THEN 'You paused this watch.'
              ELSE coalesce(h.pause_reason, 'Paused by an operator.') END
              END AS pause_reason,
         ${epochMsSql('w.paused_at')} AS paused_at_ms,
         ${epochMsSql('w.created_at')} AS created_at_ms,
         ${epochMsSql('w.updated_at')} AS updated_at_ms
    FROM watches w
    JOIN targets t ON t.id = w.target_id
    LEFT JOIN target_health h ON h.target_id = t.id
   WHERE w.account_id = $1::uuid
     AND ${where}
     AND ($4::text IS NULL OR w.labels @> ARRAY[$4::text])
   ORDER BY w.id DESC
   LIMIT $5`;

// One watch by id and a page of watches are two statements, so each keeps a plan of its own
// when prepared (ADR 0031); both take the same parameters.
const WATCH_BY_ID_SQL = watchesSql(`w.id = $2::uuid AND ($3::uuid IS NULL OR w.id < $3::uuid)`);
const WATCHES_SQL = watchesSql(`$2::uuid IS NULL AND ${idBeforeSql('w.id', '$3')}`);

export function readWatches(sql: SqlRunner, query: WatchReadQuery): Promise<WatchRow[]> {
  return sql<WatchRow>(query.id === undefined ? WATCHES_SQL : WATCH_BY_ID_SQL, [
    query.accountId,
    query.id ?? null,
    query.beforeId ?? null,
    query.label ?? null,
    query.take,
  ]);
}

/** One watch of the account, or null when it has none with that id. */
export async function readWatch(
  sql: SqlRunner,
  accountId: string,
  id: string,
): Promise<WatchRow | null> {
  const [row] = await readWatches(sql, { accountId, id, take: 1 });
  return row ?? null;
}
