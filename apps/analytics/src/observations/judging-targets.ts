import { recipientsOf, type AlertRecipient, type WatchRules } from './alert-rules';
import type { AlertThresholds } from './change-detection';
import { decimalOf, type Sql } from './sql';

/** Whose rules an observation of a target is judged by. */
export interface JudgingTarget {
  /** Null for a target this database does not know. */
  targetId: string | null;
  recipients: AlertRecipient[];
}

interface TargetWatchRow {
  target_id: string;
  min_amount: string | null;
  min_percent: string | null;
  watch_id: string | null;
  account_id: string | null;
  watch_min_amount: string | null;
  watch_min_percent: string | null;
  target_price: string | null;
  alert_kinds: string[] | null;
  labels: string[] | null;
}

/**
 * The targets' active watches as recipients, read in one query for a single observation or a
 * batch: a paused watch raises nothing while it is paused (ADR 0029). An unknown target is judged
 * by `fallback` with no account.
 */
export async function judgingTargets(
  sql: Sql,
  targetIds: readonly string[],
  fallback: AlertThresholds,
): Promise<(targetId: string) => JudgingTarget> {
  const rows = await sql<TargetWatchRow>(
    `SELECT t.id::text AS target_id, t.alert_min_change_amount::text AS min_amount,
            t.alert_min_change_percent::text AS min_percent, w.id::text AS watch_id,
            w.account_id::text AS account_id, w.min_change_amount::text AS watch_min_amount,
            w.min_change_percent::text AS watch_min_percent, w.target_price::text AS target_price,
            w.alert_kinds::text[] AS alert_kinds, w.labels
       FROM targets AS t
       LEFT JOIN watches AS w ON w.target_id = t.id AND w.paused_at IS NULL
      WHERE t.id = ANY($1::uuid[])
      ORDER BY t.id, w.id`,
    [[...new Set(targetIds)]],
  );
  const byTarget = new Map<string, { rules: AlertThresholds; watches: WatchRules[] }>();
  for (const row of rows) {
    const target = byTarget.get(row.target_id) ?? {
      rules: {
        minChangeAmount: decimalOf(row.min_amount)!,
        minChangePercent: decimalOf(row.min_percent)!,
      },
      watches: [],
    };
    if (row.watch_id !== null)
      target.watches.push({
        id: row.watch_id,
        accountId: row.account_id!,
        minChangeAmount: decimalOf(row.watch_min_amount)!,
        minChangePercent: decimalOf(row.watch_min_percent)!,
        targetPrice: decimalOf(row.target_price),
        alertKinds: (row.alert_kinds ?? []) as WatchRules['alertKinds'],
        labels: row.labels ?? [],
      });
    byTarget.set(row.target_id, target);
  }
  const known = new Map<string, JudgingTarget>(
    [...byTarget].map(([targetId, { rules, watches }]) => [
      targetId,
      { targetId, recipients: recipientsOf(watches, rules) },
    ]),
  );
  const unknown: JudgingTarget = { targetId: null, recipients: recipientsOf([], fallback) };
  return (targetId) => known.get(targetId) ?? unknown;
}
