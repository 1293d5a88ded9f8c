/**
 * Start-up time of each app's production bundle: milliseconds from spawning `node main.js` to
 * the first 200 from `/ready`, over a migrated embedded PostgreSQL and the Postgres message
 * transport, once with local settings (readable log lines) and once with Cloud Run's (K_SERVICE
 * set: Cloud Logging's JSON lines). Prints the median of the rounds per app and setting.
 *
 *   npx nx run-many -t build -p api scraper analytics notifier
 *   npx tsx tools/bench/startup/run.ts [--rounds 7] [--apps api,scraper]
 *       [--baseline <dir with api/ scraper/ analytics/ notifier/ main.js>] [--cpu-prof-dir <dir>]
 *       [--cpu-prof-interval <µs>]
 *
 * With --baseline (e.g. a copy of another checkout's `apps/<app>/dist` folders, kept inside this
 * workspace so the bundles find node_modules), both bundles start in the same run, rounds
 * interleaved A B B A, and the ratio column is this checkout over the baseline. With
 * --cpu-prof-dir each start also writes a V8 CPU profile there (slower starts; for finding what
 * a start spends its time on, not for the figures); --cpu-prof-interval samples more often than
 * V8's 1000 µs (100 shows the short module loads, and slows the start further).
 *
 * Each app's main.js enables Node's compile cache before it loads bundle.js (ADR 0027, 0048) and
 * compiles the bundle from a code cache written at exit (ADR 0053); the warm-up start fills both,
 * so the rounds are warm starts; `NODE_DISABLE_COMPILE_CACHE=1`
 * in the bench's environment measures starts without it. A baseline directory may hold symlinks to another checkout's bundles: Node
 * follows them, so those bundles load that checkout's node_modules. Figures only; nothing
 * asserts on time.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations, createPrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  findFreeLoopbackPort,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
} from '@shelfwatch/testing';
import { cpuMsOf } from '../process-cpu';
import { median } from '../stats';

const root = resolve(__dirname, '../../..');
const APPS = ['api', 'scraper', 'analytics', 'notifier'] as const;
const SETTINGS = {
  local: {},
  // On Cloud Run the api and the scraper refuse to start without their callers' identities.
  'Cloud Run': {
    K_SERVICE: 'bench',
    K_REVISION: 'bench-1',
    SCHEDULER_TICK_AUDIENCE: 'https://api.bench.example/internal/scheduler/tick',
    SCHEDULER_TICK_SERVICE_ACCOUNT: 'scheduler@shelfwatch-ci.iam.gserviceaccount.com',
    SCRAPER_INTERNAL_AUDIENCE: 'https://scraper.bench.example',
    SCRAPER_INTERNAL_SERVICE_ACCOUNT: 'caller@shelfwatch-ci.iam.gserviceaccount.com',
  },
} as const;
const READY_TIMEOUT_MS = 30_000;

/** An admin key shaped like the bootstrap secret, so the api starts as it does when deployed. */
const BOOTSTRAP_KEY = `sw_${'abcdefgh2345'}_${randomBytes(32).toString('base64url')}`;
/** The notifier's webhook sealing key: base64 of 32 random bytes, as in Secret Manager. */
const WEBHOOK_SECRET_KEY = randomBytes(32).toString('base64');

async function readyOnce(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/ready`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

interface Start {
  /** Wall milliseconds from spawn to the first 200 from /ready. */
  readonly ms: number;
  /** CPU milliseconds the app had used by then. */
  readonly cpuMs: number;
}

/** Spawns the bundle, polls /ready every 5 ms, stops it with SIGTERM; returns ms to ready. */
async function startToReady(
  bundle: string,
  env: Record<string, string>,
  profileDir?: string,
  profileIntervalUs?: string,
): Promise<Start> {
  const port = await findFreeLoopbackPort();
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (profileDir && profileIntervalUs) flags.push(`--cpu-prof-interval=${profileIntervalUs}`);
  if (process.env.STARTUP_PRELOAD) flags.push('--require', process.env.STARTUP_PRELOAD);
  const started = performance.now();
  const child = spawn(process.execPath, [...flags, bundle], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    while (performance.now() - started < READY_TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`${bundle} exited early:\n${stderr}`);
      if (await readyOnce(port))
        return { ms: performance.now() - started, cpuMs: cpuMsOf(child.pid) };
      await new Promise((done) => setTimeout(done, 5));
    }
    throw new Error(`${bundle} not ready within ${READY_TIMEOUT_MS} ms:\n${stderr}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      baseline: { type: 'string' },
      apps: { type: 'string', default: APPS.join(',') },
      'cpu-prof-dir': { type: 'string' },
      'cpu-prof-interval': { type: 'string' },
    },
  });
  const rounds = Math.max(1, Number(values.rounds));
  const apps = (values.apps ?? '').split(',').filter((app) => app.length > 0);
  for (const app of apps)
    if (!(APPS as readonly string[]).includes(app)) throw new Error(`unknown app ${app}`);
  const profileDir = values['cpu-prof-dir'] && resolve(values['cpu-prof-dir']);
  const contenders: [string, (app: string) => string][] = [
    ['this checkout', (app) => join(root, 'apps', app, 'dist/main.js')],
  ];
  if (values.baseline) {
    const dir = resolve(values.baseline);
    contenders.push(['baseline', (app) => join(dir, app, 'main.js')]);
  }
  for (const [, bundle] of contenders)
    for (const app of apps)
      if (!existsSync(bundle(app))) throw new Error(`${bundle(app)} is missing: build it first`);

  await testDatabaseGlobalSetup({ prepareTemplate: (url) => applyMigrations(url) });
  const database = await createTestDatabase(createPrismaClient);
  try {
    const baseEnv = {
      DATABASE_URL: database.url,
      MESSAGING_TRANSPORT: 'postgres',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'shelfwatch-ci',
      NODE_ENV: 'production',
      BOOTSTRAP_ADMIN_API_KEY: BOOTSTRAP_KEY,
      WEBHOOK_SECRET_KEY,
      LOG_LEVEL: 'warn',
    };
    // Warm-up: the first start of each pays for pg-boss's schema and cold disk caches.
    for (const [, bundle] of contenders)
      for (const app of apps) await startToReady(bundle(app), baseEnv);

    const times = new Map<string, number[]>();
    const cpuTimes = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [...contenders] : [...contenders].reverse();
      for (const app of apps)
        for (const [setting, extra] of Object.entries(SETTINGS))
          for (const [name, bundle] of order) {
            const key = `${app}|${setting}|${name}`;
            const start = await startToReady(
              bundle(app),
              { ...baseEnv, ...extra },
              profileDir,
              values['cpu-prof-interval'],
            );
            times.set(key, [...(times.get(key) ?? []), start.ms]);
            cpuTimes.set(key, [...(cpuTimes.get(key) ?? []), start.cpuMs]);
          }
    }

    console.log(
      `node ${process.version}; median of ${rounds} rounds per app and setting` +
        (contenders.length > 1 ? ', rounds interleaved' : '') +
        '; wall = ms from spawning node main.js to the first /ready 200, CPU = the CPU ms the app used by then',
    );
    const table = (title: string, figures: Map<string, number[]>) => {
      const header = ['app', 'settings', ...contenders.map(([name]) => `${name} ${title}`)];
      if (contenders.length > 1) header.push('ratio');
      console.log(header.map((cell, index) => cell.padEnd(index < 2 ? 11 : 22)).join(''));
      for (const app of apps)
        for (const setting of Object.keys(SETTINGS)) {
          const medians = contenders.map(([name]) =>
            median(figures.get(`${app}|${setting}|${name}`) ?? []),
          );
          const cells = [app, setting, ...medians.map((ms) => ms.toFixed(0))];
          if (medians.length > 1)
            cells.push(((medians[0] as number) / (medians[1] as number)).toFixed(2));
          console.log(cells.map((cell, index) => cell.padEnd(index < 2 ? 11 : 22)).join(''));
        }
    };
    table('wall', times);
    table('CPU', cpuTimes);
  } finally {
    await database.drop();
    await testDatabaseGlobalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
