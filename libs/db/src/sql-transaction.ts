import type { Pool, PoolClient } from 'pg';

/** A connection of the pool, inside a `withSqlTransaction`. */
export type SqlClient = PoolClient;

/**
 * The pg pool under each client made by `createPrismaClient`, so a hot path can run its SQL
 * through the pg driver on the same connections (one connection budget per process) instead of
 * through Prisma's raw queries, which cost several times as much CPU to bind and read (ADR 0025).
 */
const pools = new WeakMap<object, Pool>();

export function registerSqlPool(client: object, pool: Pool): void {
  pools.set(client, pool);
}

/** The pg pool a client of `createPrismaClient` runs on. */
export function sqlPoolOf(client: object): Pool {
  const pool = pools.get(client);
  if (!pool) throw new Error('This client was not made by createPrismaClient: no pg pool under it');
  return pool;
}

export interface SqlTransactionOptions {
  /** Longest wait for a pooled connection, retried past the pool's own connection timeout. */
  maxWaitMs: number;
  /**
   * Longest any one statement of the transaction may run, and longest it may sit idle between
   * statements (`statement_timeout`, `idle_in_transaction_session_timeout`): what bounds how long
   * it holds its locks, not the transaction's whole duration.
   */
  statementTimeoutMs: number;
}

/**
 * Runs `work` in one transaction on a connection of `pool`: committed when `work` resolves,
 * rolled back when it throws (and the connection discarded when even the rollback fails). A
 * busy pool is waited on up to `maxWaitMs`, however short the pool's own connection timeout is.
 */
export async function withSqlTransaction<T>(
  pool: Pool,
  options: SqlTransactionOptions,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await connectWithin(pool, options.maxWaitMs);
  let broken: Error | undefined;
  // The pool takes its own 'error' listener off a connection it hands out, and pg's Client emits
  // 'error' when the server ends the connection (a restart, a failover): without a listener of
  // ours that event would end the process. The failed query rejects on its own; the connection
  // is then discarded, not returned.
  const onConnectionError = (error: Error) => {
    broken = error;
  };
  client.on('error', onConnectionError);
  const timeoutMs = Math.max(1, Math.floor(options.statementTimeoutMs));
  try {
    await client.query(
      `BEGIN; SET LOCAL statement_timeout = ${timeoutMs}; SET LOCAL idle_in_transaction_session_timeout = ${timeoutMs}`,
    );
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.removeListener('error', onConnectionError);
    client.release(broken);
  }
}

async function connectWithin(pool: Pool, maxWaitMs: number): Promise<PoolClient> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    try {
      return await pool.connect();
    } catch (error) {
      // pg's own wait ran out ("timeout exceeded when trying to connect"); keep waiting our turn.
      const timedOut = error instanceof Error && /timeout exceeded/i.test(error.message);
      if (!timedOut || Date.now() >= deadline) throw error;
    }
  }
}
