import type { ScrapeErrorClass, Watch as WatchDto } from '@shelfwatch/contracts';

/** A row of watch-read.ts's statement: every value already in the contract's text form. */
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
  last_checked_at: string | null;
  last_outcome: WatchDto['health']['lastOutcome'];
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error_class: string | null;
  last_error_message: string | null;
  consecutive_failures: number;
  pause_reason: string | null;
  /** When the account paused the watch (ADR 0029); null: active. */
  paused_at: string | null;
  created_at: string;
  updated_at: string;
}

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
    paused: row.paused_at !== null,
    pausedAt: row.paused_at,
    health: {
      status: row.status,
      lastCheckedAt: row.last_checked_at,
      lastOutcome: row.last_outcome,
      lastSuccessAt: row.last_success_at,
      lastFailureAt: row.last_failure_at,
      lastErrorClass: row.last_error_class as ScrapeErrorClass | null,
      lastErrorMessage: row.last_error_message,
      consecutiveFailures: row.consecutive_failures,
      pauseReason: row.pause_reason,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
