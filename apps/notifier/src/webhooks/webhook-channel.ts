import { webhookIdOf, type EventOf, type WebhookPayload } from '@shelfwatch/contracts';
import { openSecret, type PrismaClient, type WebhookEndpoint } from '@shelfwatch/db';
import type { Dispatcher } from 'undici';
import type { AlertChannel, AttemptResult, PreparedMessage, Recipient } from '../delivery/channel';
import { disabledByNotifier, recordEndpointHealth } from './endpoint-health';
import { postWebhook } from './post-webhook';
import { signWebhook } from './signature';

export interface WebhookChannelOptions {
  prisma: PrismaClient;
  /** Opens the sealed signing secrets (WEBHOOK_SECRET_KEY). */
  sealingKey: Buffer;
  /** Every connection goes through it: the address guard, checked at connect time. */
  dispatcher: Pick<Dispatcher, 'request'>;
  timeoutMs: number;
  /** Plain http endpoints are refused unless set (local configuration only). */
  allowHttp: boolean;
  disableAfterSeconds: number;
}

/** The body POSTed for an event (Standard Webhooks' `{ type, timestamp, data }`). */
export function alertPayload(event: EventOf<'alert.raised'>): string {
  const body: WebhookPayload = {
    type: 'alert.raised',
    timestamp: event.occurredAt,
    data: event.data,
  };
  return JSON.stringify(body);
}

/** Signing secrets in force now: the current one, and the previous one during its grace. */
export function secretsInForce(endpoint: WebhookEndpoint, key: Buffer, now = new Date()): string[] {
  const secrets = [openSecret(key, endpoint.secretSealed)];
  if (
    endpoint.previousSecretSealed &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt > now
  )
    secrets.push(openSecret(key, endpoint.previousSecretSealed));
  return secrets;
}

export function wantsAlert(
  endpoint: WebhookEndpoint,
  alert: EventOf<'alert.raised'>['data'],
): boolean {
  return (
    endpoint.kinds.includes(alert.kind) &&
    (endpoint.watchId === null || endpoint.watchId === alert.watchId) &&
    (endpoint.label === null || alert.watchLabels.includes(endpoint.label))
  );
}

/** Webhook endpoints as a notifier channel: signed Standard Webhooks POSTs. */
export function webhookChannel(options: WebhookChannelOptions): AlertChannel & {
  /** Sends a prepared message to one endpoint by id (pings and resends reuse it). */
  recipientById(accountId: string, endpointId: string): Promise<Recipient | null>;
} {
  const { prisma } = options;

  const unreachableReason = async (endpoint: WebhookEndpoint): Promise<string | undefined> => {
    if (!endpoint.enabled) return 'paused by the account';
    const state = await prisma.webhookEndpointState.findUnique({
      where: { endpointId: endpoint.id },
    });
    if (disabledByNotifier(endpoint, state)) return `disabled: ${state?.disabledReason ?? ''}`;
    return undefined;
  };

  const toRecipient = async (endpoint: WebhookEndpoint): Promise<Recipient> => {
    const unreachable = await unreachableReason(endpoint);
    return {
      channel: 'webhook',
      channelId: endpoint.id,
      accountId: endpoint.accountId,
      ...(unreachable === undefined ? {} : { unreachable }),
    };
  };

  return {
    name: 'webhook',

    async recipientsOf(event) {
      const endpoints = await prisma.webhookEndpoint.findMany({
        // Endpoints added after the alert was raised do not get it on a retry.
        where: { accountId: event.data.accountId, createdAt: { lte: new Date(event.occurredAt) } },
        orderBy: { id: 'asc' },
      });
      return Promise.all(
        endpoints.filter((endpoint) => wantsAlert(endpoint, event.data)).map(toRecipient),
      );
    },

    async recipientById(accountId, endpointId) {
      const endpoint = await prisma.webhookEndpoint.findFirst({
        where: { id: endpointId, accountId },
      });
      return endpoint ? toRecipient(endpoint) : null;
    },

    prepare(event, recipient): PreparedMessage {
      return {
        payload: alertPayload(event),
        webhookId: webhookIdOf(event.id, recipient.channelId),
      };
    },

    async send(recipient, message, tx): Promise<AttemptResult> {
      const endpoint = await tx.webhookEndpoint.findUnique({
        where: { id: recipient.channelId },
      });
      const refused = (error: string): AttemptResult => ({
        succeeded: false,
        status: null,
        latencyMs: 0,
        responseExcerpt: null,
        error,
      });
      if (!endpoint) return refused('the endpoint was deleted');
      if (message.webhookId === null) throw new Error('a webhook message needs its webhook-id');
      if (!options.allowHttp && new URL(endpoint.url).protocol !== 'https:')
        return refused('only https endpoints are delivered to');
      const headers = signWebhook(
        secretsInForce(endpoint, options.sealingKey),
        message.webhookId,
        new Date(),
        message.payload,
      );
      return postWebhook(endpoint.url, { ...headers }, message.payload, {
        dispatcher: options.dispatcher,
        timeoutMs: options.timeoutMs,
      });
    },

    async afterAttempt(tx, recipient, result) {
      await recordEndpointHealth(tx, recipient.channelId, result, {
        disableAfterSeconds: options.disableAfterSeconds,
      });
    },
  };
}
