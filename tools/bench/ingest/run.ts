/**
 * Observations ingested per second by the real analytics handler through each transport, beside
 * what is underneath it: raw INSERTs of one price point per observation through a pg pool, and the
 * Pub/Sub emulator's own streaming pull -> ack under a stock client, without any handler (in
 * backlog mode of a backlog published beforehand, like the handler's; see `bareEmulatorRound`).
 * Each handler round is a fresh process (apps/analytics/bench/ingest-runner.ts) on a fresh database cloned from one
 * migrated template; paths are interleaved per round (order rotates) and the table gives medians
 * and ratios. Figures only; nothing asserts on time.
 *
 * `--mode backlog` (default) times the handler working off events already published; `live` times
 * publishing and handling together (see the runner). `--baseline <checkout>` adds the handler
 * paths of another checkout (e.g. a worktree at main) to the same interleaved rounds, driven by
 * this checkout's runner (copied into it), for before/after figures from one run.
 *
 * A second table gives CPU milliseconds per 1,000 observations, of the ingesting process and of the
 * database's backends, over the same timed part (the runner waits at its start and end while this
 * reads /proc; ADR 0041): on a shared machine wall time follows everyone else's load, CPU hardly.
 * `raw / this` is the raw INSERT's total CPU per observation over this path's.
 *
 * `--targets N` (default 1000): observation i is of target i mod N, each target one product. Up to
 * the first pass of issue 18 the workload had 100 targets, so every concurrent batch locked the
 * same products; a scraper checks each target once per interval, so a batch rarely meets a
 * product twice. `--targets 100` gives the old workload and its figures.
 *
 *   npx tsx tools/bench/ingest/run.ts [--events 2000] [--concurrency 10] [--rounds 3]
 *     [--mode backlog|live] [--targets 1000] [--baseline ../wt-main] [--paths pubsub,raw]
 *
 * `--paths` keeps only the named paths (the keys of `PATHS`), e.g. to repeat one transport's rounds.
 *
 * Without the emulator (gcloud's pubsub-emulator component) the Pub/Sub paths are skipped and
 * said so; everything else still runs.
 */
import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
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
import { cpuMsBetween, cpuMsOfTree, databaseCpuMs } from '../process-cpu';
import { median } from '../stats';

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

/** What one round measured: observations per second, and CPU ms per 1,000 of them. */
interface Round {
  rate: number;
  /** The process that ingested (the runner, or this bench for raw INSERT). */
  processCpu: number;
  /** The database's backends. */
  databaseCpu: number;
}

async function handlerRound(
  checkout: Checkout,
  transport: 'postgres' | 'pubsub',
  count: number,
  concurrency: number,
  mode: string,
  targets: number,
  emulator: PubSubEmulator | undefined,
): Promise<Round> {
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
    const child = spawn(join(checkout.root, 'node_modules/.bin/tsx'), args, {
      cwd: checkout.root,
      env: { ...process.env, NODE_ENV: 'production', INGEST_RUNNER_HANDSHAKE: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    // The runner stops at the start and the end of its timed part until this read the CPU used.
    let processCpu = NaN;
    let databaseCpu = NaN;
    let databaseBefore = new Map<number, number>();
    let last = '';
    for await (const line of createInterface({ input: child.stdout })) {
      const message = JSON.parse(line) as { phase?: 'start' | 'end' };
      if (message.phase === 'start') {
        processCpu = -cpuMsOfTree(child.pid);
        databaseBefore = await databaseCpuMs(url);
        child.stdin.write('go\n');
      } else if (message.phase === 'end') {
        processCpu += cpuMsOfTree(child.pid);
        databaseCpu = cpuMsBetween(databaseBefore, await databaseCpuMs(url));
        child.stdin.write('go\n');
      } else last = line;
    }
    const status = await exited;
    if (status !== 0) throw new Error(`${checkout.runner} exited with ${status}`);
    const { events, seconds } = JSON.parse(last) as { events: number; seconds: number };
    return {
      rate: events / seconds,
      processCpu: (processCpu / events) * 1000,
      databaseCpu: (databaseCpu / events) * 1000,
    };
  });
}

/** One price point per observation, one autocommitted INSERT each, `concurrency` at a time. */
async function rawInsertRound(count: number, concurrency: number): Promise<Round> {
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
      const databaseBefore = await databaseCpuMs(url);
      const processBefore = process.cpuUsage();
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
      const rate = count / ((performance.now() - started) / 1000);
      const used = process.cpuUsage(processBefore);
      const databaseCpu = cpuMsBetween(databaseBefore, await databaseCpuMs(url));
      return {
        rate,
        processCpu: ((used.user + used.system) / 1000 / count) * 1000,
        databaseCpu: (databaseCpu / count) * 1000,
      };
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
): Promise<Round> {
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
    const processBefore = process.cpuUsage();
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
    const used = process.cpuUsage(processBefore);
    await subscription.close();
    await subscription.delete();
    await topic.delete();
    // The client's CPU only: the emulator's own is neither ours nor the database's.
    return { rate, processCpu: ((used.user + used.system) / 1000 / count) * 1000, databaseCpu: 0 };
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
      paths: { type: 'string' },
    },
  });
  const wanted = values.paths?.split(',');
  const unknown = (wanted ?? []).filter((name) => !(name in PATHS));
  if (unknown.length > 0)
    throw new Error(
      `--paths: unknown ${unknown.join(', ')}; known: ${Object.keys(PATHS).join(', ')}`,
    );
  if (!values.baseline && wanted?.some((name) => name.endsWith('-baseline')))
    throw new Error('--paths: a baseline path needs --baseline <checkout>');
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
  const paths = (
    [
      'pgboss',
      ...(baseline ? (['pgboss-baseline'] as const) : []),
      ...(emulator ? (['pubsub'] as const) : []),
      ...(emulator && baseline ? (['pubsub-baseline'] as const) : []),
      'raw',
      ...(emulator ? (['bare'] as const) : []),
    ] as PathKey[]
  ).filter((path) => !wanted || wanted.includes(path));
  const results = new Map<PathKey, Round[]>(paths.map((path) => [path, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      // Rotate who goes first so no path always meets the same machine state.
      const order = paths.map((_, index) => paths[(index + round) % paths.length] as PathKey);
      for (const path of order) {
        const checkout = path.endsWith('-baseline') ? (baseline as Checkout) : current;
        const result =
          path === 'pgboss' || path === 'pgboss-baseline'
            ? await handlerRound(checkout, 'postgres', count, concurrency, mode, targets, undefined)
            : path === 'pubsub' || path === 'pubsub-baseline'
              ? await handlerRound(checkout, 'pubsub', count, concurrency, mode, targets, emulator)
              : path === 'raw'
                ? await rawInsertRound(count, concurrency)
                : await bareEmulatorRound(emulator as PubSubEmulator, count, concurrency, mode);
        results.get(path)?.push(result);
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
  const ratesOf = (path: PathKey) => (results.get(path) ?? []).map((round) => round.rate);
  const medianOf = (path: PathKey) => median(ratesOf(path));
  const raw = medianOf('raw');
  const bare = medianOf('bare');
  /** `a / b` to `digits`, or blank where a path it needs did not run (left out by `--paths`). */
  const ratio = (a: number, b: number, digits: number) =>
    Number.isFinite(a / b) ? (a / b).toFixed(digits) : '';
  console.log(
    ['path', 'events/s', 'x raw INSERT', 'x bare emulator', 'x baseline', 'all rounds']
      .map((cell, index) => (index === 0 ? cell.padEnd(42) : cell.padStart(16)))
      .join(''),
  );
  for (const path of paths) {
    const rate = medianOf(path);
    const cells = [
      rate.toFixed(0),
      ratio(rate, raw, 3),
      path.startsWith('pubsub') || path === 'bare' ? ratio(rate, bare, 3) : '',
      baseline && (path === 'pgboss' || path === 'pubsub')
        ? ratio(rate, medianOf(`${path}-baseline`), 2)
        : '',
      ratesOf(path)
        .map((value) => value.toFixed(0))
        .join(', '),
    ];
    console.log(
      `${PATHS[path].padEnd(42)}${cells.map((cell) => ` ${cell.padStart(15)}`).join('')}`,
    );
  }
  // CPU hardly depends on how busy the machine is: the figure that compares on a shared one.
  console.log(
    '\nCPU ms per 1,000 observations (medians; the bare emulator: its client only, not the JVM)',
  );
  const cpuOf = (path: PathKey, part: 'processCpu' | 'databaseCpu' | 'total') =>
    median(
      (results.get(path) ?? []).map((round) =>
        part === 'total' ? round.processCpu + round.databaseCpu : round[part],
      ),
    );
  const rawTotal = cpuOf('raw', 'total');
  console.log(
    ['path', 'process', 'database', 'total', 'raw / this', 'baseline / this']
      .map((cell, index) => (index === 0 ? cell.padEnd(42) : cell.padStart(16)))
      .join(''),
  );
  for (const path of paths) {
    const total = cpuOf(path, 'total');
    const cells = [
      cpuOf(path, 'processCpu').toFixed(0),
      cpuOf(path, 'databaseCpu').toFixed(0),
      total.toFixed(0),
      path === 'bare' ? '' : ratio(rawTotal, total, 3),
      baseline && (path === 'pgboss' || path === 'pubsub')
        ? ratio(cpuOf(`${path}-baseline`, 'total'), total, 2)
        : '',
    ];
    console.log(
      `${PATHS[path].padEnd(42)}${cells.map((cell) => ` ${cell.padStart(15)}`).join('')}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
