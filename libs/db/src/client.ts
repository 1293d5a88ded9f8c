import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

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
  /** Shown in pg_stat_activity, e.g. the app's name. */
  applicationName?: string;
}

export const defaultPoolOptions: Required<PoolOptions> = {
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
};

/**
 * A PrismaClient over a pg pool through the PrismaPg driver adapter (no query-engine binary).
 * Call `$disconnect()` at shutdown to end the pool.
 */
export function createPrismaClient(options: CreatePrismaClientOptions): PrismaClient {
  const pool = { ...defaultPoolOptions, ...options.pool };
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: pool.max,
    idleTimeoutMillis: pool.idleTimeoutMillis,
    connectionTimeoutMillis: pool.connectionTimeoutMillis,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  return new PrismaClient({ adapter });
}
