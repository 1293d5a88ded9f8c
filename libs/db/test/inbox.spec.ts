import { randomUUID } from 'node:crypto';
import { Prisma, recordProcessedEvent, createPrismaClient, type PrismaClient } from '../src/index';
import { type TestDatabase, createTestDatabase } from '@shelfwatch/testing';

describe('the processed_events inbox', () => {
  let database: TestDatabase<PrismaClient>;
  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
  });
  afterAll(() => database.drop());

  it('records an event once per consumer and reports a repeat as already processed', async () => {
    const eventId = randomUUID();
    const entry = { consumer: 'analytics.test', eventId, eventType: 'observation.recorded' };

    const first = await database.prisma.$transaction((tx) => recordProcessedEvent(tx, entry));
    const again = await database.prisma.$transaction((tx) => recordProcessedEvent(tx, entry));
    const otherConsumer = await database.prisma.$transaction((tx) =>
      recordProcessedEvent(tx, { ...entry, consumer: 'api.test' }),
    );

    expect([first, again, otherConsumer]).toEqual([true, false, true]);
    expect(await database.prisma.processedEvent.count({ where: { eventId } })).toBe(2);
  });

  it('forgets the record when the handler’s transaction rolls back', async () => {
    const entry = { consumer: 'analytics.test', eventId: randomUUID(), eventType: 'scrape.failed' };

    await expect(
      database.prisma.$transaction(async (tx) => {
        await recordProcessedEvent(tx, entry);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');

    expect(await database.prisma.$transaction((tx) => recordProcessedEvent(tx, entry))).toBe(true);
  });

  it('keeps money exact in NUMERIC columns: decimal strings in and out', async () => {
    const product = await database.prisma.product.create({
      data: {
        id: randomUUID(),
        url: 'https://shop.example.com/p/1',
        canonicalUrl: 'https://shop.example.com/p/1',
        variantKey: '',
        host: 'shop.example.com',
        currency: 'EUR',
        latestPrice: new Prisma.Decimal('1234567890.123456789'),
        latestObservedAt: new Date(),
        firstSeenAt: new Date(),
      },
    });

    const read = await database.prisma.product.findUniqueOrThrow({ where: { id: product.id } });

    expect(read.latestPrice?.toFixed()).toBe('1234567890.123456789');
  });
});
