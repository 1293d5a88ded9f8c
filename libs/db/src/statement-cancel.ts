import { Client } from 'pg';

/**
 * Ends the database work of every connection named `applicationName` (one process's pool): a
 * running statement is cancelled (it fails with SQLSTATE 57014, its transaction rolls back; a
 * COMMIT already past its commit record completes, so no write is hidden), and a connection idle
 * inside a transaction for a second or more is terminated (the transaction rolls back). One that
 * went idle just now may be sending its COMMIT: terminating it could commit a write whose client
 * sees an error, so it is left to the next round, which cancels its next statement. A shutdown calls
 * this for the requests still running near its deadline, so they fail with an answer the client
 * sees, never commit after the client was cut off. Uses a connection of its own, because the pool
 * may be exhausted by the very statements it cancels. Resolves with how many it signalled.
 */
export async function cancelStatementsOf(
  databaseUrl: string,
  applicationName: string,
): Promise<number> {
  const client = new Client({
    connectionString: databaseUrl,
    application_name: `${applicationName} cancel`.slice(0, 63),
    connectionTimeoutMillis: 1_000,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ signalled: string }>(
      `SELECT count(*) FILTER (
                WHERE CASE WHEN state = 'active' THEN pg_cancel_backend(pid)
                           ELSE pg_terminate_backend(pid) END) AS signalled
         FROM pg_stat_activity
        WHERE application_name = $1
          AND pid <> pg_backend_pid()
          AND (state = 'active'
               OR (state IN ('idle in transaction', 'idle in transaction (aborted)')
                   AND state_change < now() - interval '1 second'))`,
      [applicationName],
    );
    return Number(rows[0]?.signalled ?? 0);
  } finally {
    await client.end();
  }
}
