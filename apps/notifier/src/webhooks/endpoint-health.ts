import type { Prisma, WebhookEndpoint, WebhookEndpointState } from '@shelfwatch/db';
import type { AttemptResult } from '../delivery/channel';

/**
 * Whether the notifier has disabled an endpoint. The account re-enables it through the api
 * (`enabled_at` moves on); a disable from before that no longer counts.
 */
export function disabledByNotifier(
  endpoint: Pick<WebhookEndpoint, 'enabledAt'>,
  state: Pick<WebhookEndpointState, 'disabledAt'> | null | undefined,
): boolean {
  return Boolean(state?.disabledAt && state.disabledAt > endpoint.enabledAt);
}

/**
 * Records an attempt's effect on its endpoint's health, in the attempt's transaction: a success
 * ends a failing streak; a failure starts or extends one, and one that has lasted
 * `disableAfterSeconds` disables the endpoint with the reason shown to the account.
 */
export async function recordEndpointHealth(
  tx: Prisma.TransactionClient,
  endpointId: string,
  result: AttemptResult,
  options: { disableAfterSeconds: number; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  if (result.succeeded) {
    await tx.webhookEndpointState.upsert({
      where: { endpointId },
      create: { endpointId, lastSuccessAt: now },
      update: { failingSince: null, lastSuccessAt: now },
    });
    return;
  }
  const [endpoint, state] = await Promise.all([
    tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { enabledAt: true } }),
    tx.webhookEndpointState.findUnique({ where: { endpointId } }),
  ]);
  if (!endpoint) return;
  // A streak from before the account re-enabled the endpoint starts over.
  const streakStart =
    state?.failingSince && state.failingSince > endpoint.enabledAt ? state.failingSince : now;
  const failingFor = (now.getTime() - streakStart.getTime()) / 1000;
  const disable = failingFor >= options.disableAfterSeconds && !disabledByNotifier(endpoint, state);
  const fields = {
    failingSince: streakStart,
    lastFailureAt: now,
    lastError: result.error,
    ...(disable
      ? {
          disabledAt: now,
          disabledReason: `Every delivery failed from ${streakStart.toISOString()} to ${now.toISOString()} (last: ${result.error ?? 'failed'}). Fix the endpoint, then PATCH {"enabled": true} to resume.`,
        }
      : {}),
  };
  await tx.webhookEndpointState.upsert({
    where: { endpointId },
    create: { endpointId, ...fields },
    update: fields,
  });
}
