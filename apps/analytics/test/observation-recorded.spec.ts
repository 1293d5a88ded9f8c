import { newId, type Offer } from '@shelfwatch/contracts';
import { type PrismaClient, createPrismaClient } from '@shelfwatch/db';
import { handleObservationRecorded } from '../src/index';
import {
  PAGE,
  alertFacts,
  at,
  createTarget,
  emptyTables,
  observation,
  offer,
  recreateTarget,
} from './events';
import { type TestDatabase, createTestDatabase } from '@shelfwatch/testing';

describe('handleObservationRecorded against a real PostgreSQL', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;
  let targetId: string;

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    await emptyTables(prisma);
    targetId = await createTarget(prisma);
  });

  const alertKinds = async () =>
    (await prisma.alert.findMany({ orderBy: { id: 'asc' } })).map((alert) => alert.kind);

  it('creates a new product with its first price point, a new_product alert and a price.changed with exact decimal strings', async () => {
    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(0), [offer('19.99', { sku: 'EM-1', brand: 'Brew' })]),
    );

    const product = await prisma.product.findFirstOrThrow();
    expect(product).toMatchObject({
      targetId,
      canonicalUrl: PAGE,
      host: 'shop.example.com',
      sku: 'EM-1',
      brand: 'Brew',
      currency: 'EUR',
      latestAvailability: 'InStock',
    });
    expect(product.latestPrice?.toFixed()).toBe('19.99');
    expect(await prisma.pricePoint.count()).toBe(1);
    expect(await alertKinds()).toEqual(['new_product']);
    expect(outcome).toMatchObject({ duplicate: false, pricePoints: 1, alerts: 1 });
    expect(outcome.events).toHaveLength(1);
    expect(outcome.events[0]).toMatchObject({
      type: 'price.changed',
      source: 'shelfwatch/analytics',
      data: {
        productId: product.id,
        targetId,
        url: PAGE,
        previous: null,
        current: { amount: '19.99', currency: 'EUR' },
        changeKind: 'rise',
        changePercent: null,
        observedAt: at(0),
      },
    });
  });

  it('detects a drop against the latest point and publishes it with the signed percentage', async () => {
    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('20.00')]));

    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(10), [offer('15.00')]),
    );

    expect(await alertKinds()).toEqual(['new_product', 'price_drop']);
    expect(outcome.events.map((event) => event.data)).toEqual([
      expect.objectContaining({
        previous: { amount: '20.00', currency: 'EUR' },
        current: { amount: '15.00', currency: 'EUR' },
        changeKind: 'drop',
        changePercent: '-25',
      }),
    ]);
    const product = await prisma.product.findFirstOrThrow();
    expect(product.latestPrice?.toFixed(2)).toBe('15.00');
    expect(product.latestObservedAt.toISOString()).toBe(at(10));
    const stored = await prisma.alert.findFirstOrThrow({ where: { kind: 'price_drop' } });
    expect(stored.eventId).toBe(outcome.events[0]?.id);
  });

  it('ignores a second delivery of the same event: one price point, one alert, one outbox event', async () => {
    const event = observation(targetId, at(0), [offer('19.99')]);

    const first = await handleObservationRecorded(prisma, event);
    const second = await handleObservationRecorded(prisma, event);

    expect(second).toMatchObject({ duplicate: true, events: [] });
    expect(await prisma.pricePoint.count()).toBe(1);
    expect(await prisma.alert.count()).toBe(1);
    const outbox = await prisma.outboxEvent.findMany();
    expect(outbox.map((row) => row.eventId)).toEqual(first.events.map((e) => e.id));
  });

  it('handles concurrent duplicate deliveries as one', async () => {
    const event = observation(targetId, at(0), [offer('19.99')]);

    const outcomes = await Promise.all([
      handleObservationRecorded(prisma, event),
      handleObservationRecorded(prisma, event),
      handleObservationRecorded(prisma, event),
    ]);

    expect(outcomes.filter((outcome) => !outcome.duplicate)).toHaveLength(1);
    expect(await prisma.pricePoint.count()).toBe(1);
    expect(await prisma.product.count()).toBe(1);
    expect(await prisma.alert.count()).toBe(1);
  });

  it('creates one product when first sightings of it are handled concurrently', async () => {
    const events = ['10.00', '10.00', '10.00', '10.00'].map((price, minute) =>
      observation(targetId, at(minute), [offer(price)]),
    );

    await Promise.all(
      [...events, ...events].map((event) => handleObservationRecorded(prisma, event)),
    );

    expect(await prisma.product.count()).toBe(1);
    expect(await prisma.pricePoint.count()).toBe(4);
    expect(await alertKinds()).toEqual(['new_product']);
    expect((await prisma.product.findFirstOrThrow()).latestObservedAt.toISOString()).toBe(at(3));
  });

  it('judges a late observation by its place in the history, leaving the latest state alone and announcing nothing', async () => {
    await handleObservationRecorded(prisma, observation(targetId, at(10), [offer('10.00')]));

    const late = await handleObservationRecorded(
      prisma,
      observation(targetId, at(5), [offer('50.00', { availability: 'OutOfStock' })]),
    );

    // The product is first seen at 5 now, and 5 -> 10 is a restock and a drop.
    expect(late).toMatchObject({ duplicate: false, pricePoints: 1, alerts: 3, events: [] });
    const product = await prisma.product.findFirstOrThrow();
    expect(product.latestPrice?.toFixed(2)).toBe('10.00');
    expect(product.latestAvailability).toBe('InStock');
    expect(product.latestObservedAt.toISOString()).toBe(at(10));
    expect(product.firstSeenAt.toISOString()).toBe(at(5));
    const history = await prisma.pricePoint.findMany({ orderBy: { observedAt: 'asc' } });
    expect(
      history.map((point) => [point.observedAt.toISOString(), point.amount?.toFixed(2)]),
    ).toEqual([
      [at(5), '50.00'],
      [at(10), '10.00'],
    ]);
    expect(await alertFacts(prisma)).toEqual([
      `new_product ${at(5)} - - -> 50 OutOfStock`,
      `back_in_stock ${at(10)} 50 OutOfStock -> 10 InStock`,
      `price_drop ${at(10)} 50 OutOfStock -> 10 InStock`,
    ]);
  });

  it('stores the alerts of the ordered history whatever the arrival order and duplicates', async () => {
    const prices = ['10.00', '12.00', '12.00', '9.00'];
    const events = prices.map((price, minute) => observation(targetId, at(minute), [offer(price)]));

    for (const event of events) await handleObservationRecorded(prisma, event);
    const inOrder = await alertFacts(prisma);
    await emptyTables(prisma);
    await recreateTarget(prisma, targetId);
    // newest first, with every event delivered twice: each later arrival is late
    const published = [];
    for (const index of [3, 1, 3, 0, 2, 1, 0, 2])
      published.push(...(await handleObservationRecorded(prisma, events[index]!)).events);

    const points = await prisma.pricePoint.findMany();
    expect(points).toHaveLength(4);
    expect(new Set(points.map((point) => point.sourceEventId))).toEqual(
      new Set(events.map((event) => event.id)),
    );
    expect(inOrder).toEqual([
      `new_product ${at(0)} - - -> 10 InStock`,
      `price_rise ${at(1)} 10 InStock -> 12 InStock`,
      `price_drop ${at(3)} 12 InStock -> 9 InStock`,
    ]);
    expect(await alertFacts(prisma)).toEqual(inOrder);
    const product = await prisma.product.findFirstOrThrow();
    expect(product.latestPrice?.toFixed(2)).toBe('9.00');
    // Only the first arrival was news (the newest point): later arrivals announce nothing.
    expect(published.map((event) => event.data.observedAt)).toEqual([at(3)]);
  });

  it('compares a newer observation with the latest by observation time, not arrival', async () => {
    const t0 = observation(targetId, at(0), [offer('10.00')]);
    const t1 = observation(targetId, at(1), [offer('30.00')]);
    const t2 = observation(targetId, at(2), [offer('20.00')]);

    for (const event of [t1, t0, t2]) await handleObservationRecorded(prisma, event);

    const drop = await prisma.alert.findFirstOrThrow({ where: { kind: 'price_drop' } });
    expect(drop.previousAmount?.toFixed(2)).toBe('30.00');
    expect(drop.currentAmount?.toFixed(2)).toBe('20.00');
    expect(await alertFacts(prisma)).toEqual([
      `new_product ${at(0)} - - -> 10 InStock`,
      `price_rise ${at(1)} 10 InStock -> 30 InStock`,
      `price_drop ${at(2)} 30 InStock -> 20 InStock`,
    ]);
  });

  it('alerts only on changes that reach both per-target thresholds', async () => {
    const strict = await createTarget(prisma, { amount: '1.00', percent: '5' });
    await handleObservationRecorded(prisma, observation(strict, at(0), [offer('100.00')]));

    const small = await handleObservationRecorded(
      prisma,
      observation(strict, at(1), [offer('98.00')]),
    );
    const large = await handleObservationRecorded(
      prisma,
      observation(strict, at(2), [offer('90.00')]),
    );

    expect(small.alerts).toBe(0);
    expect(large.events.map((event) => event.data.changePercent)).toEqual(['-8.16']);
    expect(await alertKinds()).toEqual(['new_product', 'price_drop']);
  });

  it('uses the default thresholds (any change) for a target it does not know', async () => {
    const unknownTarget = newId();
    await handleObservationRecorded(prisma, observation(unknownTarget, at(0), [offer('10.00')]));
    await handleObservationRecorded(prisma, observation(unknownTarget, at(1), [offer('10.01')]));

    expect(await alertKinds()).toEqual(['new_product', 'price_rise']);
    expect((await prisma.product.findFirstOrThrow()).targetId).toBeNull();
  });

  it('stores out-of-stock and back-in-stock alerts, which price.changed v1 cannot carry', async () => {
    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('10.00')]));
    const gone = await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer(null, { availability: 'OutOfStock' })]),
    );
    const back = await handleObservationRecorded(
      prisma,
      observation(targetId, at(2), [offer('10.00', { availability: 'InStock' })]),
    );

    expect(gone).toMatchObject({ alerts: 1, events: [] });
    expect(back).toMatchObject({ alerts: 1, events: [] });
    expect(await alertKinds()).toEqual(['new_product', 'out_of_stock', 'back_in_stock']);
    const backAlert = await prisma.alert.findFirstOrThrow({ where: { kind: 'back_in_stock' } });
    expect(backAlert).toMatchObject({
      previousAvailability: 'OutOfStock',
      currentAvailability: 'InStock',
      eventId: null,
    });
    expect(backAlert.currentAmount?.toFixed(2)).toBe('10.00');
  });

  it('keeps the variants of one page as separate products', async () => {
    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(0), [
        offer('49.00', { sku: 'SHOE-42', attributes: { size: '42' } }),
        offer('51.00', { sku: 'SHOE-43', attributes: { size: '43' } }),
        // the same variant again (e.g. microdata repeating JSON-LD) is not a third product
        offer('49.00', { sku: 'SHOE-42' }),
      ]),
    );
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [
        offer('45.00', { sku: 'SHOE-42' }),
        offer('51.00', { sku: 'SHOE-43' }),
      ]),
    );

    const products = await prisma.product.findMany({ orderBy: { sku: 'asc' } });
    expect(products.map((product) => [product.sku, product.latestPrice?.toFixed(2)])).toEqual([
      ['SHOE-42', '45.00'],
      ['SHOE-43', '51.00'],
    ]);
    expect(new Set(products.map((product) => product.canonicalUrl))).toEqual(new Set([PAGE]));
    expect(outcome.pricePoints).toBe(2);
    expect(await prisma.pricePoint.count()).toBe(4);
    expect(await alertKinds()).toEqual(['new_product', 'new_product', 'price_drop']);
  });

  it('takes the page-level state from the primary offer, from the newest observation only', async () => {
    const variants = () => [
      offer('49.00', { sku: 'SHOE-42', availability: 'OutOfStock' }),
      offer('51.00', { sku: 'SHOE-43' }),
      offer('49.00', { sku: 'SHOE', name: 'Shoe' }),
    ];
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(5), variants(), { primaryOffer: 1 }),
    );
    // A late observation (of an earlier fetch) names another primary offer: it is history only.
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), variants(), { primaryOffer: 2 }),
    );

    const health = await prisma.targetHealth.findUniqueOrThrow({ where: { targetId } });
    const primary = await prisma.product.findUniqueOrThrow({
      where: { id: health.primaryProductId ?? '' },
    });
    expect(primary).toMatchObject({ sku: 'SHOE-43', latestAvailability: 'InStock' });
    expect(health.primaryObservedAt?.toISOString()).toBe(at(5));
    expect(await prisma.product.count()).toBe(3);

    await handleObservationRecorded(
      prisma,
      observation(targetId, at(9), variants(), { primaryOffer: 2 }),
    );
    const later = await prisma.targetHealth.findUniqueOrThrow({ where: { targetId } });
    const whole = await prisma.product.findUniqueOrThrow({
      where: { id: later.primaryProductId ?? '' },
    });
    expect(whole.sku).toBe('SHOE');
  });

  it('names the first offer as the page’s product when an older event names no primary offer', async () => {
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(0), [offer('10.00', { sku: 'A' }), offer('12.00', { sku: 'B' })]),
    );
    const health = await prisma.targetHealth.findUniqueOrThrow({ where: { targetId } });
    const product = await prisma.product.findUniqueOrThrow({
      where: { id: health.primaryProductId ?? '' },
    });
    expect(product.sku).toBe('A');
  });

  it('records a not-modified check as a point repeating the confirmed state, without an alert', async () => {
    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('19.99')]));

    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(30), [], { httpStatus: 304, notModified: true }),
    );

    expect(outcome).toMatchObject({ pricePoints: 1, alerts: 0, events: [] });
    const latest = await prisma.pricePoint.findFirstOrThrow({ orderBy: { observedAt: 'desc' } });
    expect(latest.notModified).toBe(true);
    expect(latest.amount?.toFixed()).toBe('19.99');
    expect((await prisma.product.findFirstOrThrow()).latestObservedAt.toISOString()).toBe(at(30));
  });

  it('keeps the time of the last price or stock change by observation time, late events included', async () => {
    const lastChange = async () =>
      (await prisma.product.findFirstOrThrow()).lastChangedAt?.toISOString() ?? null;
    const see = (minute: number, amount: string, extra: Partial<Offer> = {}) =>
      handleObservationRecorded(prisma, observation(targetId, at(minute), [offer(amount, extra)]));

    await see(0, '10.00');
    expect(await lastChange()).toBe(at(0));
    await see(5, '10.00');
    expect(await lastChange()).toBe(at(0));
    await see(10, '12.00');
    expect(await lastChange()).toBe(at(10));
    // Late: the rise happened by minute 7 already; minute 10 only repeats it.
    await see(7, '12.00');
    expect(await lastChange()).toBe(at(7));
    await see(12, '12.00', { availability: 'OutOfStock' });
    expect(await lastChange()).toBe(at(12));
  });

  it('records on the run when the scraper started it, and leaves it unset for older events', async () => {
    const reported = observation(targetId, at(5), [offer('19.99')], { startedAt: at(4) });
    const older = observation(targetId, at(6), [offer('19.99')]);
    for (const event of [reported, older])
      await prisma.scrapeRun.create({ data: { id: event.data.runId, targetId, status: 'queued' } });

    await handleObservationRecorded(prisma, reported);
    await handleObservationRecorded(prisma, older);

    const runs = await prisma.scrapeRun.findMany({
      where: { id: { in: [reported.data.runId, older.data.runId] } },
      orderBy: { finishedAt: 'asc' },
    });
    expect(
      runs.map((run) => [run.startedAt?.toISOString() ?? null, run.finishedAt?.toISOString()]),
    ).toEqual([
      [at(4), at(5)],
      [null, at(6)],
    ]);
  });

  it('marks the scrape run succeeded and resets the target’s failure streaks', async () => {
    const event = observation(targetId, at(5), [offer('19.99')]);
    await prisma.scrapeRun.create({
      data: { id: event.data.runId, targetId, status: 'queued' },
    });
    await prisma.targetHealth.create({
      data: {
        targetId,
        consecutiveFailures: 2,
        consecutiveGone: 2,
        lastFailureAt: new Date(at(1)),
      },
    });

    await handleObservationRecorded(prisma, event);

    expect(
      await prisma.scrapeRun.findUniqueOrThrow({ where: { id: event.data.runId } }),
    ).toMatchObject({ status: 'succeeded', httpStatus: 200, finishedAt: new Date(at(5)) });
    expect(await prisma.targetHealth.findUniqueOrThrow({ where: { targetId } })).toMatchObject({
      consecutiveFailures: 0,
      consecutiveGone: 0,
      lastSuccessAt: new Date(at(5)),
    });
  });

  it('keeps the newest observation’s ETag and Last-Modified for the next conditional scrape', async () => {
    const validators = { etag: 'W/"v2"', lastModified: 'Fri, 31 Jan 2025 12:05:00 GMT' };
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(5), [offer('20.00')], validators),
    );
    // An older observation arriving late does not bring back its stale validators.
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer('19.00')], { etag: 'W/"v1"' }),
    );
    expect(await prisma.targetHealth.findUniqueOrThrow({ where: { targetId } })).toMatchObject(
      validators,
    );

    // A newer page that sends no validators clears them: nothing to revalidate against.
    await handleObservationRecorded(prisma, observation(targetId, at(9), [offer('20.00')]));
    expect(await prisma.targetHealth.findUniqueOrThrow({ where: { targetId } })).toMatchObject({
      etag: null,
      lastModified: null,
    });
  });
});
