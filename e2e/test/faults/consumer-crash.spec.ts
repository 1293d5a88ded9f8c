import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  pubSubEmulatorAvailability,
  startPubSubEmulator,
  type PubSubEmulator,
  type TestDatabase,
} from '@shelfwatch/testing';
import { spawnApp, waitUntilReady, type AppProcess } from '@shelfwatch/tools';
import { reportFigures } from './fault-figures';

/*
 * kill -9 of analytics at the halfway mark of a stream of observations, then a restart: every
 * event must be recorded exactly once within a minute of the restart, on the Postgres transport
 * (pg-boss heartbeats hand a dead worker's jobs back), and on request on the Pub/Sub emulator
 * through pull and push (ADR 0009).
 */
const EVENTS = 2_000;
const PRODUCTS = 50;
const RECOVERY_LIMIT_MS = 60_000;
const PROJECT = 'shelfwatch-faults';
const logger = createLogger({ service: 'faults', level: 'warn' });
const emulator = pubSubEmulatorAvailability(process.env);

// On the Pub/Sub emulator neither delivery recovers reliably within the minute (ADR 0009 has the
// figures: pull strands part of a dead subscriber's backlog, push backs off after refused
// connections), so those scenarios run only when asked for with FAULTS_PUBSUB_CRASH=1, as a
// measurement, and npm test asserts the Postgres transport.
type Scenario = { transport: 'postgres' } | { transport: 'pubsub'; delivery: 'pull' | 'push' };
const scenarios: Array<[string, Scenario]> = [
  ['postgres', { transport: 'postgres' }],
  ...(process.env.FAULTS_PUBSUB_CRASH === '1'
    ? ([
        ['pubsub pull', { transport: 'pubsub', delivery: 'pull' }],
        ['pubsub push', { transport: 'pubsub', delivery: 'push' }],
      ] as Array<[string, Scenario]>)
    : []),
];

function observation(index: number): EventOf<'observation.recorded'> {
  const product = index % PRODUCTS;
  const url = `http://127.0.0.1:1/products/p${product}`;
  const fetchedAt = new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString();
  return createEvent(
    'observation.recorded',
    {
      runId: newId(),
      targetId: newId(),
      url,
      finalUrl: url,
      fetchedAt,
      httpStatus: 200,
      notModified: false,
      offers: [
        {
          price: { amount: `${10 + (index % 7)}.00`, currency: 'EUR' },
          availability: 'InStock',
          name: `Product ${product}`,
        },
      ],
      confidence: 1,
    },
    { source: 'shelfwatch/faults', occurredAt: fetchedAt },
  );
}

describe.each(scenarios)('kill -9 of analytics mid-stream over %s', (name, scenario) => {
  if (scenario.transport === 'pubsub' && !emulator.available) {
    if (emulator.required)
      it('needs the Pub/Sub emulator in CI', () => {
        throw new Error(`CI=true and the Pub/Sub emulator cannot run: ${emulator.reason}`);
      });
    else it.skip(`runs on the Pub/Sub emulator (skipped: ${emulator.reason})`, () => undefined);
    return;
  }

  let database: TestDatabase<PrismaClient>;
  let pubsub: PubSubEmulator | undefined;
  let publisher: Messaging;
  let analytics: AppProcess | undefined;
  const output: string[] = [];
  let env: NodeJS.ProcessEnv;
  let port: number;

  const startAnalytics = async () => {
    analytics = spawnApp('analytics', {
      port,
      env,
      onLine: (line) => output.push(line),
    });
    await waitUntilReady(analytics);
  };

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    port = await findFreeLoopbackPort();
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '10',
      ANALYTICS_MAX_CONCURRENT: '10',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: PROJECT,
    };
    if (scenario.transport === 'pubsub') {
      pubsub = await startPubSubEmulator({ projectId: PROJECT });
      env.PUBSUB_EMULATOR_HOST = pubsub.host;
      env.PUBSUB_DELIVERY = scenario.delivery;
      if (scenario.delivery === 'push') env.PUBSUB_PUSH_ENDPOINT = `http://127.0.0.1:${port}`;
    } else env.MESSAGING_TRANSPORT = 'postgres';
    publisher = createMessaging(
      scenario.transport === 'pubsub'
        ? {
            transport: 'pubsub',
            projectId: PROJECT,
            emulatorHost: pubsub!.host,
            provision: true,
            logger,
            source: 'shelfwatch/faults',
          }
        : { transport: 'postgres', databaseUrl: database.url, logger, source: 'shelfwatch/faults' },
    );
    await publisher.start();
    // Analytics provisions its subscriptions (Pub/Sub) or queues (pg-boss) before events flow.
    await startAnalytics();
  }, 120_000);

  afterAll(async () => {
    await analytics?.stop();
    await publisher?.stop();
    await pubsub?.stop();
    await database?.drop();
  });

  it(`records all ${EVENTS} events exactly once within a minute of the restart`, async () => {
    const events = Array.from({ length: EVENTS }, (_, index) => observation(index));
    for (let start = 0; start < events.length; start += 100)
      await Promise.all(events.slice(start, start + 100).map((event) => publisher.publish(event)));

    const recorded = async () =>
      Number(
        (
          await database.prisma.$queryRaw<Array<{ n: bigint }>>`
            SELECT count(DISTINCT source_event_id) AS n FROM price_points`
        )[0]!.n,
      );
    const atKill = await eventually(
      'half of the events recorded',
      async () => {
        const count = await recorded();
        return count >= EVENTS / 2 ? count : undefined;
      },
      120_000,
      20,
    );
    analytics!.child.kill('SIGKILL');
    await analytics!.exited;
    expect(atKill).toBeLessThan(EVENTS);

    const restartedAt = Date.now();
    await startAnalytics();
    let recoveredMs: number | undefined;
    try {
      await eventually(
        `all ${EVENTS} events recorded after the restart`,
        async () => ((await recorded()) >= EVENTS ? true : undefined),
        RECOVERY_LIMIT_MS,
        250,
      );
      recoveredMs = Date.now() - restartedAt;
    } catch {
      // Counted as lost below.
    }

    const rows = await database.prisma.$queryRaw<Array<{ id: string; n: bigint }>>`
      SELECT source_event_id::text AS id, count(*) AS n FROM price_points GROUP BY source_event_id`;
    const points = new Map(rows.map((row) => [row.id, Number(row.n)]));
    const lost = events.filter((event) => !points.has(event.id)).length;
    const duplicated = events.filter((event) => (points.get(event.id) ?? 0) > 1).length;
    const foreign = rows.filter((row) => !events.some((event) => event.id === row.id)).length;
    reportFigures({
      scenario: `kill -9 analytics mid-stream (${name})`,
      tried: EVENTS,
      survived: EVENTS - lost,
      lost,
      duplicated,
      notes: {
        recordedAtKill: atKill,
        secondsToRecover: recoveredMs === undefined ? 'over 60' : recoveredMs / 1000,
      },
    });
    if (lost > 0) process.stdout.write(`${output.slice(-60).join('\n')}\n`);
    expect({ lost, duplicated, foreign }).toEqual({ lost: 0, duplicated: 0, foreign: 0 });
    // Defined only when every event was recorded inside the one-minute window.
    expect(recoveredMs).toBeDefined();
  });
});
