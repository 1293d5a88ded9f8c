import type { ScrapeErrorClass, Watch as WatchDto } from '@shelfwatch/contracts';
import { isoTimeOfEpochMs } from '../read/sql-text';

/**
 * A row of watch-read.ts's statement: every value but the times already in the contract's text
 * form; times as epoch milliseconds (`epochMsSql`).
 */
export interface WatchRow {
  id: string;
  target_id: string;
  url: string;
  kind: WatchDto['kind'];
  labels: string[];
  check_interval_seconds: number;
  min_change_amount: string;
  min_change_percent: string;
  target_price: string | null;
  alert_kinds: WatchDto['rules']['kinds'];
  status: WatchDto['health']['status'];
  last_checked_at_ms: number | null;
  last_outcome: WatchDto['health']['lastOutcome'];
  last_success_at_ms: number | null;
  last_failure_at_ms: number | null;
  last_error_class: string | null;
  last_error_message: string | null;
  consecutive_failures: number;
  pause_reason: string | null;
  /** When the account paused the watch (ADR 0029); null: active. */
  paused_at_ms: number | null;
  created_at_ms: number;
  updated_at_ms: number;
}

const isoTimeOrNull = (ms: number | null) => (ms === null ? null : isoTimeOfEpochMs(ms));

export function toWatchDto(row: WatchRow): WatchDto {
  return {
    id: row.id,
    targetId: row.target_id,
    url: row.url,
    kind: row.kind,
    labels: row.labels,
    checkIntervalSeconds: row.check_interval_seconds,
    rules: {
      minChangeAmount: row.min_change_amount,
      minChangePercent: row.min_change_percent,
      targetPrice: row.target_price,
      kinds: row.alert_kinds,
    },
    paused: row.paused_at_ms !== null,
    pausedAt: isoTimeOrNull(row.paused_at_ms),
    health: {
      status: row.status,
      lastCheckedAt: isoTimeOrNull(row.last_checked_at_ms),
      lastOutcome: row.last_outcome,
      lastSuccessAt: isoTimeOrNull(row.last_success_at_ms),
      lastFailureAt: isoTimeOrNull(row.last_failure_at_ms),
      lastErrorClass: row.last_error_class as ScrapeErrorClass | null,
      lastErrorMessage: row.last_error_message,
      consecutiveFailures: row.consecutive_failures,
      pauseReason: row.pause_reason,
    },
    createdAt: isoTimeOfEpochMs(row.created_at_ms),
    updatedAt: isoTimeOfEpochMs(row.updated_at_ms),
  };
}
