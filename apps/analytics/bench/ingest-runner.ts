import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import { createPrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import { consumers } from '../src/consumers';
import { subscribeAnalytics } from '../src/subscriptions';

/**
 * analytics' side of tools/bench/ingest: the real subscription wiring (`subscribeAnalytics`, so
 * whatever batching it does is measured) over one transport. Targets and their running scrape runs
 * are seeded first, as the scheduler and scraper would leave them; each observation carries one
 * offer whose price moves. Observation i is of target i mod `targets`: with as many targets as
 * observations every product is new; with 100 (the first workload's, kept comparable) each batch
 * of 50 touches half of the same 100 products, so concurrent batches queue on their row locks,
 * which a scraper checking each target once per interval does not do. Two modes:
 * - `backlog` (default): the subscription is created, every event published, and only then the
 *   consumer started: seconds from its start to the last inbox row, the pace of ingest alone.
 * - `live`: `concurrency` publishers feed the running consumer: seconds from the first publish to
 *   the last inbox row (publishing and ingest share the machine and the database).
 * Prints one JSON line: events, seconds. The same file drives main's handler for the before/after
 * figures (tools/bench/ingest copies it into a checkout given with `--baseline`). With
 * `INGEST_RUNNER_HANDSHAKE=1` it also prints `{"phase":"start"}` right before the timed part and
 * `{"phase":"end"}` right after it, each time waiting for a line on stdin, so the bench can read
 * the CPU this process and the database used in between (its connections still open).
 *
 *   tsx ingest-runner.ts <postgres|pubsub> <database url> <events> <concurrency> <backlog|live> <targets> [emulator host] [project]
 */
/** Tells the bench where the timed part starts or ends and waits until it has taken its reading. */
async function phase(name: 'start' | 'end'): Promise<void> {
  if (process.env['INGEST_RUNNER_HANDSHAKE'] !== '1') return;
  process.stdout.write(`${JSON.stringify({ phase: name })}\n`);
  await new Promise<void>((resolveRead) => process.stdin.once('data', () => resolveRead()));
}

async function main(): Promise<void> {
  const [
    transport,
    databaseUrl,
    countText,
    concurrencyText,
    mode,
    targetsText,
    emulatorHost,
    projectId,
  ] = process.argv.slice(2);
  if (
    (transport !== 'postgres' && transport !== 'pubsub') ||
    !databaseUrl ||
    (mode !== 'backlog' && mode !== 'live') ||
    !(Number(targetsText) >= 1)
  )
    throw new Error(
      'usage: ingest-runner.ts <postgres|pubsub> <database url> <events> <concurrency> <backlog|live> <targets> [emulator host] [project]',
    );
  const targetCount = Number(targetsText);
  const count = Number(countText);
  const concurrency = Number(concurrencyText);
  const prisma = createPrismaClient({
    databaseUrl,
    pool: { max: concurrency + 4 },
    applicationName: 'bench-ingest',
  });
  const logger = createLogger({ service: 'bench-ingest', level: 'error', format: 'pretty' });
  const targets = Array.from({ length: targetCount }, () => newId());
  const events: EventOf<'observation.recorded'>[] = [];
  for (let index = 0; index < count; index++) {
    const targetId = targets[index % targetCount] as string;
    const url = `https://shop.example.com/p/${targetId}`;
    const fetchedAt = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
    events.push(
      createEvent(
        'observation.recorded',
        {
          runId: newId(),
          targetId,
          url,
          finalUrl: url,
          fetchedAt,
          httpStatus: 200,
          notModified: false,
          offers: [
            {
              name: 'Espresso machine',
              price: { amount: (199 + (index % 5)).toFixed(2), currency: 'EUR' },
              availability: 'InStock',
              sku: 'ESP-1',
            },
          ],
          primaryOffer: 0,
          confidence: 0.9,
        },
        { source: 'shelfwatch/scraper', occurredAt: fetchedAt },
      ),
    );
  }
  await prisma.$executeRawUnsafe(
    `INSERT INTO targets (id, url, host, kind, check_interval_seconds, status, updated_at)
       SELECT t, 'https://shop.example.com/p/' || t, 'shop.example.com', 'product', 3600, 'active', now()
         FROM unnest($1::uuid[]) AS t`,
    targets,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO scrape_runs (id, target_id, status, started_at)
       SELECT r.run, r.target, 'running', now() FROM unnest($1::uuid[], $2::uuid[]) AS r(run, target)`,
    events.map((event) => event.data.runId),
    events.map((event) => event.data.targetId),
  );

  const connect = (): Messaging =>
    createMessaging(
      transport === 'postgres'
        ? { transport, databaseUrl, logger, source: 'shelfwatch/scraper' }
        : {
            transport,
            projectId: projectId as string,
            emulatorHost: emulatorHost as string,
            provision: true,
            logger,
            source: 'shelfwatch/scraper',
          },
    );
  const handled = async (): Promise<number> => {
    const rows = await prisma.$queryRawUnsafe<{ count: bigint }[]>(
      'SELECT count(*) AS count FROM processed_events WHERE consumer = $1',
      consumers.observationRecorded,
    );
    return Number(rows[0]?.count ?? 0);
  };
  const publishAll = async (publisher: Messaging): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < events.length)
          await publisher.publish(events[next++] as EventOf<'observation.recorded'>);
      }),
    );
  };

  let started: number;
  let messaging: Messaging;
  if (mode === 'backlog') {
    // Start once to create the queue or subscription, so the backlog is published into it.
    const provisioner = connect();
    subscribeAnalytics(provisioner, prisma, { maxConcurrent: concurrency });
    await provisioner.start();
    await provisioner.stop();
    const publisher = connect();
    await publishAll(publisher);
    await publisher.stop();
    messaging = connect();
    subscribeAnalytics(messaging, prisma, { maxConcurrent: concurrency });
    await phase('start');
    started = performance.now();
    await messaging.start();
  } else {
    messaging = connect();
    subscribeAnalytics(messaging, prisma, { maxConcurrent: concurrency });
    await messaging.start();
    await phase('start');
    started = performance.now();
    await publishAll(messaging);
  }
  while ((await handled()) < count) await new Promise((done) => setTimeout(done, 20));
  const seconds = (performance.now() - started) / 1000;
  await phase('end');
  process.stdin.destroy();
  await messaging.stop();
  await prisma.$disconnect();
  process.stdout.write(`${JSON.stringify({ events: count, seconds })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
