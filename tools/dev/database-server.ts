// `nx run db:serve`: runs the local embedded PostgreSQL (data in .data/postgres), migrated, until
// interrupted, for tools outside the repo (psql, a GUI). Joins one that is already running
// (`nx serve`, `npm start`), and then leaves it running on exit. `nx serve <app>` starts it too,
// for as long as any `nx serve` holds a lease (serve-leases.ts).
import { Client } from 'pg';
import { resolveDatabaseUrl, takeOverShutdownSignals } from './local-database';
import { liveServeLeases } from './serve-leases';

/** How long a stop waits for the apps served beside it to close their connections. */
const DRAIN_MS = 8_000;

async function otherSessions(url: string): Promise<number> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return Number(rows[0]?.count ?? 0);
  } catch (error) {
    // 57P03: the server got the signal too and is in smart shutdown, waiting for the very
    // sessions we wait for; anything else (refused) means it is gone.
    return (error as { code?: string }).code === '57P03' ? 1 : 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  if (process.env.DATABASE_URL) {
    console.log('[db] DATABASE_URL is set: nothing to start');
    return;
  }
  const database = await resolveDatabaseUrl(process.env, {
    log: (line) => {
      if (line.startsWith('applied migration ')) console.log(`[db] ${line}`);
    },
  });
  // Stop only once the clients have let go (up to DRAIN_MS), not the moment a signal arrives.
  takeOverShutdownSignals();
  console.log(`[db] local PostgreSQL ready on port ${new URL(database.url).port}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const deadline = Date.now() + DRAIN_MS;
    while (Date.now() < deadline && (await otherSessions(database.url)) > 0)
      await new Promise((wake) => setTimeout(wake, 100));
    await database.stop();
    console.log('[db] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Started for `nx serve` (SHELFWATCH_DB_SERVE_LEASES): stop once no serve holds a lease,
  // however each one ended; otherwise stay alive until a signal arrives.
  const leases = process.env.SHELFWATCH_DB_SERVE_LEASES;
  if (leases)
    setInterval(() => {
      if (liveServeLeases(leases).length === 0) void stop();
    }, 1_000);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
