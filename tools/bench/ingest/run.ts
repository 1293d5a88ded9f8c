/**
 * Observations ingested per second by the real analytics handler through each transport, beside
 * what is underneath it: raw INSERTs of one price point per observation through a pg pool, and the
 * Pub/Sub emulator's own streaming pull -> ack under a stock client, without any handler (in
 * backlog mode of a backlog published beforehand, like the handler's; see `bareEmulatorRound`). Each handler round
 * is a fresh process (apps/analytics/bench/ingest-runner.ts) on a fresh database cloned from one
 * migrated template; paths are interleaved per round (order rotates) and the table gives medians
 * and ratios. Figures only; nothing asserts on time.
 *
 * `--mode backlog` (default) times the handler working off events already published; `live` times
 * publishing and handling together (see the runner). `--baseline <checkout>` adds the handler
 * paths of another checkout (e.g. a worktree at main) to the same interleaved rounds, driven by
 * this checkout's runner (copied into it), for before/after figures from one run.
 *
 * `--targets N` (default 1000): observation i is of target i mod N, each target one product. Up to
 * the first pass of issue 18 the workload had 100 targets, so every concurrent batch locked the
 * same products; a scraper checks each target once per interval, so a batch rarely meets a
 * product twice. `--targets 100` gives the old workload and its figures.
 *
 *   npx tsx tools/bench/ingest/run.ts [--events 2000] [--concurrency 10] [--rounds 3]
 *     [--mode backlog|live] [--targets 1000] [--baseline ../wt-main]
 *
 * Without the emulator (gcloud's pubsub-emulator component) the Pub/Sub paths are skipped and
 * said so; everything else still runs.
 */
import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { PubSub } from '@google-cloud/pubsub';
import { applyMigrations, createPrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  pubSubEmulatorAvailability,
  startPubSubEmulator,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
  type PubSubEmulator,
} from '@shelfwatch/testing';
import { Pool } from 'pg';
import { median } from '../stats';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
const RUNNER = 'apps/analytics/bench/ingest-runner.ts';
/** Where this checkout's runner goes in a baseline checkout (left there; git-ignore it there). */
const BASELINE_RUNNER = 'apps/analytics/bench/ingest-runner.bench-copy.ts';

const PATHS = {
  pgboss: 'analytics handler via pg-boss',
  pubsub: 'analytics handler via Pub/Sub emulator',
  'pgboss-baseline': 'baseline handler via pg-boss',
  'pubsub-baseline': 'baseline handler via Pub/Sub emulator',
  raw: 'raw INSERT (pg pool)',
  bare: 'bare emulator, stock client',
} as const;
type PathKey = keyof typeof PATHS;

async function withDatabase<T>(use: (url: string) => Promise<T>): Promise<T> {
  const database = await createTestDatabase(createPrismaClient);
  try {
    return await use(database.url);
  } finally {
    await database.drop();
  }
}

interface Checkout {
  root: string;
  runner: string;
}

async function handlerRound(
  checkout: Checkout,
  transport: 'postgres' | 'pubsub',
  count: number,
  concurrency: number,
  mode: string,
  targets: number,
  emulator: PubSubEmulator | undefined,
): Promise<number> {
  return withDatabase(async (url) => {
    const args = [
      checkout.runner,
      transport,
      url,
      String(count),
      String(concurrency),
      mode,
      String(targets),
    ];
    if (emulator) args.push(emulator.host, emulator.projectId);
    const { stdout } = await run(join(checkout.root, 'node_modules/.bin/tsx'), args, {
      cwd: checkout.root,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const { events, seconds } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      events: number;
      seconds: number;
    };
    return events / seconds;
  });
}

/** One price point per observation, one autocommitted INSERT each, `concurrency` at a time. */
async function rawInsertRound(count: number, concurrency: number): Promise<number> {
  return withDatabase(async (url) => {
    const pool = new Pool({ connectionString: url, max: concurrency });
    // Dropping the database may terminate a connection the pool is still closing.
    pool.on('error', () => undefined);
    try {
      const productId = randomUUID();
      await pool.query(
        `INSERT INTO products (id, url, canonical_url, variant_key, host, latest_observed_at, first_seen_at, updated_at)
           VALUES ($1, 'https://shop.example.com/p/1', 'https://shop.example.com/p/1', '', 'shop.example.com', now(), now(), now())`,
        [productId],
      );
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < count)
            await pool.query(
              `INSERT INTO price_points (id, product_id, run_id, observed_at, amount, currency, availability, source_event_id)
                 VALUES ($1, $2, $3, now(), 199.00, 'EUR', 'InStock', $4)`,
              [randomUUID(), productId, randomUUID(), randomUUID()],
            );
        }),
      );
      return count / ((performance.now() - started) / 1000);
    } finally {
      await pool.end();
    }
  });
}

/**
 * The emulator alone, under a stock client (the library's default flow control and streams, none
 * of ours): `count` messages received by streaming pull and acked, nothing else. In `backlog` mode
 * they are published first, untimed, as the handler rounds' backlog is, and only the pull is
 * timed. (Until ADR 0041 this round also timed its own publishing, one awaited `publishMessage` at
 * a time from `concurrency` callers, each waiting out the client's 10 ms publish batch: about
 * 1,000/s whatever the emulator could deliver, so it ran slower than the handler it anchored.) In
 * `live` mode `concurrency` publishers feed the open subscription, as the runner's live mode does.
 */
async function bareEmulatorRound(
  emulator: PubSubEmulator,
  count: number,
  concurrency: number,
  mode: 'backlog' | 'live',
): Promise<number> {
  const pubsub = new PubSub({
    projectId: emulator.projectId,
    apiEndpoint: emulator.host,
    emulatorMode: true,
  });
  const name = `bench-bare-${randomUUID()}`;
  try {
    const [topic] = await pubsub.createTopic(name);
    const [subscription] = await topic.createSubscription(name);
    const body = Buffer.from(JSON.stringify({ observation: 'x'.repeat(600) }));
    const publishAll = async (): Promise<void> => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < count) await topic.publishMessage({ data: body });
        }),
      );
    };
    if (mode === 'backlog')
      await Promise.all(Array.from({ length: count }, () => topic.publishMessage({ data: body })));
    let acked = 0;
    const started = performance.now();
    const done = new Promise<void>((resolveDone) => {
      subscription.on('message', (message: { ack(): void }) => {
        message.ack();
        if (++acked === count) resolveDone();
      });
    });
    if (mode === 'live') await publishAll();
    await done;
    const rate = count / ((performance.now() - started) / 1000);
    await subscription.close();
    await subscription.delete();
    await topic.delete();
    return rate;
  } finally {
    await pubsub.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      mode: { type: 'string', default: 'backlog' },
      targets: { type: 'string', default: '1000' },
      baseline: { type: 'string' },
    },
  });
  const mode = values.mode === 'live' ? 'live' : 'backlog';
  const current: Checkout = { root, runner: join(root, RUNNER) };
  let baseline: Checkout | undefined;
  if (values.baseline) {
    const baselineRoot = resolve(values.baseline);
    baseline = { root: baselineRoot, runner: join(baselineRoot, BASELINE_RUNNER) };
    await copyFile(current.runner, baseline.runner);
  }
  const count = Math.max(1, Number(values.events));
  const concurrency = Math.max(1, Number(values.concurrency));
  const rounds = Math.max(1, Number(values.rounds));
  const targets = Math.max(1, Number(values.targets));
  const availability = pubSubEmulatorAvailability();
  await testDatabaseGlobalSetup({ prepareTemplate: (url) => applyMigrations(url) });
  const emulator = availability.available ? await startPubSubEmulator() : undefined;
  const paths: PathKey[] = [
    'pgboss',
    ...(baseline ? (['pgboss-baseline'] as const) : []),
    ...(emulator ? (['pubsub'] as const) : []),
    ...(emulator && baseline ? (['pubsub-baseline'] as const) : []),
    'raw',
    ...(emulator ? (['bare'] as const) : []),
  ];
  const rates = new Map<PathKey, number[]>(paths.map((path) => [path, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      // Rotate who goes first so no path always meets the same machine state.
      const order = paths.map((_, index) => paths[(index + round) % paths.length] as PathKey);
      for (const path of order) {
        const checkout = path.endsWith('-baseline') ? (baseline as Checkout) : current;
        const rate =
          path === 'pgboss' || path === 'pgboss-baseline'
            ? await handlerRound(checkout, 'postgres', count, concurrency, mode, targets, undefined)
            : path === 'pubsub' || path === 'pubsub-baseline'
              ? await handlerRound(checkout, 'pubsub', count, concurrency, mode, targets, emulator)
              : path === 'raw'
                ? await rawInsertRound(count, concurrency)
                : await bareEmulatorRound(emulator as PubSubEmulator, count, concurrency, mode);
        rates.get(path)?.push(rate);
      }
    }
  } finally {
    await emulator?.stop();
    await testDatabaseGlobalTeardown();
  }
  if (!availability.available) console.log(`Pub/Sub paths skipped: ${availability.reason}`);
  console.log(
    `node ${process.version}; ${count} observations of ${targets} targets per path and round, concurrency ${concurrency}, ${rounds} rounds, order rotating, handler mode ${mode}; medians`,
  );
  if (baseline) console.log(`baseline: ${baseline.root}`);
  const medianOf = (path: PathKey) => median(rates.get(path) ?? []);
  const raw = medianOf('raw');
  const bare = emulator ? medianOf('bare') : NaN;
  console.log(
    ['path', 'events/s', 'x raw INSERT', 'x bare emulator', 'x baseline', 'all rounds']
      .map((cell, index) => (index === 0 ? cell.padEnd(42) : cell.padStart(16)))
      .join(''),
  );
  for (const path of paths) {
    const rate = medianOf(path);
    const cells = [
      rate.toFixed(0),
      (rate / raw).toFixed(3),
      path.startsWith('pubsub') || path === 'bare' ? (rate / bare).toFixed(3) : '',
      baseline && (path === 'pgboss' || path === 'pubsub')
        ? (rate / medianOf(`${path}-baseline`)).toFixed(2)
        : '',
      (rates.get(path) ?? []).map((value) => value.toFixed(0)).join(', '),
    ];
    console.log(`${PATHS[path].padEnd(42)}${cells.map((cell) => cell.padStart(16)).join('')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
