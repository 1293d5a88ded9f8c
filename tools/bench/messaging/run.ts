import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import { Pool } from 'pg';
import {
  pubSubEmulatorAvailability,
  startEmbeddedPostgres,
  startPubSubEmulator,
} from '@shelfwatch/testing';

/**
 * Sustained observation.recorded events per second through each messaging transport into
 * PostgreSQL (a handler inserts one row per event, idempotently, as a consumer's inbox does),
 * beside the raw PostgreSQL insert rate at the same concurrency, all in one run on one embedded
 * PostgreSQL. The Pub/Sub figure uses the emulator, so it measures our client path, not Google.
 *
 * Rounds interleave the paths so machine noise hits them alike; the table gives medians and
 * each path's share of the raw insert rate.
 *
 *   npx tsx tools/bench/messaging/run.ts [--events 3000] [--concurrency 10] [--rounds 3]
 */
interface Figure {
  path: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

const INSERT = `INSERT INTO bench_observation (event_id, consumer, target_id, fetched_at)
               VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`;

function observation(): EventOf<'observation.recorded'> {
  const fetchedAt = new Date().toISOString();
  return createEvent(
    'observation.recorded',
    {
      runId: newId(),
      targetId: newId(),
      url: 'https://shop.example.com/p/1',
      finalUrl: 'https://shop.example.com/p/1',
      fetchedAt,
      httpStatus: 200,
      notModified: false,
      offers: [],
      confidence: 1,
    },
    { source: 'shelfwatch/bench' },
  );
}

async function rowsOf(pool: Pool, consumer: string): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    'SELECT count(*) FROM bench_observation WHERE consumer = $1',
    [consumer],
  );
  return Number(rows[0]?.count ?? 0);
}

async function rawInserts(
  pool: Pool,
  events: EventOf<'observation.recorded'>[],
  concurrency: number,
): Promise<Figure> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length) {
        const event = events[next++] as EventOf<'observation.recorded'>;
        await pool.query(INSERT, [event.id, 'raw', event.data.targetId, event.data.fetchedAt]);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    path: 'raw INSERT (pg pool)',
    events: events.length,
    seconds,
    eventsPerSecond: events.length / seconds,
  };
}

async function throughTransport(
  path: string,
  messaging: Messaging,
  pool: Pool,
  events: EventOf<'observation.recorded'>[],
  concurrency: number,
  round: number,
): Promise<Figure> {
  const consumer = `bench-${path.split(' ')[0]}-${round}`;
  messaging.subscribe(
    'observation.recorded',
    async (event) => {
      await pool.query(INSERT, [event.id, consumer, event.data.targetId, event.data.fetchedAt]);
    },
    { subscription: `${consumer}.observations`, maxConcurrent: concurrency, minBackoffSeconds: 1 },
  );
  await messaging.start();
  const started = performance.now();
  let next = 0;
  // Publishers at the same concurrency: the figure is sustained flow, not a pre-filled backlog.
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length)
        await messaging.publish(events[next++] as EventOf<'observation.recorded'>);
    }),
  );
  while ((await rowsOf(pool, consumer)) < events.length)
    await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - started) / 1000;
  await messaging.stop();
  return { path, events: events.length, seconds, eventsPerSecond: events.length / seconds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '3000' },
      concurrency: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const count = Number(values.events);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const logger = createLogger({ service: 'bench-messaging', level: 'error', format: 'pretty' });
  const dir = await mkdtemp(join(tmpdir(), 'shelfwatch-bench-messaging-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), persistent: false });
  const emulatorAvailability = pubSubEmulatorAvailability();
  const emulator = emulatorAvailability.available ? await startPubSubEmulator() : undefined;
  const pool = new Pool({ connectionString: postgres.url, max: concurrency + 2 });
  const figures: Figure[] = [];
  try {
    await pool.query(`CREATE TABLE bench_observation (
      event_id uuid NOT NULL, consumer text NOT NULL, target_id uuid NOT NULL,
      fetched_at timestamptz NOT NULL, PRIMARY KEY (consumer, event_id))`);
    const batch = () => Array.from({ length: count }, observation);
    for (let round = 1; round <= rounds; round++) {
      figures.push(await rawInserts(pool, batch(), concurrency));
      figures.push(
        await throughTransport(
          'postgres (pg-boss)',
          createMessaging({
            transport: 'postgres',
            databaseUrl: postgres.url,
            logger,
            source: 'shelfwatch/bench',
          }),
          pool,
          batch(),
          concurrency,
          round,
        ),
      );
      if (emulator)
        figures.push(
          await throughTransport(
            'pubsub (emulator, streaming pull)',
            createMessaging({
              transport: 'pubsub',
              projectId: emulator.projectId,
              emulatorHost: emulator.host,
              provision: true,
              logger,
              source: 'shelfwatch/bench',
            }),
            pool,
            batch(),
            concurrency,
            round,
          ),
        );
    }
    if (!emulatorAvailability.available)
      console.log(`Pub/Sub skipped: ${emulatorAvailability.reason}`);
    console.log(
      `${count} observation.recorded events per path and round, concurrency ${concurrency}, ${rounds} round(s)`,
    );
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    };
    const paths = [...new Set(figures.map((figure) => figure.path))];
    const medians = paths.map((path) => ({
      path,
      rates: figures.filter((figure) => figure.path === path).map((f) => f.eventsPerSecond),
    }));
    const raw = median(medians[0]!.rates);
    console.table(
      medians.map(({ path, rates }) => ({
        path,
        'median events/s': Math.round(median(rates)),
        'of raw insert rate': `${((median(rates) / raw) * 100).toFixed(1)} %`,
        'all rounds (events/s)': rates.map((rate) => Math.round(rate)).join(', '),
      })),
    );
  } finally {
    await pool.end();
    await emulator?.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
