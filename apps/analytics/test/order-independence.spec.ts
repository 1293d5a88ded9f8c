import { ALL_ALERT_KINDS, newId, type Availability, type EventOf } from '@shelfwatch/contracts';
import { createPrismaClient, type AlertKind, type PrismaClient } from '@shelfwatch/db';
import { createTestDatabase, type TestDatabase } from '@shelfwatch/testing';
import fc from 'fast-check';
import { handleObservationBatch, handleObservationRecorded } from '../src/index';
import { alertFacts, at, emptyTables, observation, offer, recreateTarget } from './events';

/*
 * The stored alerts are a function of the price history ordered by observation time: the same
 * observations delivered in order, or shuffled with each delivered one to three times (several
 * at once, so product locks are contended), leave the same history and the same alerts.
 */
interface Step {
  a: { price: string; availability: Availability } | null;
  b: { price: string; availability: Availability };
}

const step: fc.Arbitrary<Step> = fc.record({
  a: fc.option(
    fc.record({
      price: fc.constantFrom('90.00', '95.00', '100.00', '120.00'),
      availability: fc.constantFrom<Availability>('InStock', 'OutOfStock', 'Unknown'),
    }),
    { nil: null, freq: 4 },
  ),
  b: fc.record({
    price: fc.constantFrom('10.00', '10.40', '11.00'),
    availability: fc.constantFrom<Availability>('InStock', 'OutOfStock'),
  }),
});

const MAX_STEPS = 8;

describe('alerts independent of arrival order against a real PostgreSQL', () => {
  let database: TestDatabase<PrismaClient>;
  let prisma: PrismaClient;
  const targetId = newId();
  const anyChangeWatch = newId();
  const strictWatch = newId();

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    prisma = database.prisma;
  });
  afterAll(() => database.drop());

  async function freshTarget(): Promise<void> {
    await emptyTables(prisma);
    await recreateTarget(prisma, targetId);
    const everyKind: AlertKind[] = [...ALL_ALERT_KINDS];
    const watches = [
      { id: anyChangeWatch, alertKinds: everyKind },
      {
        id: strictWatch,
        minChangePercent: '5',
        targetPrice: '95.00',
        alertKinds: ['price_drop', 'target_price_reached', 'back_in_stock'] as AlertKind[],
      },
    ];
    for (const watch of watches) {
      const accountId = newId();
      await prisma.account.create({ data: { id: accountId, name: 'watcher' } });
      await prisma.watch.create({
        data: { ...watch, accountId, targetId, checkIntervalSeconds: 3600 },
      });
    }
  }

  function eventsOf(steps: Step[]): Array<EventOf<'observation.recorded'>> {
    return steps.map((s, minute) =>
      observation(targetId, at(minute), [
        ...(s.a ? [offer(s.a.price, { sku: 'A', availability: s.a.availability })] : []),
        offer(s.b.price, { sku: 'B', availability: s.b.availability }),
      ]),
    );
  }

  const history = async () =>
    (
      await prisma.pricePoint.findMany({
        include: { product: { select: { sku: true } } },
        orderBy: [{ observedAt: 'asc' }, { sourceEventId: 'asc' }],
      })
    )
      .map(
        (point) =>
          `${point.observedAt.toISOString()} ${point.product.sku} ${point.amount?.toFixed()} ${point.availability} ${point.sourceEventId}`,
      )
      .sort();

  it('leaves the same history and alerts in order as shuffled with duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 2, maxLength: MAX_STEPS }),
        fc.array(fc.nat(), { minLength: 3 * MAX_STEPS, maxLength: 3 * MAX_STEPS }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: MAX_STEPS, maxLength: MAX_STEPS }),
        async (steps, sortKeys, copies) => {
          const events = eventsOf(steps);
          await freshTarget();
          for (const event of events) await handleObservationRecorded(prisma, event);
          const inOrder = { history: await history(), alerts: await alertFacts(prisma) };

          await freshTarget();
          const deliveries = events
            .flatMap((event, index) => Array.from({ length: copies[index]! }, () => event))
            .map((event, index) => ({ event, key: sortKeys[index]! }))
            .sort((x, y) => x.key - y.key)
            .map(({ event }) => event);
          for (let start = 0; start < deliveries.length; start += 3)
            await Promise.all(
              deliveries
                .slice(start, start + 3)
                .map((event) => handleObservationRecorded(prisma, event)),
            );

          expect({ history: await history(), alerts: await alertFacts(prisma) }).toEqual(inOrder);
        },
      ),
      { numRuns: 12, endOnFailure: true },
    );
  }, 120_000);

  it('leaves the same history and alerts in order as in shuffled concurrent batches with duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 2, maxLength: MAX_STEPS }),
        fc.array(fc.nat(), { minLength: 3 * MAX_STEPS, maxLength: 3 * MAX_STEPS }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: MAX_STEPS, maxLength: MAX_STEPS }),
        fc.integer({ min: 1, max: 6 }),
        async (steps, sortKeys, copies, batchSize) => {
          const events = eventsOf(steps);
          await freshTarget();
          for (const event of events) await handleObservationRecorded(prisma, event);
          const inOrder = { history: await history(), alerts: await alertFacts(prisma) };

          await freshTarget();
          const deliveries = events
            .flatMap((event, index) => Array.from({ length: copies[index]! }, () => event))
            .map((event, index) => ({ event, key: sortKeys[index]! }))
            .sort((x, y) => x.key - y.key)
            .map(({ event }) => event);
          const batches: Array<typeof deliveries> = [];
          for (let start = 0; start < deliveries.length; start += batchSize)
            batches.push(deliveries.slice(start, start + batchSize));
          // Two batches at once, so their product locks are contended.
          for (let start = 0; start < batches.length; start += 2) {
            const results = await Promise.all(
              batches.slice(start, start + 2).map((batch) => handleObservationBatch(prisma, batch)),
            );
            expect(results.flat().every((result) => result.ok)).toBe(true);
          }

          expect({ history: await history(), alerts: await alertFacts(prisma) }).toEqual(inOrder);
        },
      ),
      { numRuns: 12, endOnFailure: true },
    );
  }, 180_000);
});
