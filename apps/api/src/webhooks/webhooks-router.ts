import type { AddressGuard } from '@shelfwatch/address-guard';
import {
  createEvent,
  CreateWebhookRequestSchema,
  encodePageToken,
  IdSchema,
  ListWebhookDeliveriesQuerySchema,
  ListWebhooksQuerySchema,
  RotateWebhookSecretRequestSchema,
  UpdateWebhookRequestSchema,
  problemTypes,
  webhookIdOf,
  type CreatedWebhook,
  type DeliveryState,
  type WebhookDeliveryAttemptList,
  type WebhookDeliveryRequestedAnswer,
  type WebhookList,
} from '@shelfwatch/contracts';
import { sealSecret, type PrismaClient, type WebhookEndpoint } from '@shelfwatch/db';
import { conflict, HttpProblem, notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router, type Response } from 'express';
import { principalOf } from '../access/principal';
import { API_EVENT_SOURCE, enqueueApiEvents, type OutboxWaker } from '../outbox/api-outbox';
import { cursorIdFrom, pageOf } from '../read/page-cursor';
import { toWebhookDto } from './webhook-mapper';
import { generateWebhookSecret } from './webhook-secret';
import { assertDeliverableUrl } from './webhook-url';

export interface WebhookRoutesDeps {
  prisma: PrismaClient;
  newId: () => string;
  addressGuard: AddressGuard;
  /** Seals signing secrets (WEBHOOK_SECRET_KEY, shared with the notifier). */
  sealingKey: Buffer;
  /** Plain http endpoints are accepted (local configuration only). */
  allowHttp: boolean;
  /**
   * Relays webhook.delivery-requested (test pings, resends) from the api's outbox; without it
   * (no messaging configured) those answer 503.
   */
  relay?: OutboxWaker;
}

function webhookNotFound(id: string) {
  return notFound(`Your account has no webhook with id ${id}`);
}

/**
 * `/v1/webhooks`: an account's endpoints. Signing and delivery are the notifier's: the api stores
 * endpoints (secrets sealed), shows each secret once, and asks the notifier for pings and resends
 * by event. The webhook-id of an event at an endpoint is derived the same way on both sides.
 */
export function webhooksRouter(deps: WebhookRoutesDeps): Router {
  const { prisma } = deps;
  const router = Router();

  const owned = async (res: Response, rawId: unknown): Promise<WebhookEndpoint> => {
    const id = parseOrThrow(IdSchema, rawId, 'path');
    const row = await prisma.webhookEndpoint.findFirst({
      where: { id, accountId: principalOf(res).accountId },
    });
    if (!row) throw webhookNotFound(id);
    return row;
  };
  const stateOf = (endpointId: string) =>
    prisma.webhookEndpointState.findUnique({ where: { endpointId } });

  const assertOwnWatch = async (accountId: string, watchId: string | null | undefined) => {
    if (!watchId) return;
    const watch = await prisma.watch.findFirst({ where: { id: watchId, accountId } });
    if (!watch)
      throw new HttpProblem({
        status: 422,
        type: problemTypes.validationFailed,
        title: 'Unknown watch',
        detail: `watchId ${watchId} is not one of your watches`,
      });
  };

  const requestDelivery = async (
    endpoint: WebhookEndpoint,
    data: { request: 'ping' } | { request: 'resend'; eventId: string },
  ): Promise<WebhookDeliveryRequestedAnswer> => {
    const { relay } = deps;
    if (!relay)
      throw HttpProblem.of('serviceUnavailable', {
        detail: 'Deliveries cannot be requested: messaging is not configured.',
        headers: { 'Retry-After': '5' },
      });
    const event = createEvent(
      'webhook.delivery-requested',
      { accountId: endpoint.accountId, endpointId: endpoint.id, ...data },
      { source: API_EVENT_SOURCE },
    );
    // Through the outbox like every event the api publishes: a messaging outage delays the
    // delivery instead of failing the request (ADR 0014).
    await prisma.$transaction((tx) => enqueueApiEvents(tx, [event]));
    relay.wake();
    const eventId = data.request === 'ping' ? event.id : data.eventId;
    return { eventId, webhookId: webhookIdOf(eventId, endpoint.id) };
  };

  router.post('/v1/webhooks', async (req, res) => {
    const { accountId } = principalOf(res);
    const body = parseOrThrow(CreateWebhookRequestSchema, req.body ?? {}, 'body');
    await assertDeliverableUrl(deps.addressGuard, body.url, { allowHttp: deps.allowHttp });
    await assertOwnWatch(accountId, body.watchId);
    const secret = generateWebhookSecret();
    const row = await prisma.webhookEndpoint.create({
      data: {
        id: deps.newId(),
        accountId,
        url: body.url,
        kinds: body.kinds,
        watchId: body.watchId,
        label: body.label,
        secretSealed: sealSecret(deps.sealingKey, secret),
      },
    });
    const created: CreatedWebhook = { ...toWebhookDto(row, null), secret };
    res.status(201).location(`/v1/webhooks/${row.id}`).json(created);
  });

  router.get('/v1/webhooks', async (req, res) => {
    const { accountId } = principalOf(res);
    const query = parseOrThrow(ListWebhooksQuerySchema, req.query, 'query');
    const beforeId = cursorIdFrom(query.page_token);
    const rows = await prisma.webhookEndpoint.findMany({
      where: { accountId, ...(beforeId ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' },
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const states = await prisma.webhookEndpointState.findMany({
      where: { endpointId: { in: page.map((row) => row.id) } },
    });
    const stateById = new Map(states.map((state) => [state.endpointId, state]));
    const body: WebhookList = {
      items: page.map((row) => toWebhookDto(row, stateById.get(row.id))),
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });

  router.get('/v1/webhooks/:id', async (req, res) => {
    const row = await owned(res, req.params.id);
    res.json(toWebhookDto(row, await stateOf(row.id)));
  });

  router.patch('/v1/webhooks/:id', async (req, res) => {
    parseOrThrow(IdSchema, req.params.id, 'path');
    const changes = parseOrThrow(UpdateWebhookRequestSchema, req.body ?? {}, 'body');
    const row = await owned(res, req.params.id);
    if (changes.url !== undefined)
      await assertDeliverableUrl(deps.addressGuard, changes.url, { allowHttp: deps.allowHttp });
    await assertOwnWatch(row.accountId, changes.watchId);
    const updated = await prisma.webhookEndpoint.update({
      where: { id: row.id },
      data: {
        ...(changes.url !== undefined ? { url: changes.url } : {}),
        ...(changes.kinds !== undefined ? { kinds: changes.kinds } : {}),
        ...(changes.watchId !== undefined ? { watchId: changes.watchId } : {}),
        ...(changes.label !== undefined ? { label: changes.label } : {}),
        // Enabling again also lifts the notifier's disable (it counts only disables after this).
        ...(changes.enabled === true ? { enabled: true, enabledAt: new Date() } : {}),
        ...(changes.enabled === false ? { enabled: false } : {}),
      },
    });
    res.json(toWebhookDto(updated, await stateOf(row.id)));
  });

  router.delete('/v1/webhooks/:id', async (req, res) => {
    const row = await owned(res, req.params.id);
    await prisma.webhookEndpoint.delete({ where: { id: row.id } });
    res.status(204).end();
  });

  router.post('/v1/webhooks/:id/rotate-secret', async (req, res) => {
    parseOrThrow(IdSchema, req.params.id, 'path');
    const body = parseOrThrow(RotateWebhookSecretRequestSchema, req.body ?? {}, 'body');
    const row = await owned(res, req.params.id);
    const secret = generateWebhookSecret();
    const graceEnds = new Date(Date.now() + body.graceSeconds * 1000);
    const updated = await prisma.webhookEndpoint.update({
      where: { id: row.id },
      data: {
        secretSealed: sealSecret(deps.sealingKey, secret),
        previousSecretSealed: body.graceSeconds > 0 ? row.secretSealed : null,
        previousSecretExpiresAt: body.graceSeconds > 0 ? graceEnds : null,
      },
    });
    const rotated: CreatedWebhook = { ...toWebhookDto(updated, await stateOf(row.id)), secret };
    res.json(rotated);
  });

  router.post('/v1/webhooks/:id/test', async (req, res) => {
    const row = await owned(res, req.params.id);
    const dto = toWebhookDto(row, await stateOf(row.id));
    if (dto.status !== 'active')
      throw conflict(`The webhook is ${dto.status}; PATCH {"enabled": true} before testing it`);
    res.status(202).json(await requestDelivery(row, { request: 'ping' }));
  });

  router.get('/v1/webhooks/:id/deliveries', async (req, res) => {
    parseOrThrow(IdSchema, req.params.id, 'path');
    const query = parseOrThrow(ListWebhookDeliveriesQuerySchema, req.query, 'query');
    const row = await owned(res, req.params.id);
    const beforeId = cursorIdFrom(query.page_token);
    const attempts = await prisma.deliveryAttempt.findMany({
      where: {
        channel: 'webhook',
        channelId: row.id,
        ...(beforeId ? { id: { lt: beforeId } } : {}),
      },
      orderBy: { id: 'desc' },
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(attempts, query.page_size);
    const outcomes = await prisma.channelDelivery.findMany({
      where: {
        channel: 'webhook',
        channelId: row.id,
        eventId: { in: [...new Set(page.map((attempt) => attempt.eventId))] },
      },
      select: { eventId: true, outcome: true },
    });
    const outcomeOf = new Map(outcomes.map((outcome) => [outcome.eventId, outcome.outcome]));
    const body: WebhookDeliveryAttemptList = {
      items: page.map((attempt) => ({
        id: attempt.id,
        eventId: attempt.eventId,
        eventType: attempt.eventType,
        webhookId: attempt.webhookId ?? '',
        startedAt: attempt.startedAt.toISOString(),
        latencyMs: attempt.latencyMs,
        status: attempt.status,
        succeeded: attempt.succeeded,
        responseExcerpt: attempt.responseExcerpt,
        error: attempt.error,
        delivery: (outcomeOf.get(attempt.eventId) ?? 'pending') satisfies DeliveryState,
      })),
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });

  router.post('/v1/webhooks/:id/deliveries/:eventId/resend', async (req, res) => {
    parseOrThrow(IdSchema, req.params.id, 'path');
    const eventId = parseOrThrow(IdSchema, req.params.eventId, 'path');
    const row = await owned(res, req.params.id);
    const delivery = await prisma.channelDelivery.findUnique({
      where: { eventId_channel_channelId: { eventId, channel: 'webhook', channelId: row.id } },
    });
    if (!delivery) throw notFound(`This webhook has no finished delivery of event ${eventId}`);
    if (delivery.outcome !== 'dead')
      throw conflict(
        `Event ${eventId} was delivered to this webhook; only dead deliveries are resent`,
      );
    const dto = toWebhookDto(row, await stateOf(row.id));
    if (dto.status !== 'active')
      throw conflict(`The webhook is ${dto.status}; PATCH {"enabled": true} before resending`);
    res.status(202).json(await requestDelivery(row, { request: 'resend', eventId }));
  });

  return router;
}

/** Stands in for the webhook routes when the api has no WEBHOOK_SECRET_KEY: 503, never 404. */
export function webhooksUnconfigured(): Router {
  const router = Router();
  router.use('/v1/webhooks', () => {
    throw HttpProblem.of('serviceUnavailable', {
      detail: 'Webhooks are not configured on this server (WEBHOOK_SECRET_KEY is not set).',
    });
  });
  return router;
}
