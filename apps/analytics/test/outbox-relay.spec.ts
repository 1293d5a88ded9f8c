import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import {
  createOutboxStore,
  createPrismaClient,
  enqueueOutboxEvents,
  type Prisma,
  type PrismaClient,
} from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, createOutboxRelay, type Messaging } from '@shelfwatch/messaging';
import { createTestDatabase, eventually, type TestDatabase } from '@shelfwatch/testing';

const logger = createLogger({ service: 'outbox-test', level: 'error' });

function priceChanged(index: number): EventOf<'price.changed'> {
  return createEvent(
    'price.changed',
    {
      productId: newId(),
      url: `https://shop.example.com/p/${index}`,
      previous: null,
      current: { amount: `${index}.00`, currency: 'EUR' },
      changeKind: 'rise',
      changePercent: null,
      observedAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(),
    },
    { source: 'shelfwatch/analytics' },
  );
}

const asEntry = (event: EventOf<'price.changed'>) => ({
  eventId: event.id,
  eventType: event.type,
  payload: event as unknown as Prisma.InputJsonValue,
});

/* The outbox store (libs/db) driven by the relay (libs/messaging) over pg-boss on a real PostgreSQL. */
describe('the outbox relay against a real PostgreSQL and pg-boss', () => {
  let database: TestDatabase<PrismaClient>;
  let messaging: Messaging;
  const received: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    messaging = createMessaging({
      transport: 'postgres',
      databaseUrl: database.url,
      logger,
      source: 'shelfwatch/outbox-test',
      pollingIntervalSeconds: 0.5,
    });
    messaging.subscribe(
      'price.changed',
      async (event) => {
        received.push(event.id);
      },
      { subscription: 'outbox-test.price-changed', maxConcurrent: 20 },
    );
    await messaging.start();
  }, 60_000);
  afterAll(async () => {
    await messaging?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    received.length = 0;
    await database.prisma.$executeRawUnsafe('TRUNCATE outbox_events');
  });

  it('publishes every row once with its own id when two relays drain one outbox side by side', async () => {
    const events = Array.from({ length: 250 }, (_, index) => priceChanged(index));
    await database.prisma.$transaction((tx) =>
      enqueueOutboxEvents(tx, 'analytics', events.map(asEntry)),
    );
    // Someone else's rows are not ours to relay.
    const foreign = priceChanged(999);
    await database.prisma.$transaction((tx) => enqueueOutboxEvents(tx, 'api', [asEntry(foreign)]));

    const relays = [1, 2].map(() =>
      createOutboxRelay({
        source: createOutboxStore(database.prisma, 'analytics'),
        messaging,
        logger,
        batchSize: 20,
        pollIntervalMs: 100,
      }),
    );
    relays.forEach((relay) => relay.start());
    try {
      await eventually('every event received', async () =>
        received.length >= events.length ? true : undefined,
      );
      // A moment for any second publish to show up.
      await new Promise((wait) => setTimeout(wait, 1_500));
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }

    expect(received.length).toBe(events.length);
    expect(new Set(received)).toEqual(new Set(events.map((event) => event.id)));
    const rows = await database.prisma.outboxEvent.findMany();
    expect(rows.filter((row) => row.publisher === 'analytics' && !row.publishedAt)).toEqual([]);
    expect(rows.find((row) => row.publisher === 'api')?.publishedAt).toBeNull();
  });

  it('keeps a row it could not publish, with the error, and tries it again later', async () => {
    const good = priceChanged(1);
    // Written by an older version, say: it no longer passes its contract.
    const broken = { ...priceChanged(2), data: { changeKind: 'sideways' } };
    await database.prisma.$transaction((tx) =>
      enqueueOutboxEvents(tx, 'analytics', [
        asEntry(good),
        { eventId: broken.id, eventType: broken.type, payload: broken as Prisma.InputJsonValue },
      ]),
    );

    const relay = createOutboxRelay({
      source: createOutboxStore(database.prisma, 'analytics', { maxBackoffMs: 200 }),
      messaging,
      logger,
      pollIntervalMs: 100,
    });
    relay.start();
    try {
      await eventually('two failed attempts recorded', async () => {
        const row = await database.prisma.outboxEvent.findFirst({ where: { eventId: broken.id } });
        return row && row.attempts >= 2 ? row : undefined;
      });
      expect(relay.health()).toEqual({ ok: true, detail: 'outbox relay running' });
    } finally {
      await relay.stop();
    }
    expect(relay.health().ok).toBe(false);

    const row = await database.prisma.outboxEvent.findFirstOrThrow({
      where: { eventId: broken.id },
    });
    expect(row.publishedAt).toBeNull();
    expect(row.lastError).toMatch(/changeKind/);
    await eventually('the good event received', async () =>
      received.includes(good.id) ? true : undefined,
    );
    expect(received).toEqual([good.id]);
  });

  it("prunes its publisher's rows published before the retention, never an unpublished or foreign one", async () => {
    const [old, recent, pending, foreign] = [1, 2, 3, 4].map(priceChanged);
    await database.prisma.$transaction(async (tx) => {
      await enqueueOutboxEvents(tx, 'analytics', [old, recent, pending].map(asEntry));
      await enqueueOutboxEvents(tx, 'api', [asEntry(foreign)]);
    });
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const markPublished = (eventId: string, at: Date) =>
      database.prisma.outboxEvent.updateMany({ where: { eventId }, data: { publishedAt: at } });
    await markPublished(old.id, daysAgo(8));
    await markPublished(recent.id, daysAgo(1));
    await markPublished(foreign.id, daysAgo(30));
    // Not yet due, so the relay does not publish it during the test.
    await database.prisma.outboxEvent.updateMany({
      where: { eventId: pending.id },
      data: { nextAttemptAt: daysAgo(-1) },
    });

    const relay = createOutboxRelay({
      source: createOutboxStore(database.prisma, 'analytics'),
      messaging,
      logger,
      pollIntervalMs: 100,
      retainPublishedMs: 7 * 86_400_000,
    });
    relay.start();
    try {
      await eventually('the old row pruned', async () =>
        (await database.prisma.outboxEvent.count({ where: { eventId: old.id } })) === 0
          ? true
          : undefined,
      );
    } finally {
      await relay.stop();
    }
    const left = await database.prisma.outboxEvent.findMany({ select: { eventId: true } });
    expect(new Set(left.map((row) => row.eventId))).toEqual(
      new Set([recent.id, pending.id, foreign.id]),
    );
  });
});
