import { Client } from 'pg';
import { databaseNameOf, quoteIdentifier, withDatabaseName } from './connection-url';

/** Runs `work` on a short-lived connection to the server's `postgres` maintenance database. */
export async function withMaintenanceConnection<T>(
  serverUrl: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: withDatabaseName(serverUrl, 'postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database `databaseUrl` names unless it exists. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const name = databaseNameOf(databaseUrl);
  await withMaintenanceConnection(databaseUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client
      .query(`CREATE DATABASE ${quoteIdentifier(name)}`)
      .catch((error: { code?: string }) => {
        // Another process created it in the meantime.
        if (error.code !== '42P04') throw error;
      });
  });
}

/** Drops a database, disconnecting whoever is still connected. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withMaintenanceConnection(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}
