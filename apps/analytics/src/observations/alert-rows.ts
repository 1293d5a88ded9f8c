import { Prisma, type Alert } from '@shelfwatch/db';
import { decimalOf, numericText as text, records, type Sql } from './sql';

/** The columns of `alerts` as `Alert` needs them, numerics as text (see `Sql`). */
const ALERT_COLUMNS = `id::text, product_id::text, target_id::text, kind::text,
  previous_amount::text, previous_currency, current_amount::text, current_currency,
  previous_availability::text, current_availability::text, change_percent::text, observed_at,
  source_event_id::text, event_id::text, announced_at, watch_id::text, account_id::text,
  created_at`;

interface AlertRow {
  id: string;
  product_id: string;
  target_id: string | null;
  kind: string;
  previous_amount: string | null;
  previous_currency: string | null;
  current_amount: string | null;
  current_currency: string | null;
  previous_availability: string | null;
  current_availability: string;
  change_percent: string | null;
  observed_at: Date;
  source_event_id: string;
  event_id: string | null;
  announced_at: Date | null;
  watch_id: string | null;
  account_id: string | null;
  created_at: Date;
}

function alertOf(row: AlertRow): Alert {
  return {
    id: row.id,
    productId: row.product_id,
    targetId: row.target_id,
    kind: row.kind as Alert['kind'],
    previousAmount: decimalOf(row.previous_amount),
    previousCurrency: row.previous_currency,
    currentAmount: decimalOf(row.current_amount),
    currentCurrency: row.current_currency,
    previousAvailability: row.previous_availability as Alert['previousAvailability'],
    currentAvailability: row.current_availability as Alert['currentAvailability'],
    changePercent: decimalOf(row.change_percent),
    observedAt: row.observed_at,
    sourceEventId: row.source_event_id,
    eventId: row.event_id,
    announcedAt: row.announced_at,
    watchId: row.watch_id,
    accountId: row.account_id,
    createdAt: row.created_at,
  };
}

/** The stored alerts of the given history points (product, source event), in one read. */
export async function storedAlertsOf(
  sql: Sql,
  points: ReadonlyArray<readonly [productId: string, sourceEventId: string]>,
): Promise<Alert[]> {
  if (points.length === 0) return [];
  const rows = await sql<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts
      WHERE (product_id, source_event_id) IN (
        SELECT p.product_id, p.source_event_id
          FROM jsonb_to_recordset($1::jsonb) AS p(product_id uuid, source_event_id uuid))`,
    [
      records(
        points.map(([productId, sourceEventId]) => ({
          product_id: productId,
          source_event_id: sourceEventId,
        })),
      ),
    ],
  );
  return rows.map(alertOf);
}

export async function deleteAlerts(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql(`DELETE FROM alerts WHERE id = ANY($1::uuid[])`, [[...ids]]);
}

/**
 * An alert row about to be inserted, as `Alert` (what reading it back would give: numerics are
 * stored as given, `numeric` without a scale, so their text and value read back the same).
 */
export function alertOfInput(row: Prisma.AlertCreateManyInput): Alert {
  const decimal = (value: unknown) => decimalOf(text(value as Prisma.Decimal | null | undefined));
  return {
    id: row.id!,
    productId: row.productId,
    targetId: row.targetId ?? null,
    kind: row.kind,
    previousAmount: decimal(row.previousAmount),
    previousCurrency: row.previousCurrency ?? null,
    currentAmount: decimal(row.currentAmount),
    currentCurrency: row.currentCurrency ?? null,
    previousAvailability: row.previousAvailability ?? null,
    currentAvailability: row.currentAvailability,
    changePercent: decimal(row.changePercent),
    observedAt: new Date(row.observedAt),
    sourceEventId: row.sourceEventId,
    eventId: row.eventId ?? null,
    announcedAt: row.announcedAt ? new Date(row.announcedAt) : null,
    watchId: row.watchId ?? null,
    accountId: row.accountId ?? null,
    createdAt: row.createdAt ? new Date(row.createdAt) : new Date(),
  };
}

/** Inserts alerts in one statement, as given (announced or not). */
export async function insertAlerts(sql: Sql, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  await sql(
    `INSERT INTO alerts (id, product_id, target_id, kind, previous_amount, previous_currency,
                         current_amount, current_currency, previous_availability,
                         current_availability, change_percent, observed_at, source_event_id,
                         event_id, announced_at, watch_id, account_id, created_at)
       SELECT a.id, a.product_id, a.target_id, a.kind::alert_kind, a.previous_amount,
              a.previous_currency, a.current_amount, a.current_currency,
              a.previous_availability::availability, a.current_availability::availability,
              a.change_percent, a.observed_at, a.source_event_id, a.event_id, a.announced_at,
              a.watch_id, a.account_id, a.created_at
         FROM jsonb_to_recordset($1::jsonb)
              AS a(id uuid, product_id uuid, target_id uuid, kind text, previous_amount numeric,
                   previous_currency text, current_amount numeric, current_currency text,
                   previous_availability text, current_availability text, change_percent numeric,
                   observed_at timestamptz, source_event_id uuid, event_id uuid,
                   announced_at timestamptz, watch_id uuid, account_id uuid,
                   created_at timestamptz, ord int)
        ORDER BY a.ord`,
    [
      records(
        alerts.map((alert, ord) => ({
          id: alert.id,
          product_id: alert.productId,
          target_id: alert.targetId,
          kind: alert.kind,
          previous_amount: text(alert.previousAmount),
          previous_currency: alert.previousCurrency,
          current_amount: text(alert.currentAmount),
          current_currency: alert.currentCurrency,
          previous_availability: alert.previousAvailability,
          current_availability: alert.currentAvailability,
          change_percent: text(alert.changePercent),
          observed_at: alert.observedAt,
          source_event_id: alert.sourceEventId,
          event_id: alert.eventId,
          announced_at: alert.announcedAt,
          watch_id: alert.watchId,
          account_id: alert.accountId,
          created_at: alert.createdAt,
          ord,
        })),
      ),
    ],
  );
}
