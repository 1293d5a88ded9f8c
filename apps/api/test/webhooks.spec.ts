import { newId, webhookIdOf, type EventOf } from '@shelfwatch/contracts';
import { createOutboxStore, openSecret, type PrismaClient } from '@shelfwatch/db';
import {
  createOutboxRelay,
  createPostgresMessaging,
  type Messaging,
  type OutboxRelay,
} from '@shelfwatch/messaging';
import type { Express } from 'express';
import { API_OUTBOX_PUBLISHER } from '../src/outbox/api-outbox';
import {
  createTestAccount,
  startApiHarness,
  testAddressGuard,
  testLogger,
  testWebhookOptions,
  withKey,
  type ApiHarness,
  type TestAccount,
} from './api-harness';

const HOOK = 'https://93.184.215.14/hooks/shelfwatch';

/** The address forms the address guard's own tests refuse, one per reason at least. */
const REFUSED: Array<[string, string]> = [
  ['https://127.0.0.1/hook', 'loopback'],
  ['https://localhost/hook', 'loopback'],
  ['https://[::1]/hook', 'loopback'],
  ['https://2130706433/hook', 'loopback'],
  ['https://0x7f.1/hook', 'loopback'],
  ['https://10.1.2.3/hook', 'private'],
  ['https://192.168.0.10/hook', 'private'],
  ['https://172.16.5.4/hook', 'private'],
  ['https://[fd00::1]/hook', 'private'],
  ['https://169.254.1.1/hook', 'link-local'],
  ['https://[fe80::1]/hook', 'link-local'],
  ['https://169.254.169.254/computeMetadata/v1/', 'metadata'],
  ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
  ['https://0.0.0.0/hook', 'unspecified'],
];

describe('webhooks API: endpoints per account, secrets shown once, guarded URLs', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let messaging: Messaging;
  let relay: OutboxRelay;
  let app: Express;
  let alice: TestAccount;
  let bob: TestAccount;
  const webhookOptions = testWebhookOptions();
  const requested: Array<EventOf<'webhook.delivery-requested'>> = [];

  beforeAll(async () => {
    harness = await startApiHarness(async ({ database, prisma }) => {
      messaging = createPostgresMessaging({
        transport: 'postgres',
        databaseUrl: database.url,
        logger: testLogger,
        source: 'shelfwatch/api',
      });
      // Stands in for the notifier: records what the api asks it to deliver.
      messaging.subscribe(
        'webhook.delivery-requested',
        async (event) => {
          requested.push(event);
        },
        { subscription: 'test.webhook-delivery-requested', minBackoffSeconds: 1 },
      );
      await messaging.start();
      relay = createOutboxRelay({
        source: createOutboxStore(prisma, API_OUTBOX_PUBLISHER, { maxBackoffMs: 200 }),
        messaging,
        logger: testLogger,
        pollIntervalMs: 100,
      });
      relay.start();
      return { messaging, relay, webhooks: webhookOptions };
    });
    ({ app, prisma } = harness);
    alice = await createTestAccount(prisma, { name: 'webhook-alice' });
    bob = await createTestAccount(prisma, { name: 'webhook-bob' });
  });

  afterAll(async () => {
    await relay.stop();
    await messaging.stop();
    await harness.close();
  });

  const asAlice = () => withKey(app, alice.apiKey.key);
  const asBob = () => withKey(app, bob.apiKey.key);

  const eventually = async <T>(probe: () => T | undefined, ms = 15_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((wake) => setTimeout(wake, 100));
    }
  };

  it('creates an endpoint, shows its secret once and stores it only sealed', async () => {
    const created = await asAlice()
      .post('/v1/webhooks')
      .send({ url: HOOK, kinds: ['price_drop', 'back_in_stock'], label: 'kitchen' });

    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/v1/webhooks/${created.body.id}`);
    expect(created.body).toMatchObject({
      url: HOOK,
      kinds: ['price_drop', 'back_in_stock'],
      label: 'kitchen',
      watchId: null,
      enabled: true,
      status: 'active',
      disabledReason: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const read = await asAlice().get(`/v1/webhooks/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(JSON.stringify(read.body)).not.toContain(created.body.secret.slice(6));

    const row = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.secretSealed).not.toContain(created.body.secret.slice(6));
    expect(openSecret(webhookOptions.sealingKey, row.secretSealed)).toBe(created.body.secret);
  });

  it.each(REFUSED)(
    'refuses %s at creation with 422 naming the reason (%s)',
    async (url, reason) => {
      const before = await prisma.webhookEndpoint.count();
      const response = await asAlice().post('/v1/webhooks').send({ url });

      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.type).toBe('https://shelfwatch.dev/problems/address-refused');
      expect(response.body.reason).toContain(reason);
      expect(await prisma.webhookEndpoint.count()).toBe(before);
    },
  );

  it('refuses a host that does not resolve, plain http, and a change of URL to a refused one', async () => {
    const unresolvable = await asAlice()
      .post('/v1/webhooks')
      .send({ url: 'https://metadata.google.internal.invalid/hook' });
    expect(unresolvable.status).toBe(422);
    expect(unresolvable.body.reason).toBe('unresolvable host');

    const http = await asAlice().post('/v1/webhooks').send({ url: 'http://93.184.215.14/hook' });
    expect(http.status).toBe(422);
    expect(http.body.reason).toBe('not https');

    const created = await asAlice().post('/v1/webhooks').send({ url: HOOK });
    const moved = await asAlice()
      .patch(`/v1/webhooks/${created.body.id}`)
      .send({ url: 'https://169.254.169.254/latest/meta-data/' });
    expect(moved.status).toBe(422);
    expect(moved.body.reason).toContain('metadata');
    const kept = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(kept.url).toBe(HOOK);
  });

  it('accepts a loopback receiver over http only through the local allow-list', async () => {
    const local = harness.appWith({
      addressGuard: testAddressGuard(['127.0.0.1', 'localhost']),
      webhooks: testWebhookOptions({ allowHttp: true }),
    });
    const response = await withKey(local, alice.apiKey.key)
      .post('/v1/webhooks')
      .send({ url: 'http://127.0.0.1:9999/hook' });
    expect(response.status).toBe(201);
    const stillPrivate = await withKey(local, alice.apiKey.key)
      .post('/v1/webhooks')
      .send({ url: 'http://10.0.0.1/hook' });
    expect(stillPrivate.status).toBe(422);
  });

  it("keeps accounts apart: another account's endpoint is 404 and never listed", async () => {
    const created = await asAlice().post('/v1/webhooks').send({ url: HOOK });
    const id = created.body.id;

    expect((await asBob().get(`/v1/webhooks/${id}`)).status).toBe(404);
    expect((await asBob().patch(`/v1/webhooks/${id}`).send({ enabled: false })).status).toBe(404);
    expect((await asBob().post(`/v1/webhooks/${id}/test`)).status).toBe(404);
    expect((await asBob().post(`/v1/webhooks/${id}/rotate-secret`).send({})).status).toBe(404);
    expect((await asBob().get(`/v1/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await asBob().delete(`/v1/webhooks/${id}`)).status).toBe(404);
    const bobs = await asBob().get('/v1/webhooks');
    expect(bobs.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    const alices = await asAlice().get('/v1/webhooks');
    expect(alices.body.items.map((item: { id: string }) => item.id)).toContain(id);

    const bobsWatchFilter = await asAlice()
      .post('/v1/webhooks')
      .send({ url: HOOK, watchId: newId() });
    expect(bobsWatchFilter.status).toBe(422);
  });

  it('rotates the secret, keeping the old one for the grace period', async () => {
    const created = await asAlice().post('/v1/webhooks').send({ url: HOOK });
    const rotated = await asAlice()
      .post(`/v1/webhooks/${created.body.id}/rotate-secret`)
      .send({ graceSeconds: 3600 });

    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    const graceEnds = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(graceEnds).toBeGreaterThan(Date.now() + 3500_000);
    expect(graceEnds).toBeLessThan(Date.now() + 3700_000);
    const row = await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(openSecret(webhookOptions.sealingKey, row.secretSealed)).toBe(rotated.body.secret);
    expect(openSecret(webhookOptions.sealingKey, row.previousSecretSealed!)).toBe(
      created.body.secret,
    );

    const bad = await asAlice()
      .post(`/v1/webhooks/${created.body.id}/rotate-secret`)
      .send({ graceSeconds: -1 });
    expect(bad.status).toBe(400);
  });

  it('asks the notifier for a ping by event, and refuses one for a paused endpoint', async () => {
    const created = await asAlice().post('/v1/webhooks').send({ url: HOOK });
    const ping = await asAlice().post(`/v1/webhooks/${created.body.id}/test`);

    expect(ping.status).toBe(202);
    expect(ping.body.webhookId).toBe(webhookIdOf(ping.body.eventId, created.body.id));
    const event = await eventually(() => requested.find((e) => e.id === ping.body.eventId));
    expect(event.data).toEqual({
      accountId: alice.accountId,
      endpointId: created.body.id,
      request: 'ping',
    });
    // Queued in the api's outbox like every event the api publishes, then relayed.
    const queued = await prisma.outboxEvent.findFirstOrThrow({
      where: { publisher: API_OUTBOX_PUBLISHER, eventId: ping.body.eventId },
    });
    expect(queued.eventType).toBe('webhook.delivery-requested');

    const paused = await asAlice()
      .patch(`/v1/webhooks/${created.body.id}`)
      .send({ enabled: false });
    expect(paused.body.status).toBe('paused');
    expect((await asAlice().post(`/v1/webhooks/${created.body.id}/test`)).status).toBe(409);
  });

  it('lists attempts with their outcome and resends only a dead delivery', async () => {
    const created = await asAlice().post('/v1/webhooks').send({ url: HOOK });
    const endpointId = created.body.id as string;
    const [deadEvent, deliveredEvent] = [newId(), newId()];
    // What the notifier records (its tables; the api only reads them).
    const key = { channel: 'webhook' as const, channelId: endpointId, accountId: alice.accountId };
    for (const [eventId, succeeded] of [
      [deadEvent, false],
      [deliveredEvent, true],
    ] as const) {
      await prisma.deliveryAttempt.create({
        data: {
          id: newId(),
          eventId,
          eventType: 'alert.raised',
          ...key,
          webhookId: webhookIdOf(eventId, endpointId),
          startedAt: new Date(),
          latencyMs: 12,
          status: succeeded ? 200 : 500,
          succeeded,
          responseExcerpt: succeeded ? 'ok' : 'boom',
          error: succeeded ? null : 'answered 500',
        },
      });
      await prisma.channelDelivery.create({
        data: {
          id: newId(),
          eventId,
          eventType: 'alert.raised',
          ...key,
          webhookId: webhookIdOf(eventId, endpointId),
          payload: '{}',
          outcome: succeeded ? 'delivered' : 'dead',
          attempts: 1,
          finishedAt: new Date(),
        },
      });
    }

    const list = await asAlice().get(`/v1/webhooks/${endpointId}/deliveries`);
    expect(list.status).toBe(200);
    expect(
      list.body.items.map((item: { eventId: string; status: number; delivery: string }) => [
        item.eventId,
        item.status,
        item.delivery,
      ]),
    ).toEqual([
      [deliveredEvent, 200, 'delivered'],
      [deadEvent, 500, 'dead'],
    ]);
    expect(list.body.items[1]).toMatchObject({ latencyMs: 12, responseExcerpt: 'boom' });

    const resend = await asAlice().post(
      `/v1/webhooks/${endpointId}/deliveries/${deadEvent}/resend`,
    );
    expect(resend.status).toBe(202);
    expect(resend.body).toEqual({
      eventId: deadEvent,
      webhookId: webhookIdOf(deadEvent, endpointId),
    });
    const event = await eventually(() =>
      requested.find((e) => e.data.request === 'resend' && e.data.eventId === deadEvent),
    );
    expect(event.data.endpointId).toBe(endpointId);

    const again = await asAlice().post(
      `/v1/webhooks/${endpointId}/deliveries/${deliveredEvent}/resend`,
    );
    expect(again.status).toBe(409);
    const unknown = await asAlice().post(`/v1/webhooks/${endpointId}/deliveries/${newId()}/resend`);
    expect(unknown.status).toBe(404);
  });

  it('answers 503 when the server has no webhook key, after authentication', async () => {
    const bare = harness.appWith({ webhooks: undefined });
    expect((await withKey(bare, alice.apiKey.key).get('/v1/webhooks')).status).toBe(503);
  });
});
