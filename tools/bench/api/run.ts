/**
 * The api's read routes against express + pg over the same tables (anchor.ts), side by side:
 * GET one watch (with its target), GET a product's price history of 365 points, GET alerts.
 * Both servers run as their own processes over one migrated embedded PostgreSQL; the api is its
 * production bundle with Cloud Run's settings (JSON logs at info, rate limits raised so the
 * benchmark is not throttled). autocannon drives each route for `--seconds`, contenders
 * interleaved A B / B A per round; printed are the medians over rounds of req/s and p99 latency,
 * and the api over anchor ratios. Beside them, the CPU milliseconds per request of the server's
 * process and of the database's processes (Linux /proc; medians over rounds): unlike req/s they
 * hardly move with the machine's load, and they say which side a gap is on. Figures only;
 * nothing asserts on time.
 *
 *   npx nx run api:build && npx tsx tools/bench/api/run.ts [--rounds 3] [--seconds 5] [--connections 10]
 *       [--baseline <another checkout's apps/api/dist/main.js, kept inside this workspace>]
 *       [--cpu-prof <dir>] [--route <part of a route's name, e.g. alerts>]
 *
 * With --baseline, that api bundle runs too, on the same database, interleaved with the others:
 * before and after figures of the api come from one run, and the two bundles' CPU per request
 * is also compared round by round (the median of each round's ratio), which a loaded machine
 * moves less than the medians of each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations, createPrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  findFreeLoopbackPort,
  queryRows,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
} from '@shelfwatch/testing';
import { cpuMsBetween, cpuMsOfTree, databaseCpuMs } from '../process-cpu';
import { median } from '../stats';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the part of its programmatic API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const root = resolve(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const PRICE_POINTS = 365;
const ALERTS = 60;

/** Spawns a server and resolves once `ready` says so; stderr is kept for the error message. */
async function startServer(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: () => Promise<boolean>,
): Promise<ChildProcess> {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited:\n${stderr}`);
    if (await ready()) return child;
    await new Promise((done) => setTimeout(done, 50));
  }
  child.kill('SIGTERM');
  throw new Error(`${args.join(' ')} did not start:\n${stderr}`);
}

const answers = (url: string) => async () => {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
};

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** An account, a watched target and its product with a year of daily prices and some alerts. */
async function seed(
  databaseUrl: string,
  accountId: string,
): Promise<{ watchId: string; productId: string }> {
  const targetId = randomUUID();
  const watchId = randomUUID();
  const productId = randomUUID();
  const url = 'https://shop.example/products/lamp';
  const statements = [
    `INSERT INTO targets (id, url, host, kind, check_interval_seconds, status, updated_at)
       VALUES ('${targetId}', '${url}', 'shop.example', 'product', 3600, 'active', now())`,
    `INSERT INTO target_health (target_id, consecutive_failures, last_success_at, updated_at)
       VALUES ('${targetId}', 0, now(), now())`,
    `INSERT INTO watches (id, account_id, target_id, labels, check_interval_seconds, alert_kinds, updated_at)
       VALUES ('${watchId}', '${accountId}', '${targetId}', '{desk,lamps}', 3600, '{price_drop}', now())`,
    `INSERT INTO products (id, target_id, url, canonical_url, variant_key, host, name, currency,
                           latest_price, latest_availability, latest_observed_at, first_seen_at, updated_at)
       VALUES ('${productId}', '${targetId}', '${url}', '${url}', '', 'shop.example', 'Desk Lamp', 'EUR',
               24.99, 'InStock', now(), now() - interval '365 days', now())`,
    `INSERT INTO price_points (id, product_id, run_id, observed_at, amount, currency, list_price,
                               availability, source_event_id)
       SELECT gen_random_uuid(), '${productId}', gen_random_uuid(), now() - make_interval(days => d),
              19.99 + (d % 7), 'EUR', 29.99, 'InStock', gen_random_uuid()
         FROM generate_series(1, ${PRICE_POINTS}) AS d`,
    `INSERT INTO alerts (id, product_id, target_id, kind, previous_amount, previous_currency,
                         current_amount, current_currency, current_availability, change_percent,
                         observed_at, source_event_id, event_id, watch_id, account_id)
       SELECT gen_random_uuid(), '${productId}', '${targetId}', 'price_drop', 29.99, 'EUR', 24.99,
              'EUR', 'InStock', -16.67, now() - make_interval(hours => a), gen_random_uuid(),
              gen_random_uuid(), '${watchId}', '${accountId}'
         FROM generate_series(1, ${ALERTS}) AS a`,
  ];
  for (const statement of statements) await queryRows(databaseUrl, statement);
  return { watchId, productId };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      baseline: { type: 'string' },
      'cpu-prof': { type: 'string' },
      route: { type: 'string' },
    },
  });
  const rounds = Math.max(1, Number(values.rounds));
  const duration = Math.max(1, Number(values.seconds));
  const connections = Math.max(1, Number(values.connections));
  const bundles: [string, string][] = [['api', join(root, 'apps/api/dist/main.js')]];
  if (values.baseline) bundles.push(['api baseline', resolve(values.baseline)]);
  for (const [, bundle] of bundles)
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npx nx run api:build`);

  await testDatabaseGlobalSetup({ prepareTemplate: (url) => applyMigrations(url) });
  const database = await createTestDatabase(createPrismaClient);
  const servers: ChildProcess[] = [];
  try {
    const key = `sw_benchkey2345_${randomBytes(32).toString('base64url')}`;
    const apiPorts: [string, number][] = [];
    const pids = new Map<string, number | undefined>();
    for (const [name, bundle] of bundles) {
      const port = await findFreeLoopbackPort();
      servers.push(
        await startServer(
          process.execPath,
          // --cpu-prof <dir>: each api writes a V8 CPU profile there when it stops.
          values['cpu-prof']
            ? [
                '--cpu-prof',
                '--cpu-prof-dir',
                resolve(values['cpu-prof'], name.replace(/ /g, '-')),
                bundle,
              ]
            : [bundle],
          {
            PORT: String(port),
            DATABASE_URL: database.url,
            MESSAGING_TRANSPORT: 'postgres',
            BOOTSTRAP_ADMIN_API_KEY: key,
            K_SERVICE: 'api',
            K_REVISION: 'api-bench',
            LOG_LEVEL: 'info',
            NODE_ENV: 'production',
            METADATA_SERVER_DETECTION: 'none',
            GOOGLE_CLOUD_PROJECT: 'shelfwatch-ci',
            RATE_LIMIT_PER_KEY: '1000000',
            RATE_LIMIT_PER_ACCOUNT: '10000000',
            // No tick route: on Cloud Run it would need an OIDC caller, and reads are measured.
            SCHEDULER_MODE: 'off',
          },
          answers(`http://127.0.0.1:${port}/ready`),
        ),
      );
      apiPorts.push([name, port]);
      pids.set(name, servers.at(-1)?.pid);
    }
    const [account] = await queryRows<{ account_id: string }>(
      database.url,
      `SELECT account_id FROM api_keys LIMIT 1`,
    );
    if (!account) throw new Error('the api did not create its bootstrap key');
    const { watchId, productId } = await seed(database.url, account.account_id);
    const anchorPort = await findFreeLoopbackPort();
    servers.push(
      await startServer(
        tsx,
        [join(__dirname, 'anchor.ts'), database.url, String(anchorPort)],
        { NODE_ENV: 'production' },
        answers(`http://127.0.0.1:${anchorPort}/v1/alerts`),
      ),
    );
    pids.set('express + pg', servers.at(-1)?.pid);
    const allRoutes: [string, string][] = [
      ['GET one watch (with target)', `/v1/watches/${watchId}`],
      [
        `GET price history, ${PRICE_POINTS} points`,
        `/v1/products/${productId}/prices?page_size=1000`,
      ],
      ['GET alerts (50)', '/v1/alerts?page_size=50'],
    ];
    // --route: only the routes whose name holds it (a profile of one route, say).
    const routes = allRoutes.filter(([route]) => !values.route || route.includes(values.route));
    const contenders: [string, number][] = [...apiPorts, ['express + pg', anchorPort]];
    // Each route once per contender, unmeasured: connection pools, JIT and caches warm up.
    for (const [, path] of routes)
      for (const [, port] of contenders)
        await autocannon({
          url: `http://127.0.0.1:${port}${path}`,
          connections,
          duration: 1,
          headers: { authorization: `Bearer ${key}` },
        });
    const figures = new Map<
      string,
      { rps: number[]; p99: number[]; serverCpu: number[]; databaseCpu: number[]; failed: number }
    >();
    for (let round = 0; round < rounds; round++)
      for (const [route, path] of routes) {
        const order = round % 2 === 0 ? contenders : [...contenders].reverse();
        for (const [name, port] of order) {
          const serverBefore = cpuMsOfTree(pids.get(name));
          const databaseBefore = await databaseCpuMs(database.url);
          const result = await autocannon({
            url: `http://127.0.0.1:${port}${path}`,
            connections,
            duration,
            headers: { authorization: `Bearer ${key}` },
          });
          const serverMs = cpuMsOfTree(pids.get(name)) - serverBefore;
          const databaseMs = cpuMsBetween(databaseBefore, await databaseCpuMs(database.url));
          const entry = figures.get(`${route}|${name}`) ?? {
            rps: [],
            p99: [],
            serverCpu: [],
            databaseCpu: [],
            failed: 0,
          };
          entry.rps.push(result.requests.average);
          entry.p99.push(result.latency.p99);
          entry.serverCpu.push(serverMs / result.requests.total);
          entry.databaseCpu.push(databaseMs / result.requests.total);
          entry.failed += result.non2xx + result.errors;
          figures.set(`${route}|${name}`, entry);
        }
      }
    for (const [name, bundle] of bundles) console.log(`${name}: ${bundle}`);
    console.log(
      `node ${process.version}; ${rounds} rounds x ${duration} s per route and server, ${connections} connections, order alternating per round; medians; ratios over express + pg; CPU per request of the server process and of the database`,
    );
    console.log(
      ['route', 'server', 'req/s', 'ratio', 'p99 ms', 'ratio', 'cpu ms/req', 'db ms/req', 'non-2xx']
        .map((cell, index) => (index < 2 ? cell.padEnd(index === 0 ? 34 : 16) : cell.padStart(11)))
        .join(''),
    );
    for (const [route] of routes) {
      const anchor = figures.get(`${route}|express + pg`)!;
      for (const [name] of contenders) {
        const entry = figures.get(`${route}|${name}`)!;
        const cells = [
          median(entry.rps).toFixed(0),
          (median(entry.rps) / median(anchor.rps)).toFixed(2),
          median(entry.p99).toFixed(0),
          (median(entry.p99) / median(anchor.p99)).toFixed(2),
          median(entry.serverCpu).toFixed(2),
          median(entry.databaseCpu).toFixed(2),
          String(entry.failed),
        ];
        console.log(
          `${route.padEnd(34)}${name.padEnd(16)}${cells.map((cell) => cell.padStart(11)).join('')}`,
        );
      }
    }
    // With a baseline, the two api bundles' CPU per request paired by round (the rounds ran
    // side by side, so a round's load is shared): the median of the rounds' ratios.
    if (values.baseline) {
      console.log('api / api baseline, CPU per request paired by round (median of the rounds):');
      for (const [route] of routes) {
        const now = figures.get(`${route}|api`);
        const before = figures.get(`${route}|api baseline`);
        if (!now || !before) continue;
        const paired = (cpu: (entry: NonNullable<typeof now>, round: number) => number) =>
          median(now.rps.map((_, round) => cpu(now, round) / cpu(before, round))).toFixed(2);
        const server = (entry: NonNullable<typeof now>, round: number) =>
          entry.serverCpu[round] ?? NaN;
        const database = (entry: NonNullable<typeof now>, round: number) =>
          entry.databaseCpu[round] ?? NaN;
        console.log(
          `${route.padEnd(34)}server ${paired(server)}, db ${paired(database)}, server + db ${paired((entry, round) => server(entry, round) + database(entry, round))}`,
        );
      }
    }
  } finally {
    for (const server of servers) await stop(server);
    await database.drop();
    await testDatabaseGlobalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
