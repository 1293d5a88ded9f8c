import type { AlertRules, ScrapeErrorClass, Watch as WatchDto } from '@shelfwatch/contracts';
import type { Target, TargetHealth, Watch } from '@shelfwatch/db';

export type WatchRow = Watch & { target: Target & { health: TargetHealth | null } };

export const watchWithTarget = { target: { include: { health: true } } } as const;

export function rulesOf(row: Watch): AlertRules {
  return {
    minChangeAmount: row.minChangeAmount.toFixed(),
    minChangePercent: row.minChangePercent.toFixed(),
    targetPrice: row.targetPrice?.toFixed() ?? null,
    kinds: row.alertKinds,
  };
}

export function toWatchDto(row: WatchRow): WatchDto {
  const { target } = row;
  const health = target.health;
  const success = health?.lastSuccessAt ?? null;
  const failure = health?.lastFailureAt ?? null;
  const lastOutcome =
    success === null && failure === null
      ? null
      : failure !== null && (success === null || failure > success)
        ? 'failed'
        : 'succeeded';
  return {
    id: row.id,
    targetId: target.id,
    url: target.url,
    kind: target.kind,
    labels: row.labels,
    checkIntervalSeconds: row.checkIntervalSeconds,
    rules: rulesOf(row),
    health: {
      status: target.status,
      lastCheckedAt: target.lastCheckedAt?.toISOString() ?? null,
      lastOutcome,
      lastSuccessAt: success?.toISOString() ?? null,
      lastFailureAt: failure?.toISOString() ?? null,
      lastErrorClass: (health?.lastErrorClass as ScrapeErrorClass | null | undefined) ?? null,
      lastErrorMessage: health?.lastErrorMessage ?? null,
      consecutiveFailures: health?.consecutiveFailures ?? 0,
      pauseReason:
        target.status === 'paused' ? (health?.pauseReason ?? 'Paused by an operator.') : null,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
