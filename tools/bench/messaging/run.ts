import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import type * as MessagingModule from '@shelfwatch/messaging';
import { PubSub } from '@google-cloud/pubsub';
import { Pool } from 'pg';
import {
  pubSubEmulatorAvailability,
  startEmbeddedPostgres,
  startPubSubEmulator,
} from '@shelfwatch/testing';
import { median } from '../stats';

/**
 * Sustained observation.recorded events per second through each messaging transport into
 * PostgreSQL (a handler inserts one row per event, idempotently, as a consumer's inbox does),
 * beside the raw PostgreSQL insert rate at the same concurrency, all in one run on one embedded
 * PostgreSQL. The Pub/Sub figure uses the emulator, so it measures our client path, not Google.
 *
 * Rounds interleave the paths so machine noise hits them alike; the table gives medians and
 * each path's share of the raw insert rate.
 *
 * `--slow-every N --slow-ms M` makes every Nth event's handler (and raw insert) wait M ms more, as
 * a scraper's handler does for a slow shop: it shows whether a slow handler holds up the others.
 * `--baseline <checkout>` adds the pg-boss path of another checkout's libs/messaging (e.g. a
 * worktree of main under this workspace's `tmp/`, so its imports resolve to this node_modules)
 * to the same interleaved rounds, for before/after figures from one run.
 *
 *   npx tsx tools/bench/messaging/run.ts [--events 3000] [--concurrency 10] [--rounds 3]
 *     [--slow-every 10 --slow-ms 200] [--baseline tmp/base]
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

/** The extra wait of every `every`th handler call (none when `every` is 0). */
interface SlowHandlers {
  every: number;
  ms: number;
}

function slowDown(slow: SlowHandlers, call: number): Promise<void> | undefined {
  if (slow.every === 0 || call % slow.every !== 0) return undefined;
  return new Promise((resolve) => setTimeout(resolve, slow.ms));
}

async function rawInserts(
  pool: Pool,
  events: EventOf<'observation.recorded'>[],
  concurrency: number,
  slow: SlowHandlers,
): Promise<Figure> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length) {
        const event = events[next++] as EventOf<'observation.recorded'>;
        await slowDown(slow, next);
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

/** The consumer name of a path's round; its subscription is `<consumer>.observations`. */
function consumerOf(path: string, round: number): string {
  return `bench-${path.replace(/\W+/g, '-')}-${round}`;
}

async function throughTransport(
  path: string,
  messaging: Messaging,
  pool: Pool,
  events: EventOf<'observation.recorded'>[],
  concurrency: number,
  round: number,
  slow: SlowHandlers,
): Promise<Figure> {
  const consumer = consumerOf(path, round);
  let calls = 0;
  messaging.subscribe(
    'observation.recorded',
    async (event) => {
      await slowDown(slow, ++calls);
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
      'slow-every': { type: 'string', default: '0' },
      'slow-ms': { type: 'string', default: '200' },
      baseline: { type: 'string' },
    },
  });
  const slow = { every: Number(values['slow-every']), ms: Number(values['slow-ms']) };
  if (!Number.isInteger(slow.every) || slow.every < 0 || !(slow.ms >= 0))
    throw new Error('--slow-every must be a whole number and --slow-ms a number of at least 0');
  const baseline = values.baseline
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require(resolve(values.baseline, 'libs/messaging/src')) as typeof MessagingModule)
    : undefined;
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
    const postgresPaths: Array<[string, typeof createMessaging]> = [
      ['postgres (pg-boss)', createMessaging],
    ];
    if (baseline) postgresPaths.push(['postgres (pg-boss), baseline', baseline.createMessaging]);
    for (let round = 1; round <= rounds; round++) {
      figures.push(await rawInserts(pool, batch(), concurrency, slow));
      // The two pg-boss paths swap places every round, so neither always runs first.
      const order = round % 2 === 0 ? [...postgresPaths].reverse() : postgresPaths;
      const measure = (path: string, messaging: Messaging) =>
        throughTransport(path, messaging, pool, batch(), concurrency, round, slow);
      for (const [path, create] of order)
        figures.push(
          await measure(
            path,
            create({
              transport: 'postgres',
              databaseUrl: postgres.url,
              // A schema of its own per path and round: a queue of an earlier round stays
              // subscribed to the topic and would take a copy of every event published later.
              schema: `pgboss_${path.replace(/\W+/g, '_')}_${round}`,
              logger,
              source: 'shelfwatch/bench',
            }),
          ),
        );
      if (emulator) {
        const path = 'pubsub (emulator, streaming pull)';
        figures.push(
          await measure(
            path,
            createMessaging({
              transport: 'pubsub',
              projectId: emulator.projectId,
              emulatorHost: emulator.host,
              provision: true,
              logger,
              source: 'shelfwatch/bench',
            }),
          ),
        );
        // A round's subscription would otherwise stay on the topic and take a copy of every
        // event published in the rounds after it.
        await new PubSub({
          projectId: emulator.projectId,
          apiEndpoint: emulator.host,
          emulatorMode: true,
        })
          .subscription(`${consumerOf(path, round)}.observations`)
          .delete();
      }
    }
    if (!emulatorAvailability.available)
      console.log(`Pub/Sub skipped: ${emulatorAvailability.reason}`);
    console.log(
      `${count} observation.recorded events per path and round, concurrency ${concurrency}, ${rounds} round(s)` +
        (slow.every ? `, every ${slow.every}th handler ${slow.ms} ms slower` : ''),
    );
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
