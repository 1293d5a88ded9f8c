import { checkUrl, AddressGuard } from '@shelfwatch/address-guard';
import { createEvent, webhookIdOf, type EventOf } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import type { Messaging } from '@shelfwatch/messaging';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import { Webhook } from 'standardwebhooks';
import {
  alertEvent,
  createAccountRow,
  createEndpoint,
  eventually,
  newWebhookSecret,
  startNotifier,
  startPublisher,
  startReceiver,
  type Receiver,
  type RunningNotifier,
} from './notifier-harness';

/** Fisher-Yates with a seeded generator, so a failing order can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('notifier: signed webhook deliveries, retried, exactly once per endpoint', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;
  let notifier: RunningNotifier;
  let publisher: Messaging;
  let receiver: Receiver;
  let accountId: string;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
    notifier = await startNotifier(database.url);
    publisher = await startPublisher(database.url);
  });

  afterAll(async () => {
    await publisher.stop();
    await notifier.stop();
    await database.drop();
  });

  beforeEach(async () => {
    receiver = await startReceiver();
    accountId = await createAccountRow(prisma);
  });

  afterEach(async () => {
    await receiver.close();
  });

  const outcomeOf = (eventId: string, endpointId: string) =>
    prisma.channelDelivery.findUnique({
      where: { eventId_channel_channelId: { eventId, channel: 'webhook', channelId: endpointId } },
    });

  it('delivers an alert signed per Standard Webhooks, verified by the standardwebhooks library', async () => {
    const secret = newWebhookSecret();
    const endpointId = await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/hook`,
      secret,
    });
    const event = alertEvent(accountId, {
      kind: 'back_in_stock',
      previousAvailability: 'OutOfStock',
    });
    await publisher.publish(event);

    const delivered = await eventually('the delivery', () => outcomeOf(event.id, endpointId));
    expect(delivered).toMatchObject({ outcome: 'delivered', attempts: 1 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.headers['webhook-id']).toBe(webhookIdOf(event.id, endpointId));
    expect(Number(request!.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
    const payload = new Webhook(secret).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    });
    expect(payload).toEqual({
      type: 'alert.raised',
      timestamp: event.occurredAt,
      data: event.data,
    });
    expect(() =>
      new Webhook(newWebhookSecret()).verify(request!.body, {
        'webhook-id': String(request!.headers['webhook-id']),
        'webhook-timestamp': String(request!.headers['webhook-timestamp']),
        'webhook-signature': String(request!.headers['webhook-signature']),
      }),
    ).toThrow();
  });

  it('retries a receiver answering 500 three times, then 200: one success, three failures logged, one webhook-id', async () => {
    receiver.answer = (_request, index) =>
      index < 3 ? { status: 500, body: `not yet (${index + 1})` } : { status: 200, body: 'ok' };
    const endpointId = await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/hook`,
      secret: newWebhookSecret(),
    });
    const event = alertEvent(accountId);
    await publisher.publish(event);

    const delivered = await eventually('the fourth attempt', () => outcomeOf(event.id, endpointId));
    expect(delivered).toMatchObject({ outcome: 'delivered', attempts: 4 });
    const attempts = await prisma.deliveryAttempt.findMany({
      where: { eventId: event.id, channelId: endpointId },
      orderBy: { id: 'asc' },
    });
    expect(
      attempts.map((attempt) => [attempt.status, attempt.succeeded, attempt.responseExcerpt]),
    ).toEqual([
      [500, false, 'not yet (1)'],
      [500, false, 'not yet (2)'],
      [500, false, 'not yet (3)'],
      [200, true, 'ok'],
    ]);
    expect(
      attempts.every(
        (attempt) =>
          attempt.latencyMs >= 0 && attempt.error === (attempt.succeeded ? null : 'answered 500'),
      ),
    ).toBe(true);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(
      new Set([webhookIdOf(event.id, endpointId)]),
    );
    // Nothing more arrives once delivered.
    await new Promise((wake) => setTimeout(wake, 2_500));
    expect(receiver.received).toHaveLength(4);
  });

  it('gives one delivery per alert per endpoint for duplicated, shuffled alert events', async () => {
    const second = await startReceiver();
    try {
      const endpoints = [
        await createEndpoint(prisma, notifier.sealingKey, {
          accountId,
          url: `${receiver.url}/a`,
          secret: newWebhookSecret(),
        }),
        await createEndpoint(prisma, notifier.sealingKey, {
          accountId,
          url: `${second.url}/b`,
          secret: newWebhookSecret(),
        }),
      ];
      const alerts = Array.from({ length: 12 }, (_, n) =>
        alertEvent(accountId, { kind: n % 2 === 0 ? 'price_drop' : 'back_in_stock' }),
      );
      // Each published two or three times, all of them in a shuffled order, many at once.
      const copies = alerts.flatMap((event, n) => Array.from({ length: 2 + (n % 2) }, () => event));
      await Promise.all(shuffled(copies, 20261201).map((event) => publisher.publish(event)));

      await eventually(
        'every alert at both endpoints',
        async () =>
          (await prisma.channelDelivery.count({ where: { channelId: { in: endpoints } } })) ===
            24 || undefined,
      );
      // Let any straggling copy run: it must send nothing.
      await new Promise((wake) => setTimeout(wake, 2_500));
      for (const [index, server] of [receiver, second].entries()) {
        const ids = server.received.map((request) => String(request.headers['webhook-id']));
        expect(ids).toHaveLength(12);
        expect(new Set(ids)).toEqual(
          new Set(alerts.map((event) => webhookIdOf(event.id, endpoints[index]!))),
        );
      }
      expect(await prisma.deliveryAttempt.count({ where: { channelId: { in: endpoints } } })).toBe(
        24,
      );
    } finally {
      await second.close();
    }
  });

  it("delivers only what an endpoint's kinds, watch and label filters ask for", async () => {
    const watchId = alertEvent(accountId).data.watchId;
    const byKind = await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/kind`,
      secret: newWebhookSecret(),
      kinds: ['back_in_stock'],
    });
    const byWatch = await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/watch`,
      secret: newWebhookSecret(),
      watchId,
    });
    const byLabel = await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/label`,
      secret: newWebhookSecret(),
      label: 'garden',
    });
    const otherAccount = await createAccountRow(prisma);
    await createEndpoint(prisma, notifier.sealingKey, {
      accountId: otherAccount,
      url: `${receiver.url}/other`,
      secret: newWebhookSecret(),
    });
    const drop = alertEvent(accountId, { kind: 'price_drop', watchId, watchLabels: ['kitchen'] });
    const restock = alertEvent(accountId, { kind: 'back_in_stock', watchLabels: ['garden'] });
    await publisher.publish(drop);
    await publisher.publish(restock);

    await eventually('three deliveries', () => (receiver.received.length >= 3 ? true : undefined));
    await new Promise((wake) => setTimeout(wake, 1_500));
    const got = receiver.received.map((r) => `${r.url} ${JSON.parse(r.body).data.kind}`).sort();
    expect(got).toEqual(['/kind back_in_stock', '/label back_in_stock', '/watch price_drop']);
    expect(await outcomeOf(drop.id, byKind)).toBeNull();
    expect(await outcomeOf(restock.id, byWatch)).toBeNull();
    expect(await outcomeOf(drop.id, byLabel)).toBeNull();
  });

  it('signs with both secrets during a rotation, each verifying on its own', async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/hook`,
      secret: current,
      previousSecret: previous,
    });
    await publisher.publish(alertEvent(accountId));

    const [request] = await eventually('the delivery', () =>
      receiver.received.length ? receiver.received : undefined,
    );
    const headers = {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(request!.body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(request!.body, headers)).not.toThrow();
  });

  it('does not follow a redirect: the target of the 3xx gets nothing', async () => {
    const elsewhere = await startReceiver();
    try {
      receiver.answer = () => ({ status: 307, headers: { location: `${elsewhere.url}/stolen` } });
      const endpointId = await createEndpoint(prisma, notifier.sealingKey, {
        accountId,
        url: `${receiver.url}/hook`,
        secret: newWebhookSecret(),
      });
      const event = alertEvent(accountId);
      await publisher.publish(event);

      const attempt = await eventually('an attempt', () =>
        prisma.deliveryAttempt
          .findFirst({ where: { eventId: event.id, channelId: endpointId } })
          .then((a) => a ?? undefined),
      );
      expect(attempt).toMatchObject({
        status: 307,
        succeeded: false,
        error: 'answered 307 (redirects are not followed)',
      });
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it("records a delivery dead after the last attempt and keeps the endpoint's failing streak", async () => {
    receiver.answer = () => ({ status: 503, body: 'down for maintenance' });
    const endpointId = await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/hook`,
      secret: newWebhookSecret(),
    });
    const event = alertEvent(accountId);
    await publisher.publish(event);

    const dead = await eventually(
      'the dead delivery',
      () => outcomeOf(event.id, endpointId),
      45_000,
    );
    expect(dead).toMatchObject({ outcome: 'dead', attempts: 5 });
    expect(receiver.received).toHaveLength(5);
    // With the default (days) nothing was disabled by five failures in seconds.
    const state = await prisma.webhookEndpointState.findUniqueOrThrow({ where: { endpointId } });
    expect(state.disabledAt).toBeNull();
    expect(state.failingSince).not.toBeNull();
    expect(state.lastError).toBe('answered 503');
  });

  it('delivers a test ping and resends a dead delivery with its webhook-id', async () => {
    const secret = newWebhookSecret();
    receiver.answer = (_request, index) => (index < 5 ? { status: 500 } : { status: 200 });
    const endpointId = await createEndpoint(prisma, notifier.sealingKey, {
      accountId,
      url: `${receiver.url}/hook`,
      secret,
    });
    const event = alertEvent(accountId);
    await publisher.publish(event);
    await eventually(
      'the dead delivery',
      async () => (await outcomeOf(event.id, endpointId))?.outcome === 'dead' || undefined,
      45_000,
    );

    const resend = createEvent(
      'webhook.delivery-requested',
      { accountId, endpointId, request: 'resend', eventId: event.id },
      { source: 'shelfwatch/api' },
    );
    await publisher.publish(resend);
    await eventually(
      'the resend',
      async () => (await outcomeOf(event.id, endpointId))?.outcome === 'delivered' || undefined,
    );
    const last = receiver.received.at(-1)!;
    expect(last.headers['webhook-id']).toBe(webhookIdOf(event.id, endpointId));
    expect(JSON.parse(last.body).data.alertId).toBe(event.data.alertId);

    const ping: EventOf<'webhook.delivery-requested'> = createEvent(
      'webhook.delivery-requested',
      { accountId, endpointId, request: 'ping' },
      { source: 'shelfwatch/api' },
    );
    await publisher.publish(ping);
    await eventually(
      'the ping',
      async () => (await outcomeOf(ping.id, endpointId))?.outcome === 'delivered' || undefined,
    );
    const pinged = receiver.received.at(-1)!;
    const body = new Webhook(secret).verify(pinged.body, {
      'webhook-id': String(pinged.headers['webhook-id']),
      'webhook-timestamp': String(pinged.headers['webhook-timestamp']),
      'webhook-signature': String(pinged.headers['webhook-signature']),
    }) as { type: string };
    expect(body.type).toBe('webhook.ping');
    expect(pinged.headers['webhook-id']).toBe(webhookIdOf(ping.id, endpointId));
  });
});

describe('notifier: the address guard at connect time', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
  });

  afterAll(async () => {
    await database.drop();
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['private', '10.0.0.7'],
    ['link-local', '169.254.10.10'],
    ['metadata', '169.254.169.254'],
  ])(
    'refuses a host whose DNS answer turns %s after the creation check; no byte reaches it',
    async (reason, address) => {
      const receiver = await startReceiver();
      const port = new URL(receiver.url).port;
      // The name first answers a public address (what the api's creation check saw), then the
      // internal one: rebinding. Only the connect-time check stands between it and the target.
      let lookups = 0;
      const resolver = async () => [
        lookups++ === 0
          ? { address: '93.184.215.14', family: 4 as const }
          : { address, family: 4 as const },
      ];
      const notifier = await startNotifier(database.url, { allowHosts: [], resolver });
      const publisher = await startPublisher(database.url);
      try {
        const url = `http://hooks.rebind.example:${port}/hook`;
        expect(await checkUrl(new AddressGuard({ resolver }), url)).toMatchObject({ ok: true });
        const accountId = await createAccountRow(prisma);
        const endpointId = await createEndpoint(prisma, notifier.sealingKey, {
          accountId,
          url,
          secret: newWebhookSecret(),
        });
        const event = alertEvent(accountId);
        await publisher.publish(event);

        const attempt = await eventually('the refused attempt', () =>
          prisma.deliveryAttempt
            .findFirst({ where: { eventId: event.id, channelId: endpointId } })
            .then((a) => a ?? undefined),
        );
        expect(attempt.succeeded).toBe(false);
        expect(attempt.status).toBeNull();
        expect(attempt.error).toMatch(/refused by the address guard/);
        expect(attempt.error).toContain(reason);
        expect(receiver.connections).toBe(0);
        expect(receiver.received).toHaveLength(0);
      } finally {
        await publisher.stop();
        await notifier.stop();
        await receiver.close();
      }
    },
  );
});

describe('notifier: an endpoint failing for too long is disabled with the reason', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
  });

  afterAll(async () => {
    await database.drop();
  });

  it('disables it once failing longer than WEBHOOK_DISABLE_AFTER_SECONDS, and records the rest dead unsent', async () => {
    const receiver = await startReceiver();
    receiver.answer = () => ({ status: 500, body: 'broken' });
    const notifier = await startNotifier(database.url, {
      env: { WEBHOOK_DISABLE_AFTER_SECONDS: '2' },
    });
    const publisher = await startPublisher(database.url);
    try {
      const accountId = await createAccountRow(prisma);
      const endpointId = await createEndpoint(prisma, notifier.sealingKey, {
        accountId,
        url: `${receiver.url}/hook`,
        secret: newWebhookSecret(),
      });
      const event = alertEvent(accountId);
      await publisher.publish(event);

      const state = await eventually(
        'the endpoint disabled',
        () =>
          prisma.webhookEndpointState
            .findUnique({ where: { endpointId } })
            .then((row) => (row?.disabledAt ? row : undefined)),
        45_000,
      );
      expect(state.disabledReason).toMatch(/^Every delivery failed from .* \(last: answered 500\)/);
      const dead = await eventually('the delivery recorded dead', () =>
        prisma.channelDelivery.findFirst({ where: { eventId: event.id, channelId: endpointId } }),
      );
      expect(dead.outcome).toBe('dead');
      const sentBefore = receiver.received.length;

      // A later alert is recorded dead at once without a byte sent.
      const later = alertEvent(accountId);
      await publisher.publish(later);
      const skipped = await eventually('the later alert recorded', () =>
        prisma.channelDelivery.findFirst({ where: { eventId: later.id, channelId: endpointId } }),
      );
      expect(skipped).toMatchObject({ outcome: 'dead', attempts: 0 });
      expect(receiver.received).toHaveLength(sentBefore);
    } finally {
      await publisher.stop();
      await notifier.stop();
      await receiver.close();
    }
  });
});
