/*
 * Recognises errors that mean "the database is down, saturated or too slow right now" rather than
 * "this code is wrong", whichever layer threw them: Prisma (client codes, driver-adapter error
 * kinds), node-postgres (SQLSTATE codes, pool and connection messages) or the socket itself. The
 * runtime cannot import the db library, so this goes by the errors' shapes alone.
 */

// Prisma: P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server closed the
// connection, P2024 timed out waiting for a pool connection, P2028 transaction API error (a
// transaction whose connection went away), P2037 too many connections.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037']);
// @prisma/driver-adapter-utils error kinds.
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);
// SQLSTATE: 08 connection exceptions, 53 insufficient resources, 57014 query cancelled (statement
// timeout), 57P01-57P05 shutdown, crash, cannot connect now, idle-session timeout, 55P03 lock timeout.
const SQLSTATE = /^(08\w{3}|53\w{3}|57014|57P0[1-5]|55P03)$/;
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection (?:is )?(?:closed|refused)/i,
  /can't reach database server/i,
  /too many (?:clients|connections)/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /canceling statement due to (?:statement|lock) timeout/i,
  /Client has encountered a connection error/i,
];

interface ErrorShape {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: unknown;
  errors?: unknown;
}

/** True when `error` (or anything it wraps) says the database is unavailable for now. */
export function isDependencyUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const shape = current as ErrorShape;
    const code = typeof shape.code === 'string' ? shape.code : undefined;
    if (code && (PRISMA_CODES.has(code) || SQLSTATE.test(code) || SOCKET_CODES.has(code)))
      return true;
    if (typeof shape.kind === 'string' && ADAPTER_KINDS.has(shape.kind)) return true;
    if (shape.kind === 'postgres' && typeof code === 'string' && SQLSTATE.test(code)) return true;
    if (
      typeof shape.message === 'string' &&
      MESSAGES.some((pattern) => pattern.test(shape.message as string))
    )
      return true;
    pending.push(shape.cause, shape.meta);
    const meta = shape.meta as { driverAdapterError?: unknown } | undefined;
    if (meta && typeof meta === 'object') pending.push(meta.driverAdapterError);
    // AggregateError (e.g. a dual-stack connect that failed on every address).
    if (Array.isArray(shape.errors)) pending.push(...shape.errors);
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;
