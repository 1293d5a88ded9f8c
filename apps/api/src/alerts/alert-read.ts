import type { Alert as AlertDto } from '@shelfwatch/contracts';
import { moneyOfText as money } from '../read/money';
import { epochMsSql, idBeforeSql, isoTimeOfEpochMs, trimmedScale } from '../read/sql-text';
import type { SqlArrayRunner } from '../read/sql-runner';

export interface AlertReadQuery {
  accountId: string;
  /** Alerts older than this id (the page token's). */
  beforeId?: string;
  productId?: string;
  kind?: AlertDto['kind'];
  take: number;
}

/**
 * A row of the alerts' statement, its columns in order (rows come as arrays, `SqlArrayRunner`):
 * amounts and percentages as NUMERIC text, times as epoch milliseconds.
 */
export type AlertRow = readonly [
  id: string,
  productId: string,
  targetId: string | null,
  watchId: string | null,
  kind: AlertDto['kind'],
  previousAmount: string | null,
  previousCurrency: string | null,
  currentAmount: string | null,
  currentCurrency: string | null,
  previousAvailability: AlertDto['previousAvailability'],
  availability: AlertDto['availability'],
  changePercent: string | null,
  observedAtMs: number,
  createdAtMs: number,
  eventId: string | null,
];

/**
 * An account's alerts, newest first (ids are UUIDv7), in one statement. Amounts as PostgreSQL
 * prints them (formatAmount drops zeros beyond the minor units) and times as epoch milliseconds:
 * `trim_scale` and `to_char` on every row cost the database more than printing them in Node
 * (`trimmedScale`, `isoTimeOfEpochMs`).
 * NUMERIC and enum columns are sent as they are: pg hands both over as the text a `::text` cast
 * gives, without the cast's extra text conversion per value (ADR 0046).
 */
const alertsSql = (filters: string, limit: string) => `
  SELECT id, product_id, target_id, watch_id, kind, previous_amount, previous_currency,
         current_amount, current_currency, previous_availability, current_availability,
         change_percent,
         ${epochMsSql('observed_at')} AS observed_at_ms,
         ${epochMsSql('created_at')} AS created_at_ms,
         event_id
    FROM alerts
   WHERE account_id = $1::uuid
     AND ${idBeforeSql('id', '$2')}${filters}
   ORDER BY id DESC
   LIMIT ${limit}`;

// Unfiltered pages, the common read, have a statement of their own: its cached generic plan walks
// the (account_id, id) index backwards and stops at the page's end, where optional filters in
// the same statement would make it read and sort all of the account's alerts (ADR 0031).
const ALERTS_SQL = alertsSql('', '$3');
const FILTERED_ALERTS_SQL = alertsSql(
  `
     AND ($3::uuid IS NULL OR product_id = $3::uuid)
     AND ($4::text IS NULL OR kind::text = $4::text)`,
  '$5',
);

/** A row as the contract's alert (what `alertsJson` prints, and tests). */
export function toAlertDto(row: AlertRow): AlertDto {
  const [
    id,
    productId,
    targetId,
    watchId,
    kind,
    previousAmount,
    previousCurrency,
    currentAmount,
    currentCurrency,
    previousAvailability,
    availability,
    changePercent,
    observedAtMs,
    createdAtMs,
    eventId,
  ] = row;
  return {
    id,
    productId,
    targetId,
    watchId,
    kind,
    previous: money(previousAmount, previousCurrency),
    current: money(currentAmount, currentCurrency),
    previousAvailability,
    availability,
    changePercent: changePercent === null ? null : trimmedScale(changePercent),
    observedAt: isoTimeOfEpochMs(observedAtMs),
    createdAt: isoTimeOfEpochMs(createdAtMs),
    eventId,
  };
}

/** A page of rows; `alertsJson` prints them. */
export async function readAlerts(sql: SqlArrayRunner, query: AlertReadQuery): Promise<AlertRow[]> {
  const beforeId = query.beforeId ?? null;
  return query.productId === undefined && query.kind === undefined
    ? sql<AlertRow>(ALERTS_SQL, [query.accountId, beforeId, query.take])
    : sql<AlertRow>(FILTERED_ALERTS_SQL, [
        query.accountId,
        beforeId,
        query.productId ?? null,
        query.kind ?? null,
        query.take,
      ]);
}
