import type { Pool } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

/** The table migrations create for rate-limiter-flexible (model RateLimit in schema.prisma). */
const TABLE = 'rate_limits';

export interface LimitRule {
  points: number;
  durationSeconds: number;
}

/**
 * A limiter counting in PostgreSQL, so every api instance shares the count. Keys of different
 * limiters never collide: rate-limiter-flexible prefixes each with `keyPrefix`.
 */
export function postgresLimiter(
  pool: Pool,
  keyPrefix: string,
  rule: LimitRule,
): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: TABLE,
    tableCreated: true,
    keyPrefix,
    points: rule.points,
    duration: rule.durationSeconds,
    // Expired rows are overwritten on the next hit; the sweeper's timer would keep tests alive.
    clearExpiredByTimeout: false,
  });
}
