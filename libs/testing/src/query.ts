import { Client } from 'pg';

/** Runs one statement on a fresh connection and returns its rows: for assertions in tests. */
export async function queryRows<R extends Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
