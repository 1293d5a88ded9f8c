import { ALL_ALERT_KINDS, newId, type EventOf } from '@shelfwatch/contracts';
import { createPrismaClient, type AlertKind, type PrismaClient } from '@shelfwatch/db';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import { handleObservationBatch, handleObservationRecorded } from '../src/index';
import { alertFacts, at, emptyTables, observation, offer, recreateTarget } from './events';

type Observation = EventOf<'observation.recorded'>;

/*
 * A batch of observations applied in one transaction leaves what the same observations applied
 * one by one leave: history, alerts, products, target health, inbox and outbox.
 */
describe('handleObservationBatch against a real PostgreSQL', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;
  const targetA = newId();
  const targetB = newId();
  const watchOf = new Map([targetA, targetB].map((targetId) => [targetId, newId()]));

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
  });
  afterAll(() => database.drop());

  async function freshTargets(): Promise<void> {
    await emptyTables(prisma);
    for (const targetId of [targetA, targetB]) {
      await recreateTarget(prisma, targetId);
      const accountId = newId();
      await prisma.account.create({ data: { id: accountId, name: 'watcher' } });
      await prisma.watch.create({
        data: {
          id: watchOf.get(targetId)!,
          accountId,
          targetId,
          checkIntervalSeconds: 3600,
          alertKinds: [...ALL_ALERT_KINDS] as AlertKind[],
          targetPrice: '9.50',
        },
      });
    }
  }

  /** Two targets; each page has two variants; prices and stock move; one 304 and a late event. */
  function stream(brands = false): Observation[] {
    const events: Observation[] = [];
    const prices = ['10.00', '12.00', '12.00', '9.00', '11.00', '9.00'];
    prices.forEach((price, minute) => {
      for (const targetId of [targetA, targetB])
        events.push(
          observation(
            targetId,
            at(minute),
            [
              offer(price, { sku: 'S', availability: minute === 3 ? 'OutOfStock' : 'InStock' }),
              // With `brands`, not every page names the brand: the newest point naming it gives
              // it. Which point is the newest to arrive decides that, so only in arrival order.
              offer(minute % 2 === 0 ? '20.00' : '21.00', {
                sku: 'M',
                name: `Mug ${minute}`,
                ...(brands && minute % 3 === 1 ? { brand: `Acme ${minute}` } : {}),
              }),
            ],
            {
              finalUrl: `https://shop.example.com/p/${targetId}`,
              url: `https://shop.example.com/p/${targetId}`,
              etag: `W/"${minute}"`,
              primaryOffer: minute % 2,
            },
          ),
        );
    });
    events.push(
      observation(targetA, at(7), [], {
        httpStatus: 304,
        notModified: true,
        finalUrl: `https://shop.example.com/p/${targetA}`,
      }),
    );
    return events;
  }

  async function snapshot() {
    const products = await prisma.product.findMany({
      orderBy: [{ canonicalUrl: 'asc' }, { sku: 'asc' }],
    });
    const health = await prisma.targetHealth.findMany({ orderBy: { targetId: 'asc' } });
    const primaries = new Map(products.map((product) => [product.id, product.sku]));
    const points = await prisma.pricePoint.findMany({ include: { product: true } });
    const outbox = await prisma.outboxEvent.findMany({ where: { publishedAt: null } });
    return {
      alerts: await alertFacts(prisma),
      points: points
        .map(
          (point) =>
            `${point.product.canonicalUrl} ${point.product.sku} ${point.observedAt.toISOString()} ${point.amount?.toFixed()} ${point.availability} ${point.notModified} ${point.sourceEventId}`,
        )
        .sort(),
      products: products.map((product) => ({
        url: product.url,
        canonicalUrl: product.canonicalUrl,
        sku: product.sku,
        name: product.name,
        brand: product.brand,
        gtin: product.gtin,
        image: product.image,
        attributes: product.attributes,
        targetId: product.targetId,
        currency: product.currency,
        latestPrice: product.latestPrice?.toFixed(),
        latestAvailability: product.latestAvailability,
        latestObservedAt: product.latestObservedAt.toISOString(),
        firstSeenAt: product.firstSeenAt.toISOString(),
        lastChangedAt: product.lastChangedAt?.toISOString(),
      })),
      health: health.map((row) => ({
        targetId: row.targetId,
        lastSuccessAt: row.lastSuccessAt?.toISOString(),
        etag: row.etag,
        primary: row.primaryProductId ? primaries.get(row.primaryProductId) : null,
        primaryObservedAt: row.primaryObservedAt?.toISOString(),
        consecutiveFailures: row.consecutiveFailures,
      })),
      inbox: await prisma.processedEvent.count(),
      announced: outbox.length,
    };
  }

  /**
   * Which alerts were announced, which carry a price.changed event, and the events written: what
   * arrival order decides (old news is not announced), so compared only for the same order.
   */
  async function announcements() {
    const alerts = await prisma.alert.findMany({ where: { announcedAt: { not: null } } });
    const outbox = await prisma.outboxEvent.findMany({ where: { publishedAt: null } });
    return {
      alerts: alerts
        .map(
          (alert) =>
            `${alert.observedAt.toISOString()} ${alert.kind} ${alert.watchId} ${alert.eventId !== null}`,
        )
        .sort(),
      events: outbox.map((event) => event.eventType).sort(),
    };
  }

  async function oneByOne(events: readonly Observation[]) {
    await freshTargets();
    for (const event of events) await handleObservationRecorded(prisma, event);
    return snapshot();
  }

  it('leaves what applying the same observations one by one leaves', async () => {
    const events = stream(true);
    const expected = await oneByOne(events);
    expect(expected.alerts.length).toBeGreaterThan(10);
    const expectedAnnouncements = await announcements();
    expect(expectedAnnouncements.alerts.length).toBeGreaterThan(10);

    await freshTargets();
    const fallbacks: unknown[] = [];
    const results = await handleObservationBatch(prisma, events, {
      onFallback: (error) => fallbacks.push(error),
    });

    // Applied by the batch itself, not by its one-by-one fallback.
    expect(fallbacks).toEqual([]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await snapshot()).toEqual(expected);
    expect(await announcements()).toEqual(expectedAnnouncements);
  });

  it('applies a batch with duplicates, already-handled events and late events exactly once', async () => {
    const events = stream();
    const expected = await oneByOne(events);

    await freshTargets();
    // The newest half first, then everything again shuffled with copies: every later arrival is
    // late or a duplicate, within the batch and across batches.
    const newest = events.slice(6);
    const fallbacks: unknown[] = [];
    const onFallback = (error: unknown) => fallbacks.push(error);
    const first = await handleObservationBatch(prisma, newest, { onFallback });
    const again = [...events, ...events.slice(0, 5)].sort((a, b) => (a.id < b.id ? 1 : -1));
    const second = await handleObservationBatch(prisma, again, { onFallback });

    expect(fallbacks).toEqual([]);
    expect(first.every((result) => result.ok && !result.outcome.duplicate)).toBe(true);
    const duplicates = second.filter((result) => result.ok && result.outcome.duplicate).length;
    expect(duplicates).toBe(newest.length + 5);
    const current = await snapshot();
    // Alerts, history and latest state follow the ordered history; only which alerts were
    // announced depends on arrival (ADR 0014), so the outbox is compared apart.
    expect({ ...current, announced: 0 }).toEqual({ ...expected, announced: 0 });
    expect(await prisma.pricePoint.count()).toBe(expected.points.length);
    expect(await prisma.processedEvent.count()).toBe(events.length);
  });

  it('applies the rest of a batch when one event cannot be applied, and fails only that one and its repeat', async () => {
    await freshTargets();
    // The database refuses one event's rows (a stand-in for any event whose apply throws).
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger AS $$
      BEGIN
        IF NEW.currency = 'XXX' THEN RAISE EXCEPTION 'poison observation'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(
      'CREATE TRIGGER refuse_poison BEFORE INSERT ON price_points FOR EACH ROW EXECUTE FUNCTION refuse_poison()',
    );
    try {
      const good = [0, 1, 2].map((minute) =>
        observation(targetA, at(minute), [offer(`1${minute}.00`)]),
      );
      const poison = observation(targetB, at(0), [
        { ...offer('5.00'), price: { amount: '5.00', currency: 'XXX' } },
      ]);
      const fallbacks: unknown[] = [];

      // The poison event arrives twice: its repeat must not be acked while it is retried.
      const results = await handleObservationBatch(
        prisma,
        [good[0]!, poison, good[1]!, good[2]!, poison],
        { onFallback: (error) => fallbacks.push(error) },
      );

      expect(results.map((result) => result.ok)).toEqual([true, false, true, true, false]);
      const failure = results[1]!;
      expect(!failure.ok && String(failure.error)).toMatch(/poison observation/);
      expect(fallbacks).toHaveLength(1);
      expect(await prisma.pricePoint.count()).toBe(3);
      const inbox = await prisma.processedEvent.findMany();
      expect(new Set(inbox.map((row) => row.eventId))).toEqual(new Set(good.map((e) => e.id)));
      expect(await alertFacts(prisma)).toHaveLength(3);
    } finally {
      await prisma.$executeRawUnsafe('DROP TRIGGER refuse_poison ON price_points');
    }
  });

  it('runs concurrent batches over the same products without a deadlock or a lost update', async () => {
    const events = stream().filter((event) => !event.data.notModified);
    const expected = await oneByOne(events);

    await freshTargets();
    // Four batches at once, each holding three quarters of the events (so each event comes in
    // three of them) in a different arrival order: every batch touches every product.
    const fallbacks: unknown[] = [];
    const batches = [0, 1, 2, 3].map((shift) =>
      events
        .map((_, index) => events[(index * 5 + shift) % events.length]!)
        .filter((_, index) => index % 4 !== shift),
    );
    const results = await Promise.all(
      batches.map((batch) =>
        handleObservationBatch(prisma, batch, { onFallback: (error) => fallbacks.push(error) }),
      ),
    );

    expect(fallbacks).toEqual([]);
    expect(results.flat().every((result) => result.ok)).toBe(true);
    const applied = results.flat().filter((result) => result.ok && !result.outcome.duplicate);
    expect(applied).toHaveLength(events.length);
    const current = await snapshot();
    expect({ ...current, announced: 0 }).toEqual({ ...expected, announced: 0 });
  });
});
