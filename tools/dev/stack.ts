/**
 * The whole system on one machine with nothing installed beyond `npm ci`; run by `npm start`
 * (tools/dev/start.ts), which keeps terminal signals away from it and asks it to stop over IPC.
 *
 * An embedded PostgreSQL (data under `.data/`, kept between runs; or `DATABASE_URL`), migrations,
 * the Postgres message transport (or the Pub/Sub emulator with `PUBSUB_EMULATOR_HOST` or
 * `--pubsub-emulator`), the demo shop, and the api, scraper, analytics and notifier as separate processes
 * with prefixed logs. A demo account watching the shop is created on the first start; its sign-in
 * and API key are printed on every start. Ctrl-C stops everything.
 *
 *   npm start [-- --pubsub-emulator] [--on-crash=keep|stop] [--no-demo]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoShop, type DemoShop } from '../demo-shop/server';
import { createAccountWithCli, type CliAccount } from './accounts-cli';
import {
  localPostgresDataDir,
  resolveDatabaseUrl,
  takeOverShutdownSignals,
} from './local-database';
import { demoShopStateFile, keepDemoTargetsOnShop } from './demo-targets';
import { localPorts } from './local-ports';
import { localMailDir, localMailEnv, startLocalSmtpServer } from './local-mail';
import { localWebhookEnv } from './webhook-settings';
import { appNames, spawnApp, waitUntilReady, workspaceRoot, type AppProcess } from './app-process';
import {
  type PubSubEmulator,
  pubSubEmulatorAvailability,
  startPubSubEmulator,
} from '@shelfwatch/testing';

const COLORS = { api: 36, scraper: 35, analytics: 33, notifier: 34, start: 32, mail: 94 } as const;
type Source = keyof typeof COLORS;

function say(source: Source, line: string): void {
  const label = source.padEnd(9);
  const prefix = process.stdout.isTTY ? `\u001b[${COLORS[source]}m${label}\u001b[0m│` : `${label}│`;
  process.stdout.write(`${prefix} ${line}\n`);
}

function flagValue(value: string | boolean | undefined): boolean {
  return value === true || value === 'true';
}

interface Options {
  pubsubEmulator: boolean;
  onCrash: 'keep' | 'stop';
  demo: boolean;
}

function parseOptions(): Options {
  // Nx forwards flags as `--name=value`; a person may type `--name value` or `--name`.
  const { values } = parseArgs({
    strict: true,
    options: {
      'pubsub-emulator': { type: 'string', default: 'false' },
      'on-crash': { type: 'string', default: 'keep' },
      demo: { type: 'string', default: 'true' },
      'no-demo': { type: 'string' },
    },
    args: process.argv
      .slice(2)
      .map((arg) => (/^--(pubsub-emulator|no-demo)$/.test(arg) ? `${arg}=true` : arg)),
  });
  const onCrash = values['on-crash'];
  if (onCrash !== 'keep' && onCrash !== 'stop')
    throw new Error(`--on-crash must be keep or stop, got "${onCrash}"`);
  return {
    pubsubEmulator: flagValue(values['pubsub-emulator']),
    onCrash,
    demo: flagValue(values.demo) && !flagValue(values['no-demo']),
  };
}

const DEMO_EMAIL = 'demo@shelfwatch.local';

/**
 * The demo account, created with `accounts create` on the first start against this database.
 * Its key and password are kept beside the local data (git-ignored) so every start can print
 * them; a key the database no longer knows (another DATABASE_URL) makes a new account.
 */
async function ensureDemoAccount(
  env: NodeJS.ProcessEnv,
  apiUrl: string,
): Promise<{ account: CliAccount; created: boolean }> {
  const file = join(dirname(localPostgresDataDir(env)), 'demo-account.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as CliAccount;
    const probe = await fetch(`${apiUrl}/v1/api-keys`, {
      headers: { authorization: `Bearer ${saved.apiKey}` },
    });
    if (probe.status === 200) return { account: saved, created: false };
  }
  const create = (email: string) => createAccountWithCli(env, { email, name: 'demo' });
  // The demo email is taken when the saved file was lost but the database kept its account.
  const account = await create(DEMO_EMAIL).catch(() =>
    create(`demo+${Date.now()}@shelfwatch.local`),
  );
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  return { account, created: true };
}

async function createDemoWatch(apiUrl: string, apiKey: string, shop: DemoShop): Promise<void> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const existing = await fetch(`${apiUrl}/v1/watches?page_size=1`, { headers });
  const page = (await existing.json()) as { items: unknown[] };
  if (page.items.length > 0) return;
  const response = await fetch(`${apiUrl}/v1/watches`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      url: `${shop.url}/sitemap.xml`,
      kind: 'sitemap',
      checkIntervalSeconds: 60,
      labels: ['demo shop'],
    }),
  });
  if (response.status !== 201)
    throw new Error(`Could not create the demo watch: ${response.status} ${await response.text()}`);
  say(
    'start',
    `first start: watching the demo shop's sitemap (${shop.products.length} products, checked every minute)`,
  );
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  const options = parseOptions();
  const rootEnv = join(workspaceRoot, '.env');
  if (existsSync(rootEnv)) process.loadEnvFile(rootEnv);

  const cleanups: Array<() => Promise<unknown>> = [];
  const apps: AppProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      say('start', 'stopping…');
      await Promise.all(apps.map((app) => app.stop()));
      for (const cleanup of cleanups.reverse())
        await cleanup().catch((error) => say('start', String(error)));
      say('start', 'stopped');
    })());
  let exitCode = 0;
  // Stop when the supervisor asks (Ctrl-C there), when it disappears, or on a direct SIGTERM.
  let stopOn: (reason: string) => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    stopOn = (reason: string) => {
      if (!stopping) say('start', reason);
      void stopAll().then(resolve);
    };
    process.on('message', (message) => {
      if (message === 'stop') stopOn('stopping on request');
    });
    process.once('disconnect', () => stopOn('supervisor gone'));
  });

  try {
    const database = await resolveDatabaseUrl(process.env, {
      // The schema engine's own JSON trace is noise here; our lines name each applied migration.
      log: (line) => {
        if (!line.trimStart().startsWith('{')) say('start', line);
      },
    });
    // After the database is up: its library's exit hook would stop it on SIGTERM at once.
    takeOverShutdownSignals();
    process.on('SIGTERM', () => stopOn('SIGTERM received'));
    cleanups.push(database.stop);
    say('start', database.embedded ? 'embedded PostgreSQL ready' : 'using DATABASE_URL');

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? 'none',
      GOOGLE_CLOUD_PROJECT: process.env.GOOGLE_CLOUD_PROJECT ?? 'shelfwatch-local',
      LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
      // Only the local configuration lets the scraper reach loopback: the demo shop lives there.
      SCRAPER_ALLOW_HOSTS: process.env.SCRAPER_ALLOW_HOSTS ?? '127.0.0.1,localhost',
      SCRAPER_HOST_MIN_DELAY_MS: process.env.SCRAPER_HOST_MIN_DELAY_MS ?? '200',
      SCHEDULER_MODE: process.env.SCHEDULER_MODE ?? 'timer',
      SCHEDULER_INTERVAL_MS: process.env.SCHEDULER_INTERVAL_MS ?? '2000',
    };
    // Webhooks to a receiver on this machine pass the same allow-list as the demo shop.
    Object.assign(env, localWebhookEnv(env, env.SCRAPER_ALLOW_HOSTS ?? ''));
    // The dashboard's build (npm start runs `nx run web:build` first); the api serves it under /.
    const webDist = join(workspaceRoot, 'apps/web/dist');
    if (!env.WEB_DIST_DIR && existsSync(join(webDist, 'index.html'))) env.WEB_DIST_DIR = webDist;
    let emulator: PubSubEmulator | undefined;
    if (!env.PUBSUB_EMULATOR_HOST && options.pubsubEmulator) {
      const availability = pubSubEmulatorAvailability({ ...process.env, CI: 'false' });
      if (!availability.available)
        throw new Error(
          `--pubsub-emulator needs gcloud with the Pub/Sub emulator: ${availability.reason}`,
        );
      emulator = await startPubSubEmulator({ projectId: env.GOOGLE_CLOUD_PROJECT });
      cleanups.push(() => emulator!.stop());
      env.PUBSUB_EMULATOR_HOST = emulator.host;
    }
    say(
      'start',
      env.PUBSUB_EMULATOR_HOST
        ? `messaging over the Pub/Sub emulator at ${env.PUBSUB_EMULATOR_HOST}`
        : 'messaging over PostgreSQL (pg-boss)',
    );

    const ports = localPorts(process.env);
    if (!process.env.SMTP_URL) {
      const smtp = await startLocalSmtpServer(process.env, ports.smtp, (line) => say('mail', line));
      cleanups.push(() => smtp.close());
      Object.assign(env, localMailEnv(process.env, smtp.url));
      say('start', `mail         ${smtp.url}, kept in ${localMailDir(process.env)}`);
    } else Object.assign(env, localMailEnv(process.env, process.env.SMTP_URL));
    // The notifier's unsubscribe links point at the local api.
    env.API_PUBLIC_URL ??= `http://127.0.0.1:${ports.api}`;
    let shop: DemoShop | undefined;
    if (options.demo) {
      shop = await startDemoShop({
        port: ports.demoShop,
        epochMs: Number(process.env.DEMO_SHOP_EPOCH_MS ?? 20_000),
      });
      cleanups.push(() => shop!.close());
    }

    appNames.forEach((name) => {
      const app = spawnApp(name, {
        port: ports[name],
        env,
        onLine: (line) => say(name, line),
      });
      apps.push(app);
      void app.exited.then((code) => {
        if (stopping) return;
        say('start', `${name} exited unexpectedly (${code})`);
        if (options.onCrash === 'stop') {
          exitCode = 1;
          void stopAll().then(() => process.exit(exitCode));
        } else say('start', 'the other services keep running (--on-crash=stop to stop them too)');
      });
    });
    await Promise.all(apps.map((app) => waitUntilReady(app, 120_000)));
    const api = apps[0]!;
    const demo = await ensureDemoAccount(env, api.url);
    if (demo.created) say('start', `first start: created the demo account ${demo.account.email}`);
    if (shop) {
      const moved = await keepDemoTargetsOnShop(database.url, shop.url, demoShopStateFile());
      if (moved) say('start', `moved ${moved} demo target(s) to ${shop.url}`);
      await createDemoWatch(api.url, demo.account.apiKey, shop);
    }

    say(
      'start',
      env.WEB_DIST_DIR
        ? `dashboard    ${api.url}/`
        : 'dashboard    not built: run `npx nx run web:build` and start again',
    );
    say('start', `api          ${api.url}`);
    say('start', `openapi      ${api.url}/openapi.json`);
    say('start', `scraper      ${apps[1]!.url}   analytics ${apps[2]!.url}`);
    say('start', `notifier     ${apps[3]!.url}`);
    if (shop) say('start', `demo shop    ${shop.url}`);
    say('start', `demo sign-in ${demo.account.email} / ${demo.account.password ?? '(set by you)'}`);
    say('start', `demo api key ${demo.account.apiKey}`);
    say(
      'start',
      `try: curl -H "Authorization: Bearer ${demo.account.apiKey}" ${api.url}/v1/alerts`,
    );
    say(
      'start',
      `shelfwatch is ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s (Ctrl-C stops everything)`,
    );
  } catch (error) {
    say('start', `failed to start: ${(error as Error).message}`);
    await stopAll();
    return 1;
  }

  await done;
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
