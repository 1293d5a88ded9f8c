import http from 'node:http';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  randomApiKey,
  secretsInLogs,
  type TestDatabase,
} from '@shelfwatch/testing';
import { spawnApp, waitUntilReady, type AppProcess } from '@shelfwatch/tools';
import { Client } from 'pg';
import { reportFigures } from './fault-figures';

/*
 * SIGTERM to the api while many requests wait on a locked table: each creates a target whose
 * INSERT blocks behind an ACCESS EXCLUSIVE lock held past the api's shutdown deadline. Whatever a
 * client was told, the database must agree: a 201 means the row exists, anything else (503, a
 * reset) means it never will, even after the lock is released. Idle keep-alive connections that
 * send once more during the drain get an answer with `Connection: close`, not a reset. No 500.
 */
const WAITING = 40;
const IDLE_SOCKETS = 8;

interface Outcome {
  status?: number;
  connectionClose?: boolean;
  error?: string;
}

function send(
  agent: http.Agent,
  url: string,
  options: { method: string; key?: string; body?: unknown },
): Promise<Outcome> {
  return new Promise((resolve) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const request = http.request(
      url,
      {
        agent,
        method: options.method,
        headers: {
          ...(options.key ? { Authorization: `Bearer ${options.key}` } : {}),
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (response) => {
        response.resume();
        response.once('end', () =>
          resolve({
            status: response.statusCode,
            connectionClose: response.headers.connection === 'close',
          }),
        );
        response.once('error', (error: NodeJS.ErrnoException) =>
          resolve({ error: error.code ?? error.message }),
        );
      },
    );
    request.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message }),
    );
    request.end(body);
  });
}

describe('SIGTERM to the api while requests wait on a locked table', () => {
  let database: TestDatabase<PrismaClient>;
  let api: AppProcess;
  const output: string[] = [];
  const key = randomApiKey();

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    const port = await findFreeLoopbackPort();
    api = spawnApp('api', {
      from: 'bundle',
      port,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
        DATABASE_URL: database.url,
        DATABASE_POOL_MAX: '10',
        MESSAGING_TRANSPORT: 'postgres',
        SCHEDULER_MODE: 'off',
        SCRAPER_ALLOW_HOSTS: '127.0.0.1',
        BOOTSTRAP_ADMIN_API_KEY: key,
        RATE_LIMIT_PER_KEY: '1000000',
        RATE_LIMIT_PER_ACCOUNT: '10000000',
        METADATA_SERVER_DETECTION: 'none',
        GOOGLE_CLOUD_PROJECT: 'shelfwatch-faults',
      },
      onLine: (line) => output.push(line),
    });
    await waitUntilReady(api);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('tells every client the truth about its write, answers idle sockets with Connection: close, and never 500', async () => {
    const busy = new http.Agent({ keepAlive: true, maxSockets: WAITING });
    const idle = new http.Agent({ keepAlive: true, maxSockets: IDLE_SOCKETS });
    const urlOf = (index: number) => `http://127.0.0.1:1/sigterm/${index}`;
    const create = (index: number) =>
      send(busy, `${api.url}/v1/targets`, {
        method: 'POST',
        key,
        body: { url: urlOf(index), status: 'paused' },
      });

    // Keep-alive connections for the writers, opened before the lock.
    const warm = await Promise.all(Array.from({ length: WAITING }, (_, index) => create(index)));
    expect(warm.map((outcome) => outcome.status)).toEqual(warm.map(() => 201));

    const lock = new Client({ connectionString: database.url });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE targets IN ACCESS EXCLUSIVE MODE');
    const waiting = Array.from({ length: WAITING }, (_, index) => create(WAITING + index));
    await eventually(
      'the api blocked on the lock',
      async () => {
        const { rows } = await lock.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND application_name LIKE 'shelfwatch-api %'`,
        );
        return Number(rows[0]!.n) > 0 ? true : undefined;
      },
      30_000,
      100,
    );

    // Idle keep-alive connections, opened just before the signal (well within keep-alive's 5 s).
    await Promise.all(
      Array.from({ length: IDLE_SOCKETS }, () =>
        send(idle, `${api.url}/health`, { method: 'GET' }),
      ),
    );
    const signalledAt = Date.now();
    api.child.kill('SIGTERM');
    await new Promise((wake) => setTimeout(wake, 200));
    // One more request on each idle keep-alive connection, mid-drain.
    const idleOutcomes = await Promise.all(
      Array.from({ length: IDLE_SOCKETS }, () =>
        send(idle, `${api.url}/health`, { method: 'GET' }),
      ),
    );
    const outcomes = await Promise.all(waiting);
    const exitCode = await api.exited;
    const exitedAfterMs = Date.now() - signalledAt;

    // Anything that survived the process would commit now.
    await lock.query('COMMIT');
    await new Promise((wake) => setTimeout(wake, 2_000));
    const rows = await lock.query<{ url: string }>(
      `SELECT url FROM targets WHERE url LIKE 'http://127.0.0.1:1/sigterm/%'`,
    );
    await lock.end();
    busy.destroy();
    idle.destroy();

    const stored = new Set(rows.rows.map((row) => row.url));
    const all = [...warm, ...outcomes];
    const created = (outcome: Outcome) => outcome.status === 201;
    const hiddenWrites = all.filter((o, index) => !created(o) && stored.has(urlOf(index))).length;
    const lost = all.filter((o, index) => created(o) && !stored.has(urlOf(index))).length;
    const count = (predicate: (outcome: Outcome) => boolean) => outcomes.filter(predicate).length;
    const fiveXx = count((o) => o.status !== undefined && o.status >= 500 && o.status !== 503);
    const idleReset = idleOutcomes.filter((o) => o.error !== undefined).length;
    const idleClosed = idleOutcomes.filter((o) => o.status === 200 && o.connectionClose).length;
    reportFigures({
      scenario: 'SIGTERM to the api while requests wait on a locked table',
      tried: all.length,
      survived: all.length - hiddenWrites - lost,
      lost,
      fiveXx,
      notes: {
        waitingAtSigterm: WAITING,
        answered2xx: count(created),
        answered503: count((o) => o.status === 503),
        reset: count((o) => o.error !== undefined),
        otherStatuses: count((o) => o.status !== undefined && o.status !== 201 && o.status !== 503),
        hiddenWrites,
        idleSockets: IDLE_SOCKETS,
        idleAnsweredWithClose: idleClosed,
        idleReset,
        exitCode: String(exitCode),
        secondsToExit: exitedAfterMs / 1000,
      },
    });
    expect({ hiddenWrites, lost, fiveXx, idleReset }).toEqual({
      hiddenWrites: 0,
      lost: 0,
      fiveXx: 0,
      idleReset: 0,
    });
    expect(idleClosed).toBe(IDLE_SOCKETS);
    expect(secretsInLogs(output, [key])).toEqual([]);
  });
});
