import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import {
  eventually,
  findFreeLoopbackPort,
  randomApiKey,
  secretsInLogs,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@shelfwatch/testing';
import { spawnApp, waitUntilReady, type AppProcess } from '@shelfwatch/tools';
import { reportFigures } from './fault-figures';
import { observationEvent, pricePointsByEvent } from './observations';

/*
 * PostgreSQL stopped for about 5 s in the middle of ingest and started again on the same port:
 * analytics and the api must recover by themselves, the api's reads answer 503 with Retry-After
 * (never 500) while it is down, and every observation takes effect exactly once afterwards.
 * Analytics applies batches of 200 (ADR 0025) and keeps up with a publisher, so the stream is a
 * backlog published while analytics is stopped, and the stop comes at a tenth of it: with 300 events
 * published to the running consumer, all 300 had committed before the database went away, and
 * the outage met no ingest at all (ADR 0041). The test checks that observations were still
 * pending at the stop.
 */
const EVENTS = 3_000;
/** Applied observations at which the database is stopped: a tenth of the stream. */
const STOP_AT = EVENTS / 10;
const OUTAGE_MS = 5_000;
// Generous: how soon the backlog drains depends on the machine's load; the figure says how soon.
const RECOVERY_LIMIT_MS = 120_000;
const logger = createLogger({ service: 'faults', level: 'error' });

interface Read {
  at: number;
  status?: number;
  retryAfter?: string | null;
  error?: string;
}

describe('a PostgreSQL restart during ingest', () => {
  let dir: string;
  let postgres: EmbeddedPostgres;
  let prisma: PrismaClient;
  let publisher: Messaging;
  const apps: AppProcess[] = [];
  const output: string[] = [];
  const key = randomApiKey();
  let startAnalytics: () => Promise<AppProcess>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shelfwatch-pg-restart-'));
    postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), persistent: true });
    await applyMigrations(postgres.url);
    prisma = createPrismaClient({ databaseUrl: postgres.url, pool: { max: 2 } });
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
      DATABASE_URL: postgres.url,
      DATABASE_POOL_MAX: '10',
      MESSAGING_TRANSPORT: 'postgres',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'shelfwatch-faults',
    };
    publisher = createMessaging({
      transport: 'postgres',
      databaseUrl: postgres.url,
      logger,
      source: 'shelfwatch/faults',
    });
    await publisher.start();
    const start = async (name: 'analytics' | 'api', extra: Record<string, string>) => {
      const app = spawnApp(name, {
        from: 'bundle',
        port: await findFreeLoopbackPort(),
        env: { ...env, ...extra },
        onLine: (line) => output.push(line),
      });
      await waitUntilReady(app);
      return app;
    };
    startAnalytics = () => start('analytics', { ANALYTICS_MAX_CONCURRENT: '10' });
    // analytics' first start creates its queue, so what is published while it is stopped waits.
    apps.push(await startAnalytics());
    apps.push(await start('api', { SCHEDULER_MODE: 'off', BOOTSTRAP_ADMIN_API_KEY: key }));
  }, 180_000);

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await publisher?.stop().catch(() => undefined);
    await prisma?.$disconnect();
    await postgres?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers reads 503 with Retry-After while it is down, recovers by itself, and applies every observation once', async () => {
    const api = apps[1]!;
    const events = Array.from({ length: EVENTS }, (_, index) => observationEvent(index));
    await apps[0]!.stop();
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < events.length) await publisher.publish(events[next++]!);
      }),
    );
    apps[0] = await startAnalytics();

    const reads: Read[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const at = Date.now();
        try {
          const response = await fetch(`${api.url}/v1/products?page_size=5`, {
            headers: { Authorization: `Bearer ${key}` },
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          reads.push({
            at,
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
          });
        } catch (error) {
          reads.push({ at, error: (error as Error).message });
        }
        await new Promise((wake) => setTimeout(wake, 100));
      }
    })();

    const applied = async () => (await pricePointsByEvent(prisma)).size;
    const appliedAtStop = await eventually(
      'a tenth of the observations applied',
      async () => {
        const count = await applied();
        return count >= STOP_AT ? count : undefined;
      },
      120_000,
      50,
    );
    await prisma.$disconnect();
    const stoppedAt = Date.now();
    await postgres.stop();
    await new Promise((wake) => setTimeout(wake, OUTAGE_MS));
    postgres = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      port: postgres.port,
      persistent: true,
    });
    const restartedAt = Date.now();
    prisma = createPrismaClient({ databaseUrl: postgres.url, pool: { max: 2 } });
    // At least what had committed when the database went away (analytics may have committed more
    // since it came back), so below EVENTS proves observations were still pending at the stop.
    const appliedByRestart = await applied();

    let recoveredMs: number | undefined;
    try {
      await eventually(
        `all ${EVENTS} observations applied after the restart`,
        async () => ((await applied()) >= EVENTS ? true : undefined),
        RECOVERY_LIMIT_MS,
        250,
      );
      recoveredMs = Date.now() - restartedAt;
    } catch {
      // Counted as lost below.
    }
    // Reads go on until the api answers again, however long that takes within the bound.
    await eventually(
      'the api answering reads again',
      async () => (reads.at(-1)?.status === 200 ? true : undefined),
      RECOVERY_LIMIT_MS,
      100,
    ).catch(() => undefined);
    reading = false;
    await reader;

    const effects = await pricePointsByEvent(prisma);
    const lost = events.filter((event) => !effects.has(event.id)).length;
    const duplicated = events.filter((event) => (effects.get(event.id) ?? 0) > 1).length;
    const during = reads.filter((read) => read.at >= stoppedAt);
    const unavailable = during.filter((read) => read.status === 503);
    const fiveXx = reads.filter(
      (read) => read.status !== undefined && read.status >= 500 && read.status !== 503,
    ).length;
    const withoutRetryAfter = unavailable.filter((read) => !read.retryAfter).length;
    const backAt = during.find((read) => read.at >= restartedAt && read.status === 200)?.at;
    reportFigures({
      scenario: 'PostgreSQL stopped for 5 s during ingest (Postgres transport)',
      tried: EVENTS,
      survived: EVENTS - lost,
      lost,
      duplicated,
      fiveXx,
      notes: {
        appliedAtStop,
        appliedByRestart,
        outageSeconds: (restartedAt - stoppedAt) / 1000,
        readsDuringAndAfter: during.length,
        reads503: unavailable.length,
        reads503WithoutRetryAfter: withoutRetryAfter,
        readsWithoutAnswer: during.filter((read) => read.error !== undefined).length,
        firstReadError: during.find((read) => read.error !== undefined)?.error ?? 'none',
        secondsUntilReadsAnswerAfterRestart:
          backAt === undefined ? 'never' : (backAt - restartedAt) / 1000,
        secondsUntilAllAppliedAfterRestart:
          recoveredMs === undefined ? `over ${RECOVERY_LIMIT_MS / 1000}` : recoveredMs / 1000,
      },
    });
    if (backAt === undefined) process.stdout.write(`${output.slice(-40).join('\n')}\n`);
    expect({ lost, duplicated, fiveXx, withoutRetryAfter }).toEqual({
      lost: 0,
      duplicated: 0,
      fiveXx: 0,
      withoutRetryAfter: 0,
    });
    // The outage met ingest under way, was seen, and answered honestly.
    expect(appliedByRestart).toBeLessThan(EVENTS);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(backAt).toBeDefined();
    expect(recoveredMs).toBeDefined();
    expect(secretsInLogs(output, [key])).toEqual([]);
  });
});
