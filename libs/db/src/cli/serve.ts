// `nx run db:serve` (a continuous task the apps' `serve` targets depend on): runs the local
// embedded PostgreSQL (data in .data/postgres), migrated, until interrupted. Joins one that is
// already running (another `nx serve`, `npm start`), and then leaves it running on exit.
import { resolveDatabaseUrl } from '../local-database';

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
  console.log(`[db] local PostgreSQL ready on port ${new URL(database.url).port}`);
  const stop = () => {
    void database.stop().then(() => {
      console.log('[db] stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Keep the process (and so the task) alive until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
