/**
 * `nx serve <app>`: runs one app from source in watch mode with what it needs around it.
 *
 * With no DATABASE_URL, the local embedded PostgreSQL (data kept under `.data/`) is joined when
 * already running, or started in its own process group and stopped after the app (see
 * database-process.ts); migrations are applied either way, so a fresh clone serves without any
 * setup. Not an Nx continuous dependency on purpose: the database must outlive the app's drain.
 * SIGINT/SIGTERM are passed to the app, which drains; the database is stopped last.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { databaseForApp } from './database-process';

const workspaceRoot = resolve(__dirname, '../..');

const apps = {
  api: { port: 8080, database: true },
  // The scraper keeps no data, but the Postgres message transport lives in the database.
  scraper: { port: 8081, database: 'for-messaging' },
  analytics: { port: 8082, database: true },
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

async function main(): Promise<number> {
  const [name, ...flags] = process.argv.slice(2);
  if (!name || !isAppName(name)) {
    console.error(`usage: serve <${Object.keys(apps).join('|')}> [--no-watch]`);
    return 2;
  }
  const app = apps[name];
  loadEnvFiles(name);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: process.env.PORT ?? String(app.port),
    METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? 'none',
    GOOGLE_CLOUD_PROJECT: process.env.GOOGLE_CLOUD_PROJECT ?? 'shelfwatch-local',
  };

  let stopDatabase = async (): Promise<void> => undefined;
  const onPubSub =
    Boolean(process.env.PUBSUB_EMULATOR_HOST) || process.env.MESSAGING_TRANSPORT === 'pubsub';
  const needsDatabase = app.database === true || !onPubSub;
  if (needsDatabase) {
    const database = await databaseForApp(process.env);
    stopDatabase = database.stop;
    console.log(
      process.env.DATABASE_URL
        ? '[serve] using DATABASE_URL'
        : `[serve] embedded PostgreSQL ready${database.started ? '' : ' (already running)'}`,
    );
    env.DATABASE_URL = database.url;
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
  await stopDatabase();
  if (needsDatabase) console.log('[serve] database stopped');
  return stopping ? code : code || 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
