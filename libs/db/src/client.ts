import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';
import { registerSqlPool } from './sql-transaction';

export interface PoolOptions {
  /** Most connections this client opens (default 10; Cloud Run instances multiply this). */
  max?: number;
  /** Close a connection idle this long (default 30 000 ms). */
  idleTimeoutMillis?: number;
  /** Give up connecting after this long (default 5 000 ms), so /ready fails fast. */
  connectionTimeoutMillis?: number;
}

export interface CreatePrismaClientOptions {
  databaseUrl: string;
  pool?: PoolOptions;
  /** Shown in pg_stat_activity, e.g. the app's name; `cancelStatementsOf` finds its connections by it. */
  applicationName?: string;
}

/**
 * How often PostgreSQL checks, while a statement of ours runs or waits for a lock, that our end of
 * the connection is still there (`client_connection_check_interval`, PostgreSQL 14+). Without it a
 * statement whose process died waits on, and an INSERT still commits once the lock is free: a write
 * no client was told about.
 */
export const CLIENT_CONNECTION_CHECK_MS = 1_000;

export const defaultPoolOptions: Required<PoolOptions> = {
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
};

/**
 * A PrismaClient over a pg pool through the PrismaPg driver adapter (no query-engine binary).
 * The pool is ours, handed to the adapter, so hot paths can run SQL on the same connections
 * through `sqlPoolOf(client)`. Call `$disconnect()` at shutdown to end the pool.
 */
export function createPrismaClient(options: CreatePrismaClientOptions): PrismaClient {
  const pool = { ...defaultPoolOptions, ...options.pool };
  const pgPool = new Pool({
    connectionString: options.databaseUrl,
    max: pool.max,
    idleTimeoutMillis: pool.idleTimeoutMillis,
    connectionTimeoutMillis: pool.connectionTimeoutMillis,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    options: `-c client_connection_check_interval=${CLIENT_CONNECTION_CHECK_MS}`,
  });
  // The pool drops an idle connection the server closed (a restart, a dropped database); without a
  // listener that 'error' event would end the process before the adapter attaches its own.
  pgPool.on('error', () => undefined);
  const adapter = new PrismaPg(pgPool, { disposeExternalPool: true });
  // A transaction waits for a connection as long as a single query does. Prisma's own default
  // (2 s) failed transactions on a busy machine while single queries, allowed the pool's 5 s,
  // went through.
  const client = new PrismaClient({
    adapter,
    transactionOptions: { maxWait: pool.connectionTimeoutMillis },
  });
  registerSqlPool(client, pgPool);
  return client;
}

/**
 * Starts the client's query engine now rather than on its first query. Loading Prisma's query
 * compiler is CPU work: begun before a start's other round trips (pg-boss, the first queries), it
 * runs while they wait (ADR 0034). A failure is left to the first query, which starts the engine
 * again and reports it.
 */
export function startPrismaEngine(prisma: PrismaClient): void {
  prisma.$connect().catch(() => undefined);
}
