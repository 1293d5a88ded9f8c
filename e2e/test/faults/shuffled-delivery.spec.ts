import { createEvent, newId, type Availability, type EventOf } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  type TestDatabase,
} from '@shelfwatch/testing';
import { spawnApp, waitUntilReady, type AppProcess } from '@shelfwatch/tools';
import { reportFigures } from './fault-figures';

/*
 * Duplicate + shuffled delivery: the same 900 observations (6 pages of 3 variants each, prices
 * and stock going up and down, two watches per page with different rules) go to the real
 * analytics over the Postgres transport once in order (each page's observations one after the
 * other) and once shuffled with every observation published two or three times, into a database
 * each. The price history and the stored alerts must be identical.
 */
const PAGES = 6;
const OBSERVATIONS_PER_PAGE = 150;
const VARIANTS = ['S', 'M', 'L'];
const SUBSCRIPTION = 'analytics.observation-recorded';
const logger = createLogger({ service: 'faults', level: 'warn' });

/** A small deterministic generator, so every run tries the same history. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Page {
  targetId: string;
  url: string;
  watches: Array<{ id: string; accountId: string; rules: Record<string, unknown> }>;
}

const pages: Page[] = Array.from({ length: PAGES }, (_, index) => ({
  targetId: newId(),
  url: `http://127.0.0.1:1/shop/p${index}`,
  watches: [
    { id: newId(), accountId: newId(), rules: {} },
    {
      id: newId(),
      accountId: newId(),
      rules: {
        minChangePercent: '5',
        targetPrice: '45.00',
        alertKinds: ['price_drop', 'target_price_reached', 'back_in_stock', 'new_product'],
      },
    },
  ],
}));

function observationsOf(page: Page, pageIndex: number): Array<EventOf<'observation.recorded'>> {
  const next = random(pageIndex + 1);
  const prices = VARIANTS.map(() => 50);
  return Array.from({ length: OBSERVATIONS_PER_PAGE }, (_, index) => {
    const fetchedAt = new Date(Date.UTC(2026, 0, 1) + index * 3_600_000 + pageIndex).toISOString();
    const offers = VARIANTS.map((sku, variant) => {
      const roll = next();
      if (roll < 0.35)
        prices[variant] = Math.max(30, prices[variant]! - 1 - Math.floor(next() * 8));
      else if (roll < 0.7)
        prices[variant] = Math.min(80, prices[variant]! + 1 + Math.floor(next() * 8));
      const availability: Availability = next() < 0.15 ? 'OutOfStock' : 'InStock';
      return {
        sku,
        name: `Shirt ${pageIndex} ${sku}`,
        price: { amount: `${prices[variant]}.00`, currency: 'EUR' },
        availability,
      };
    });
    return createEvent(
      'observation.recorded',
      {
        runId: newId(),
        targetId: page.targetId,
        url: page.url,
        finalUrl: page.url,
        fetchedAt,
        httpStatus: 200,
        notModified: false,
        offers,
        confidence: 1,
      },
      { source: 'shelfwatch/faults', occurredAt: fetchedAt },
    );
  });
}

async function seedWatches(prisma: PrismaClient): Promise<void> {
  for (const page of pages) {
    await prisma.target.create({
      data: {
        id: page.targetId,
        url: page.url,
        host: '127.0.0.1',
        kind: 'product',
        checkIntervalSeconds: 3600,
        status: 'active',
      },
    });
    for (const watch of page.watches) {
      await prisma.account.create({ data: { id: watch.accountId, name: 'watcher' } });
      await prisma.watch.create({
        data: {
          id: watch.id,
          accountId: watch.accountId,
          targetId: page.targetId,
          checkIntervalSeconds: 3600,
          alertKinds: [
            'price_drop',
            'price_rise',
            'target_price_reached',
            'back_in_stock',
            'out_of_stock',
            'new_product',
          ],
          ...watch.rules,
        },
      });
    }
  }
}

interface Outcome {
  history: string[];
  alerts: string[];
  points: Map<string, number>;
}

async function outcomeOf(prisma: PrismaClient): Promise<Outcome> {
  const history = await prisma.$queryRaw<Array<{ line: string; source: string }>>`
    SELECT concat_ws(' ', p.canonical_url, p.variant_key, pp.observed_at, pp.amount, pp.currency,
                     pp.availability, pp.source_event_id) AS line,
           pp.source_event_id::text AS source
    FROM price_points pp JOIN products p ON p.id = pp.product_id`;
  const alerts = await prisma.$queryRaw<Array<{ line: string }>>`
    SELECT concat_ws(' ', p.canonical_url, p.variant_key, a.watch_id, a.kind, a.observed_at,
                     coalesce(a.previous_amount::text, '-'), coalesce(a.previous_currency, '-'),
                     coalesce(a.previous_availability::text, '-'), coalesce(a.current_amount::text, '-'),
                     coalesce(a.current_currency, '-'), a.current_availability) AS line
    FROM alerts a JOIN products p ON p.id = a.product_id`;
  const points = new Map<string, number>();
  for (const row of history) points.set(row.source, (points.get(row.source) ?? 0) + 1);
  return {
    history: history.map((row) => row.line).sort(),
    alerts: alerts.map((row) => row.line).sort(),
    points,
  };
}

describe('duplicate and shuffled delivery of 900 observations', () => {
  const databases: Array<TestDatabase<PrismaClient>> = [];
  const running: Array<{ analytics: AppProcess; publisher: Messaging }> = [];
  const output: string[] = [];
  const observations = pages.map((page, index) => observationsOf(page, index));
  const all = observations.flat();

  afterAll(async () => {
    for (const { analytics, publisher } of running) {
      await analytics.stop();
      await publisher.stop();
    }
    for (const database of databases) await database.drop();
  });

  /** A database with the watches, the real analytics on it, and a publisher. */
  async function pipeline() {
    const database = await createTestDatabase(createPrismaClient);
    databases.push(database);
    await seedWatches(database.prisma);
    const analytics = spawnApp('analytics', {
      from: 'bundle',
      port: await findFreeLoopbackPort(),
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
        DATABASE_URL: database.url,
        DATABASE_POOL_MAX: '10',
        ANALYTICS_MAX_CONCURRENT: '10',
        MESSAGING_TRANSPORT: 'postgres',
        METADATA_SERVER_DETECTION: 'none',
        GOOGLE_CLOUD_PROJECT: 'shelfwatch-faults',
      },
      onLine: (line) => output.push(line),
    });
    await waitUntilReady(analytics);
    const publisher = createMessaging({
      transport: 'postgres',
      databaseUrl: database.url,
      logger,
      source: 'shelfwatch/faults',
    });
    await publisher.start();
    running.push({ analytics, publisher });
    const recorded = async () =>
      Number(
        (
          await database.prisma.$queryRaw<Array<{ n: bigint }>>`
            SELECT count(*) AS n FROM processed_events WHERE consumer = ${SUBSCRIPTION}`
        )[0]!.n,
      );
    // Deliveries not yet handled, duplicates included: every one must be worked off.
    const pending = async () =>
      Number(
        (
          await database.prisma.$queryRaw<Array<{ n: bigint }>>`
            SELECT count(*) AS n FROM pgboss.job
            WHERE name = ${SUBSCRIPTION} AND state IN ('created', 'retry', 'active')`
        )[0]!.n,
      );
    return { database, publisher, recorded, pending };
  }

  it('leaves identical price history and identical alerts in order and shuffled', async () => {
    const inOrder = await pipeline();
    const inOrderStart = Date.now();
    // In order: round k publishes each page's k-th observation once all earlier ones are recorded.
    for (let round = 0; round < OBSERVATIONS_PER_PAGE; round++) {
      await Promise.all(observations.map((page) => inOrder.publisher.publish(page[round]!)));
      await eventually(
        `round ${round} recorded`,
        async () => ((await inOrder.recorded()) >= (round + 1) * PAGES ? true : undefined),
        60_000,
        5,
      );
    }
    const expected = await outcomeOf(inOrder.database.prisma);
    process.stdout.write(`in-order delivery took ${(Date.now() - inOrderStart) / 1000} s\n`);

    const shuffled = await pipeline();
    const next = random(900);
    const deliveries = all
      .flatMap((event) => Array.from({ length: next() < 0.5 ? 2 : 3 }, () => event))
      .map((event) => ({ event, key: next() }))
      .sort((a, b) => a.key - b.key)
      .map(({ event }) => event);
    for (let start = 0; start < deliveries.length; start += 100)
      await Promise.all(
        deliveries.slice(start, start + 100).map((event) => shuffled.publisher.publish(event)),
      );
    const shuffledStart = Date.now();
    let progress = '';
    try {
      await eventually(
        `all ${deliveries.length} deliveries handled`,
        async () => {
          const recorded = await shuffled.recorded();
          const pending = await shuffled.pending();
          progress = `${recorded} of ${all.length} recorded, ${pending} deliveries pending after ${(Date.now() - shuffledStart) / 1000} s`;
          return recorded >= all.length && pending === 0 ? true : undefined;
        },
        300_000,
        250,
      );
    } finally {
      process.stdout.write(`shuffled delivery: ${progress}\n`);
    }
    const actual = await outcomeOf(shuffled.database.prisma);

    const lost = all.filter((event) => !actual.points.has(event.id)).length;
    // Each observation has one point per variant; more is a double count.
    const duplicated = all.filter(
      (event) => (actual.points.get(event.id) ?? 0) > VARIANTS.length,
    ).length;
    const expectedAlerts = new Set(expected.alerts);
    const actualAlerts = new Set(actual.alerts);
    reportFigures({
      scenario: 'duplicate + shuffled delivery (Postgres transport)',
      tried: deliveries.length,
      survived: all.length - lost,
      lost,
      duplicated,
      notes: {
        observations: all.length,
        pricePointsInOrder: expected.history.length,
        pricePointsShuffled: actual.history.length,
        alertsInOrder: expected.alerts.length,
        alertsShuffled: actual.alerts.length,
        alertsOnlyInOrder: expected.alerts.filter((line) => !actualAlerts.has(line)).length,
        alertsOnlyShuffled: actual.alerts.filter((line) => !expectedAlerts.has(line)).length,
      },
    });
    if (lost > 0) process.stdout.write(`${output.slice(-60).join('\n')}\n`);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(expected.history).toHaveLength(all.length * VARIANTS.length);
    // Price drops, rises, stock changes and target crossings all occur in this history.
    expect(new Set(expected.alerts.map((line) => line.split(' ')[3]))).toEqual(
      new Set([
        'new_product',
        'price_drop',
        'price_rise',
        'out_of_stock',
        'back_in_stock',
        'target_price_reached',
      ]),
    );
    expect(actual.history).toEqual(expected.history);
    expect(actual.alerts).toEqual(expected.alerts);
  }, 900_000);
});
