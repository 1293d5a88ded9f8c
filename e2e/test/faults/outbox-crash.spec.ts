import { createEvent, derivedId, newId, type EventOf } from '@shelfwatch/contracts';
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
 * kill -9 of analytics between an observation's commit and the publish of what it wrote to the
 * outbox (ANALYTICS_FAULT_KILL_AFTER_COMMITS: the process SIGKILLs itself right after the commit
 * that brings its committed observations to N or more; observations are applied in batches, so
 * that commit may hold several, ADR 0025). After a restart every alert.raised and price.changed in
 * the outbox is published exactly once, with the id derived from its alert.
 */
const OBSERVATIONS = 20;
const KILL_AFTER_COMMITS = 8;
const PAGE = 'http://127.0.0.1:1/shop/kettle';
const logger = createLogger({ service: 'faults', level: 'warn' });

function observation(targetId: string, index: number): EventOf<'observation.recorded'> {
  const fetchedAt = new Date(Date.UTC(2026, 0, 1) + index * 3_600_000).toISOString();
  return createEvent(
    'observation.recorded',
    {
      runId: newId(),
      targetId,
      url: PAGE,
      finalUrl: PAGE,
      fetchedAt,
      httpStatus: 200,
      notModified: false,
      // Up and down every time, out of stock every fifth: every observation raises alerts.
      offers: [
        {
          name: 'Kettle',
          price: { amount: index % 2 === 0 ? '40.00' : '35.00', currency: 'EUR' },
          availability: index % 5 === 4 ? 'OutOfStock' : 'InStock',
        },
      ],
      confidence: 1,
    },
    { source: 'shelfwatch/faults', occurredAt: fetchedAt },
  );
}

describe('kill -9 of analytics between commit and publish', () => {
  let database: TestDatabase<PrismaClient>;
  let subscriber: Messaging;
  let analytics: AppProcess | undefined;
  const output: string[] = [];
  const deliveries: string[] = [];
  let port: number;
  const targetId = newId();
  const stream = Array.from({ length: OBSERVATIONS }, (_, index) => observation(targetId, index));

  const env = (extra: NodeJS.ProcessEnv) => ({
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    ANALYTICS_MAX_CONCURRENT: '1',
    MESSAGING_TRANSPORT: 'postgres',
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_CLOUD_PROJECT: 'shelfwatch-faults',
    ...extra,
  });

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    port = await findFreeLoopbackPort();
    const accountId = newId();
    await database.prisma.account.create({ data: { id: accountId, name: 'watcher' } });
    await database.prisma.target.create({
      data: {
        id: targetId,
        url: PAGE,
        host: '127.0.0.1',
        kind: 'product',
        checkIntervalSeconds: 3600,
        status: 'active',
        watches: {
          create: {
            id: newId(),
            accountId,
            checkIntervalSeconds: 3600,
            alertKinds: [
              'new_product',
              'price_drop',
              'price_rise',
              'out_of_stock',
              'back_in_stock',
            ],
          },
        },
      },
    });
    // The notifier's stand-in: counts every delivery of the announcement events, repeats included.
    subscriber = createMessaging({
      transport: 'postgres',
      databaseUrl: database.url,
      logger,
      source: 'shelfwatch/faults',
    });
    for (const type of ['alert.raised', 'price.changed'] as const)
      subscriber.subscribe(
        type,
        async (event) => {
          deliveries.push(event.id);
        },
        { subscription: `faults.${type.replace('.', '-')}`, maxConcurrent: 20 },
      );
    await subscriber.start();
  }, 120_000);

  afterAll(async () => {
    await analytics?.stop();
    await subscriber?.stop();
    await database?.drop();
  });

  it('publishes every outbox event once, with its derived id, after the restart', async () => {
    analytics = spawnApp('analytics', {
      from: 'bundle',
      port,
      // No poll during the first life: only the wake after a commit could publish, and the kill comes first.
      env: env({
        ANALYTICS_FAULT_KILL_AFTER_COMMITS: String(KILL_AFTER_COMMITS),
        OUTBOX_POLL_INTERVAL_MS: '600000',
      }),
      onLine: (line) => output.push(line),
    });
    await waitUntilReady(analytics);
    // One handler at a time: the commit that kills is the one that reaches the Nth observation.
    for (const event of stream) await subscriber.publish(event);
    const ended = await analytics.exited;

    const committed = await database.prisma.processedEvent.count();
    const atKill = await database.prisma.outboxEvent.findMany({
      where: { publisher: 'analytics' },
    });
    expect(ended).toBe('SIGKILL');
    expect(committed).toBeGreaterThanOrEqual(KILL_AFTER_COMMITS);
    // The last commit's events were written and never sent: the kill came in between. Its
    // alerts are the ones announced last (one transaction announces at one time).
    const newest = await database.prisma.alert.aggregate({ _max: { announcedAt: true } });
    const lastCommit = await database.prisma.alert.findMany({
      where: { announcedAt: newest._max.announcedAt },
    });
    expect(lastCommit.length).toBeGreaterThan(0);
    const unpublished = new Set(
      atKill.filter((row) => row.publishedAt === null).map((row) => row.eventId),
    );
    expect(unpublished).toEqual(
      new Set(
        lastCommit.flatMap((alert) => [
          derivedId(alert.id, 'alert.raised'),
          ...(alert.eventId ? [alert.eventId] : []),
        ]),
      ),
    );
    const deliveredBeforeRestart = deliveries.length;
    expect(deliveries.some((id) => unpublished.has(id))).toBe(false);

    const restartedAt = Date.now();
    analytics = spawnApp('analytics', {
      from: 'bundle',
      port,
      env: env({}),
      onLine: (line) => output.push(line),
    });
    await waitUntilReady(analytics);
    // The relay drains what the dead process left on start: no redelivery needed for that.
    await eventually('the killed commit’s events delivered', async () =>
      [...unpublished].every((id) => deliveries.includes(id)) ? true : undefined,
    );
    const strandedDeliveredWithin = (Date.now() - restartedAt) / 1000;
    await eventually(
      'every observation handled and every outbox event published',
      async () => {
        const handled = await database.prisma.processedEvent.count();
        const unpublished = await database.prisma.outboxEvent.count({
          where: { publisher: 'analytics', publishedAt: null },
        });
        return handled === OBSERVATIONS && unpublished === 0 ? true : undefined;
      },
      90_000,
      250,
    );
    const publishedWithin = (Date.now() - restartedAt) / 1000;
    const outbox = await database.prisma.outboxEvent.findMany({
      where: { publisher: 'analytics' },
    });
    await eventually('every event delivered', async () =>
      new Set(deliveries).size >= outbox.length ? true : undefined,
    );
    // A moment for a second publish of anything to arrive.
    await new Promise((wait) => setTimeout(wait, 3_000));

    const counts = new Map<string, number>();
    for (const id of deliveries) counts.set(id, (counts.get(id) ?? 0) + 1);
    const lost = outbox.filter((row) => !counts.has(row.eventId)).length;
    const duplicated = [...counts.values()].filter((count) => count > 1).length;
    const announced = await database.prisma.alert.findMany({
      where: { announcedAt: { not: null } },
    });
    const derived = new Set(announced.map((alert) => derivedId(alert.id, 'alert.raised')));
    const raised = outbox.filter((row) => row.eventType === 'alert.raised');
    reportFigures({
      scenario: 'kill -9 analytics between commit and outbox publish (Postgres transport)',
      tried: outbox.length,
      survived: outbox.length - lost,
      lost,
      duplicated,
      notes: {
        observations: OBSERVATIONS,
        commitsBeforeKill: committed,
        outboxEventsAtKill: atKill.length,
        unpublishedAtKill: unpublished.size,
        deliveredBeforeKill: deliveredBeforeRestart,
        alertRaised: raised.length,
        priceChanged: outbox.length - raised.length,
        deliveries: deliveries.length,
        secondsToDeliverStrandedAfterRestart: strandedDeliveredWithin,
        secondsUntilAllHandledAfterRestart: publishedWithin,
      },
    });
    if (lost > 0 || duplicated > 0) process.stdout.write(`${output.slice(-60).join('\n')}\n`);
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(deliveries).toHaveLength(outbox.length);
    // One alert.raised per announced alert, under the id derived from the alert.
    expect(new Set(raised.map((row) => row.eventId))).toEqual(derived);
    // Every event written before the kill went out under the id it was written with.
    expect(atKill.every((row) => counts.get(row.eventId) === 1)).toBe(true);
  }, 240_000);
});
