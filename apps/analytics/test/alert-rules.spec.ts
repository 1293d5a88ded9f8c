import { ALL_ALERT_KINDS, derivedId, newId } from '@shelfwatch/contracts';
import { createPrismaClient, type AlertKind, type PrismaClient } from '@shelfwatch/db';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import { handleObservationBatch, handleObservationRecorded } from '../src/index';
import { PAGE, at, createTarget, emptyTables, observation, offer } from './events';

interface Rules {
  minChangeAmount?: string;
  minChangePercent?: string;
  targetPrice?: string | null;
  kinds?: AlertKind[];
  labels?: string[];
  pausedAt?: Date;
}

const EVERY_KIND: AlertKind[] = [...ALL_ALERT_KINDS];

describe('alert rules per watch against a real PostgreSQL', () => {
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

  async function watchingAccount(rules: Rules): Promise<string> {
    const accountId = newId();
    await prisma.account.create({ data: { id: accountId, name: `account ${accountId}` } });
    await prisma.watch.create({
      data: {
        id: newId(),
        accountId,
        targetId,
        checkIntervalSeconds: 3600,
        minChangeAmount: rules.minChangeAmount ?? '0',
        minChangePercent: rules.minChangePercent ?? '0',
        targetPrice: rules.targetPrice ?? null,
        alertKinds: rules.kinds ?? EVERY_KIND,
        labels: rules.labels ?? [],
        pausedAt: rules.pausedAt ?? null,
      },
    });
    return accountId;
  }

  const alertsOf = async (accountId: string) =>
    (await prisma.alert.findMany({ where: { accountId }, orderBy: { id: 'asc' } })).map(
      (alert) => alert.kind,
    );

  it('a 3 % drop alerts "any drop", not "at least 5 %", and reaches a target above the new price', async () => {
    const anyDrop = await watchingAccount({});
    const atLeastFive = await watchingAccount({ minChangePercent: '5' });
    const targetAbove = await watchingAccount({ minChangePercent: '5', targetPrice: '98.00' });
    const targetBelow = await watchingAccount({ minChangePercent: '5', targetPrice: '90.00' });

    const first = await handleObservationRecorded(
      prisma,
      observation(targetId, at(0), [offer('100.00')]),
    );
    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer('97.00')]),
    );

    expect(await alertsOf(anyDrop)).toEqual(['new_product', 'price_drop']);
    expect(await alertsOf(atLeastFive)).toEqual(['new_product']);
    expect(await alertsOf(targetAbove)).toEqual(['new_product', 'target_price_reached']);
    expect(await alertsOf(targetBelow)).toEqual(['new_product']);
    const drop = await prisma.alert.findFirstOrThrow({
      where: { accountId: anyDrop, kind: 'price_drop' },
    });
    expect(drop.changePercent?.toFixed()).toBe('-3');
    // alert.raised to each account told, price.changed for the drop; all through the outbox.
    expect(
      outcome.events.map((event) =>
        event.type === 'alert.raised'
          ? `alert.raised ${event.data.kind} ${event.data.accountId}`
          : `price.changed ${event.data.changeKind}`,
      ),
    ).toEqual([
      `alert.raised price_drop ${anyDrop}`,
      'price.changed drop',
      `alert.raised target_price_reached ${targetAbove}`,
    ]);
    const outbox = await prisma.outboxEvent.findMany({ where: { publisher: 'analytics' } });
    expect(new Set(outbox.map((row) => row.eventId))).toEqual(
      new Set([...outcome.events, ...first.events].map((event) => event.id)),
    );
    expect(outbox.every((row) => row.publishedAt === null)).toBe(true);
  });

  it('raises nothing for a paused watch while the active watch of the same page is alerted', async () => {
    const active = await watchingAccount({});
    const paused = await watchingAccount({ pausedAt: new Date() });

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('100.00')]));
    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer('80.00')]),
    );

    expect(await alertsOf(active)).toEqual(['new_product', 'price_drop']);
    expect(await alertsOf(paused)).toEqual([]);
    expect(
      outcome.events.flatMap((event) =>
        event.type === 'alert.raised' ? [event.data.accountId] : [],
      ),
    ).toEqual([active]);
  });

  it('raises nothing for a paused watch when the observations arrive as a batch', async () => {
    const active = await watchingAccount({});
    const paused = await watchingAccount({ pausedAt: new Date() });

    await handleObservationBatch(prisma, [
      observation(targetId, at(0), [offer('100.00')]),
      observation(targetId, at(1), [offer('80.00')]),
    ]);

    expect(await alertsOf(active)).toEqual(['new_product', 'price_drop']);
    expect(await alertsOf(paused)).toEqual([]);
  });

  it('announces an alert as alert.raised with its watch labels and target price, under an id derived from the alert', async () => {
    const account = await watchingAccount({
      targetPrice: '50.00',
      kinds: ['target_price_reached'],
      labels: ['kitchen', 'gifts'],
    });

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('60.00')]));
    const outcome = await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer('45.00', { name: 'Kettle' })]),
    );

    const alert = await prisma.alert.findFirstOrThrow({ where: { accountId: account } });
    expect(alert.announcedAt).not.toBeNull();
    expect(outcome.events).toEqual([
      expect.objectContaining({
        id: derivedId(alert.id, 'alert.raised'),
        type: 'alert.raised',
        data: {
          alertId: alert.id,
          accountId: account,
          watchId: alert.watchId,
          productId: alert.productId,
          targetId,
          kind: 'target_price_reached',
          url: PAGE,
          productName: 'Kettle',
          watchLabels: ['kitchen', 'gifts'],
          previous: { amount: '60.00', currency: 'EUR' },
          current: { amount: '45.00', currency: 'EUR' },
          previousAvailability: 'InStock',
          availability: 'InStock',
          changePercent: '-25',
          targetPrice: { amount: '50.00', currency: 'EUR' },
          observedAt: at(1),
        },
      }),
    ]);
    const row = await prisma.outboxEvent.findUniqueOrThrow({
      where: {
        publisher_eventId: { publisher: 'analytics', eventId: derivedId(alert.id, 'alert.raised') },
      },
    });
    expect(row.payload).toEqual(JSON.parse(JSON.stringify(outcome.events[0])));
  });

  it('stores the alerts a late observation implies but announces only those newer than the last announced', async () => {
    const account = await watchingAccount({});

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('10.00')]));
    await handleObservationRecorded(prisma, observation(targetId, at(10), [offer('8.00')]));
    // Late: 10 -> 14 at minute 5 and 14 -> 8 at minute 10 replace the drop 10 -> 8.
    const late = await handleObservationRecorded(
      prisma,
      observation(targetId, at(5), [offer('14.00')]),
    );

    expect(late.events).toEqual([]);
    const alerts = await prisma.alert.findMany({ where: { accountId: account } });
    expect(
      alerts
        .map(
          (a) =>
            `${a.observedAt.toISOString()} ${a.kind} ${a.previousAmount?.toFixed()} ${a.announcedAt ? 'announced' : 'quiet'}`,
        )
        .sort(),
    ).toEqual([
      `${at(0)} new_product undefined announced`,
      `${at(5)} price_rise 10 quiet`,
      `${at(10)} price_drop 14 quiet`,
    ]);

    const newer = await handleObservationRecorded(
      prisma,
      observation(targetId, at(11), [offer('9.00')]),
    );
    expect(newer.events.map((event) => event.type)).toEqual(['alert.raised', 'price.changed']);
  });

  it('raises target_price_reached on the crossing only, not on every check below the target', async () => {
    const account = await watchingAccount({ targetPrice: '50', kinds: ['target_price_reached'] });

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('60')]));
    await handleObservationRecorded(prisma, observation(targetId, at(1), [offer('49.99')]));
    await handleObservationRecorded(prisma, observation(targetId, at(2), [offer('45')]));
    await handleObservationRecorded(prisma, observation(targetId, at(3), [offer('55')]));
    await handleObservationRecorded(prisma, observation(targetId, at(4), [offer('50')]));

    expect(await alertsOf(account)).toEqual(['target_price_reached', 'target_price_reached']);
  });

  it('raises only the kinds a watch asks for, and an amount minimum per watch', async () => {
    const stockOnly = await watchingAccount({ kinds: ['out_of_stock', 'back_in_stock'] });
    const bigDrops = await watchingAccount({ minChangeAmount: '10', kinds: ['price_drop'] });

    await handleObservationRecorded(prisma, observation(targetId, at(0), [offer('100')]));
    await handleObservationRecorded(
      prisma,
      observation(targetId, at(1), [offer('95', { availability: 'OutOfStock' })]),
    );
    await handleObservationRecorded(prisma, observation(targetId, at(2), [offer('80')]));

    expect(await alertsOf(stockOnly)).toEqual(['out_of_stock', 'back_in_stock']);
    expect(await alertsOf(bigDrops)).toEqual(['price_drop']);
  });
});
