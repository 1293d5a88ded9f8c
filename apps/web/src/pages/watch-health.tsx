import type { Watch } from '../api/types';
import { formatAgo } from '../format';

/** An error or a pause is visible at a glance: a coloured word, the reason on hover and below. */
export function HealthBadge({ watch }: { watch: Watch }) {
  const { health } = watch;
  if (watch.paused)
    return (
      <span
        className="badge badge-paused"
        title={watch.pausedAt ? `Paused ${formatAgo(watch.pausedAt)}` : undefined}
      >
        Paused by you
      </span>
    );
  if (health.status === 'paused')
    return (
      <span className="badge badge-paused" title={health.pauseReason ?? undefined}>
        Paused{health.pauseReason ? `: ${health.pauseReason}` : ''}
      </span>
    );
  if (health.lastOutcome === 'failed')
    return (
      <span className="badge badge-error" title={health.lastErrorMessage ?? undefined}>
        Failing ({health.consecutiveFailures}×
        {health.lastErrorClass ? ` ${health.lastErrorClass}` : ''})
      </span>
    );
  if (!health.lastCheckedAt)
    return <span className="badge badge-waiting">Waiting for first check</span>;
  return <span className="badge badge-ok">OK</span>;
}

export function lastCheck(watch: Watch): string {
  return formatAgo(watch.health.lastCheckedAt);
}
