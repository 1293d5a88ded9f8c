// `nx run db:migrate`: applies pending migrations to DATABASE_URL, or to the local embedded
// PostgreSQL (data in .data/postgres) when DATABASE_URL is unset. Offline: WebAssembly engine.
import { applyMigrations } from '@shelfwatch/db';
import { resolveDatabaseUrl } from '../dev/local-database';
import { runCli } from './scratch-server';

runCli(async () => {
  // Without DATABASE_URL, resolveDatabaseUrl starts the local database and migrates it; the
  // second applyMigrations then finds nothing to do. With it, nothing is started.
  const database = await resolveDatabaseUrl(process.env, { log: printApplied });
  try {
    if (!database.embedded) await applyMigrations(database.url, { log: printApplied });
    console.log(
      `Migrations are up to date on ${database.embedded ? 'the local embedded database' : 'DATABASE_URL'}.`,
    );
  } finally {
    await database.stop();
  }
});

function printApplied(message: string): void {
  if (message.startsWith('applied migration ')) console.log(message);
}
