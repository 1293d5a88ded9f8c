/**
 * `nx serve <app>`: runs one app from source in watch mode with what it needs around it.
 *
 * Ports follow `SHELFWATCH_PORT` as in `npm start` (local-ports.ts; `PORT` still wins). With no
 * DATABASE_URL, the local embedded PostgreSQL (data kept under `.data/`) is joined when already
 * running, or started in a process of its own that runs while any `nx serve` uses it
 * (database-process.ts): several serves in several terminals share it, and stopping one leaves
 * it to the others. `nx serve scraper` also starts the demo shop, or reuses one already running on
 * its port, allows loopback for it, and moves stored demo targets along when the shop's port
 * moved. `nx serve api` starts the local SMTP server (mail under `.data/mail/`) unless one runs
 * or SMTP_URL is set. SIGINT/SIGTERM are passed to the app, which drains; then the lease is given back.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoShopHeader, startDemoShop, type DemoShop } from '../demo-shop/server';
import { databaseForApp } from './database-process';
import { demoShopStateFile, keepDemoTargetsOnShop } from './demo-targets';
import { localMailEnv, startLocalSmtpServer } from './local-mail';
import { localPorts } from './local-ports';
import { isLoopbackPortFree } from '@shelfwatch/testing';
import { localWebhookEnv } from './webhook-settings';

const workspaceRoot = resolve(__dirname, '../..');

const apps = {
  // The api mails verification links, so it gets the local SMTP server (started if none runs).
  api: { database: true, mail: true },
  // The scraper keeps no data, but the Postgres message transport lives in the database.
  scraper: { database: 'for-messaging' },
  analytics: { database: true },
  notifier: { database: true },
} as const;

type AppName = keyof typeof apps;

function isAppName(value: string): value is AppName {
  return Object.hasOwn(apps, value);
}

function loadEnvFiles(app: AppName): void {
  for (const file of [join(workspaceRoot, 'apps', app, '.env'), join(workspaceRoot, '.env')]) {
    // process.loadEnvFile never overrides variables already set, so the shell wins, then the app's file.
    if (existsSync(file)) process.loadEnvFile(file);
  }
}

/** The demo shop on `port`: the one already answering there, or a new one in this process. */
async function demoShopOn(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const answer = await fetch(`${url}/robots.txt`, { signal: AbortSignal.timeout(2_000) }).catch(
    () => undefined,
  );
  if (answer?.headers.get(demoShopHeader)) {
    console.log(`[serve] reusing the demo shop already running on ${url}`);
    return { url, close: async () => undefined };
  }
  if (answer)
    throw new Error(
      `Port ${port} is taken by something that is not the demo shop: set DEMO_SHOP_PORT or SHELFWATCH_PORT`,
    );
  const shop: DemoShop = await startDemoShop({
    port,
    epochMs: Number(process.env.DEMO_SHOP_EPOCH_MS ?? 20_000),
  });
  console.log(`[serve] demo shop on ${shop.url} (sitemap ${shop.url}/sitemap.xml)`);
  return shop;
}

// Ctrl-C reaches Nx too, and Nx may exit before this process has drained and given its lease
// back; its output then goes to a closed pipe, which must not cut the cleanup short.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

async function main(): Promise<number> {
  const [name, ...flags] = process.argv.slice(2);
  if (!name || !isAppName(name)) {
    console.error(`usage: serve <${Object.keys(apps).join('|')}> [--no-watch]`);
    return 2;
  }
  const app = apps[name];
  loadEnvFiles(name);
  const ports = localPorts(process.env);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: process.env.PORT ?? String(ports[name]),
    METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? 'none',
    GOOGLE_CLOUD_PROJECT: process.env.GOOGLE_CLOUD_PROJECT ?? 'shelfwatch-local',
  };

  const cleanups: Array<() => Promise<unknown>> = [];
  // The scraper's demo shop first: a port held by something else fails before anything starts.
  const shop = name === 'scraper' ? await demoShopOn(ports.demoShop) : undefined;
  if (shop) {
    cleanups.push(() => shop.close());
    env.SCRAPER_HOST_MIN_DELAY_MS ??= '200';
  }
  // Only the local configuration lets the scraper reach loopback, and the api accept watches of
  // it: the demo shop lives there.
  if (name === 'scraper' || name === 'api') env.SCRAPER_ALLOW_HOSTS ??= '127.0.0.1,localhost';

  if ('mail' in app && !process.env.SMTP_URL) {
    const smtpUrl = `smtp://127.0.0.1:${ports.smtp}`;
    if (await isLoopbackPortFree(ports.smtp)) {
      const smtp = await startLocalSmtpServer(process.env, ports.smtp, (line) =>
        console.log(`[mail] ${line}`),
      );
      cleanups.push(() => smtp.close());
      console.log(`[serve] local SMTP server on ${smtpUrl}, mail kept under .data/mail/`);
    } else console.log(`[serve] using the SMTP server already on ${smtpUrl}`);
    Object.assign(env, localMailEnv(process.env, smtpUrl));
  }

  // The api seals webhook secrets and the notifier signs with them: one local key for both, and
  // loopback receivers allowed as the demo shop is.
  if (name === 'api' || name === 'notifier')
    Object.assign(env, localWebhookEnv(env, env.SCRAPER_ALLOW_HOSTS ?? '127.0.0.1,localhost'));

  const onPubSub =
    Boolean(process.env.PUBSUB_EMULATOR_HOST) || process.env.MESSAGING_TRANSPORT === 'pubsub';
  const needsDatabase = app.database === true || !onPubSub;
  if (needsDatabase) {
    const database = await databaseForApp(process.env);
    cleanups.push(async () => console.log(`[serve] ${await database.release()}`));
    console.log(
      process.env.DATABASE_URL
        ? '[serve] using DATABASE_URL'
        : `[serve] embedded PostgreSQL ready${database.started ? '' : ' (already running)'}`,
    );
    env.DATABASE_URL = database.url;
  }

  if (shop && env.DATABASE_URL) {
    const moved = await keepDemoTargetsOnShop(env.DATABASE_URL, shop.url, demoShopStateFile());
    if (moved) console.log(`[serve] moved ${moved} demo target(s) to ${shop.url}`);
  }

  // Node's watch mode follows exactly the modules the app loaded, so build outputs never restart it.
  const watch = !flags.includes('--no-watch') && process.env.SHELFWATCH_SERVE_WATCH !== 'false';
  const entry = join(workspaceRoot, 'apps', name, 'src', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', ...(watch ? ['--watch'] : []), entry], {
    cwd: workspaceRoot,
    env,
    stdio: 'inherit',
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const code = await new Promise<number>((done) => {
    child.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 0 : 1)));
  });
  console.log(`[serve] ${name} exited with code ${code}`);
  for (const cleanup of cleanups) await cleanup();
  return stopping ? code : code || 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
