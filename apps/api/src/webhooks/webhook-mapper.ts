import type { Webhook as WebhookDto, WebhookStatus } from '@shelfwatch/contracts';
import type { WebhookEndpoint, WebhookEndpointState } from '@shelfwatch/db';

/** The notifier disables; the account's later re-enable (enabled_at) overrides it. */
function statusOf(
  row: WebhookEndpoint,
  state: WebhookEndpointState | null | undefined,
): { status: WebhookStatus; disabledReason: string | null } {
  if (!row.enabled) return { status: 'paused', disabledReason: null };
  if (state?.disabledAt && state.disabledAt > row.enabledAt)
    return { status: 'disabled', disabledReason: state.disabledReason };
  return { status: 'active', disabledReason: null };
}

export function toWebhookDto(
  row: WebhookEndpoint,
  state: WebhookEndpointState | null | undefined,
  now = new Date(),
): WebhookDto {
  const graceEnds =
    row.previousSecretExpiresAt && row.previousSecretExpiresAt > now
      ? row.previousSecretExpiresAt.toISOString()
      : null;
  return {
    id: row.id,
    url: row.url,
    kinds: row.kinds,
    watchId: row.watchId,
    label: row.label,
    enabled: row.enabled,
    ...statusOf(row, state),
    previousSecretExpiresAt: graceEnds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
