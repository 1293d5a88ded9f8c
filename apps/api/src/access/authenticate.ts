import { CSRF_HEADER, SESSION_COOKIE, type ApiKeyScope } from '@shelfwatch/contracts';
import { prepared, type PrismaClient } from '@shelfwatch/db';
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler } from 'express';
import type { Pool } from 'pg';
import { isoTimeSql } from '../read/sql-text';
import {
  counterKey,
  countingSql,
  setCounted,
  windowsMs,
  type CounterRow,
  type RateLimitOptions,
} from './request-counters';
import { csrfTokenMissing, insufficientScope, unauthorized } from './access-problems';
import { csrfTokenFor, hashSecret, parseApiKey, sameHash } from './credentials';
import { setPrincipal, principalOf, type Principal } from './principal';

/** last_used_at / last_seen_at are written at most this often per credential. */
const TOUCH_INTERVAL_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const OWNER_SCOPES: ReadonlySet<ApiKeyScope> = new Set(['read', 'write', 'admin']);
const MEMBER_SCOPES: ReadonlySet<ApiKeyScope> = new Set(['read', 'write']);

function bearerToken(req: Request): string | undefined | null {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match ? match[1]! : null;
}

/** A time read as `isoTimeSql` text: the Date Prisma would have built, without pg's parser. */
const dateOf = (text: string | null) => (text === null ? null : new Date(text));

/**
 * The key's row as the statement answers it: the time checks already made against the
 * request's `now` (millisecond precision, as on the Dates they were made on before), and the
 * two counters the request was counted on (null when it counted nothing).
 */
interface ApiKeyRow {
  id: string;
  accountId: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  revoked: boolean;
  expired: boolean;
  touchDue: boolean;
  operator: boolean;
  keyPoints: number | null;
  keyExpire: string | null;
  accountPoints: number | null;
  accountExpire: string | null;
}

/**
 * One statement for the key, its account's operator flag and, when the key is valid, the
 * request counted against its quotas (request-counters.ts): authentication and rate limiting
 * cost one round trip on every request. A key that is unknown, wrong, revoked or expired counts
 * nothing, as before; the checks below still decide, and say why. The times are compared here,
 * truncated to milliseconds against the request's `now` ($3), rather than sent as text for Node
 * to parse, and the two counters come back as columns rather than JSON (ADR 0042).
 */
function apiKeySql(): string {
  const ms = (column: string) => `date_trunc('milliseconds', ${column})`;
  return `
  WITH found AS (
    SELECT k.id, k.account_id, k.secret_hash, k.scopes::text[] AS scopes, k.revoked_at,
           k.expires_at, k.last_used_at, a.operator
      FROM api_keys k JOIN accounts a ON a.id = k.account_id
     WHERE k.prefix = $1
  ), counted AS (${countingSql(
    '(SELECT id::text AS credential_id, account_id::text AS account_id, secret_hash, revoked_at, expires_at FROM found) candidate',
    `candidate.secret_hash = $2 AND candidate.revoked_at IS NULL
       AND (candidate.expires_at IS NULL
            OR ${ms('candidate.expires_at')} > $3::timestamptz)`,
    { now: '$4', keyMs: '$5', accountMs: '$6' },
  )})
  SELECT found.id, found.account_id AS "accountId", found.secret_hash AS "secretHash",
         found.scopes, found.revoked_at IS NOT NULL AS revoked,
         coalesce(${ms('found.expires_at')} <= $3::timestamptz, false) AS expired,
         coalesce(${ms('found.last_used_at')} <= $3::timestamptz - interval '${TOUCH_INTERVAL_MS} milliseconds', true)
           AS "touchDue",
         found.operator,
         key_row.points AS "keyPoints", key_row.expire AS "keyExpire",
         account_row.points AS "accountPoints", account_row.expire AS "accountExpire"
    FROM found
    LEFT JOIN counted key_row ON key_row.key = '${counterKey('key', '')}' || found.id::text
    LEFT JOIN counted account_row
      ON account_row.key = '${counterKey('account', '')}' || found.account_id::text`;
}

/** The counter rows of a key's statement, as rate-limits.ts reads them; none when not counted. */
function countedRows(key: ApiKeyRow): CounterRow[] {
  const rows: CounterRow[] = [];
  if (key.keyPoints !== null && key.keyExpire !== null)
    rows.push({ key: counterKey('key', key.id), points: key.keyPoints, expire: key.keyExpire });
  if (key.accountPoints !== null && key.accountExpire !== null)
    rows.push({
      key: counterKey('account', key.accountId),
      points: key.accountPoints,
      expire: key.accountExpire,
    });
  return rows;
}

interface SessionRow {
  id: string;
  userId: string;
  accountId: string;
  role: 'owner' | 'member';
  operator: boolean;
  expiresAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

// The session, its user and the account's operator flag in one statement.
const SESSION_SQL = `
  SELECT s.id, s.user_id AS "userId", u.account_id AS "accountId", u.role::text AS role,
         a.operator, ${isoTimeSql('s.expires_at')} AS "expiresAt",
         ${isoTimeSql('s.revoked_at')} AS "revokedAt", ${isoTimeSql('s.last_seen_at')} AS "lastSeenAt"
    FROM sessions s JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = u.account_id
   WHERE s.token_hash = $1`;

interface AuthDeps {
  prisma: PrismaClient;
  /** The lookups that run on every request go through the driver (ADR 0022). */
  pool: Pool;
  /** The quotas an API key's request is counted against in the statement that checks it. */
  rateLimits: RateLimitOptions;
}

async function apiKeyPrincipal(
  deps: AuthDeps,
  sql: string,
  token: string,
  now: Date,
): Promise<{ principal: Principal; counted: CounterRow[] }> {
  const parsed = parseApiKey(token);
  if (!parsed)
    throw unauthorized('The bearer token is not a shelfwatch API key (sw_<prefix>_<secret>).');
  const secretHash = hashSecret(parsed.secret);
  const {
    rows: [key],
  } = await deps.pool.query<ApiKeyRow>(
    prepared(sql, [
      parsed.prefix,
      secretHash,
      now.toISOString(),
      Date.now(),
      ...windowsMs(deps.rateLimits),
    ]),
  );
  if (!key || !sameHash(key.secretHash, secretHash))
    throw unauthorized('The API key is not valid.');
  if (key.revoked) throw unauthorized('The API key has been revoked.');
  if (key.expired) throw unauthorized('The API key has expired.');
  if (key.touchDue)
    await deps.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  return {
    principal: {
      accountId: key.accountId,
      operator: key.operator,
      scopes: new Set(key.scopes),
      via: 'apiKey',
      credentialId: key.id,
    },
    counted: countedRows(key),
  };
}

async function sessionPrincipal(
  deps: AuthDeps,
  req: Request,
  token: string,
  now: Date,
): Promise<Principal> {
  const {
    rows: [session],
  } = await deps.pool.query<SessionRow>(prepared(SESSION_SQL, [hashSecret(token)]));
  if (!session) throw unauthorized('The session is not valid; sign in again.');
  if (session.revokedAt) throw unauthorized('The session has been signed out; sign in again.');
  const expiresAt = new Date(session.expiresAt);
  if (expiresAt <= now) throw unauthorized('The session has expired; sign in again.');
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.get(CSRF_HEADER);
    if (!sent || !sameHash(sent, csrfTokenFor(token))) throw csrfTokenMissing();
  }
  const lastSeenAt = dateOf(session.lastSeenAt);
  if (!lastSeenAt || now.getTime() - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS)
    await deps.prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  return {
    accountId: session.accountId,
    operator: session.operator,
    scopes: session.role === 'owner' ? OWNER_SCOPES : MEMBER_SCOPES,
    via: 'session',
    credentialId: session.id,
    userId: session.userId,
    session: { expiresAt, csrfToken: csrfTokenFor(token) },
  };
}

/**
 * Establishes the caller from `Authorization: Bearer sw_…` or the session cookie (the header
 * wins when both are sent), or answers 401 with WWW-Authenticate.
 */
export function authenticate(deps: AuthDeps & { now?: () => Date }): RequestHandler {
  const now = deps.now ?? (() => new Date());
  const sql = apiKeySql();
  return async (req, res, next) => {
    const at = now();
    const bearer = bearerToken(req);
    if (bearer === null)
      throw unauthorized('The Authorization header must be "Bearer sw_<prefix>_<secret>".');
    if (bearer !== undefined) {
      const { principal, counted } = await apiKeyPrincipal(deps, sql, bearer, at);
      setPrincipal(res, principal);
      setCounted(res, counted);
      next();
      return;
    }
    const cookies = parseCookies(req.get('cookie') ?? '');
    const sessionToken = cookies[SESSION_COOKIE];
    if (sessionToken) {
      setPrincipal(res, await sessionPrincipal(deps, req, sessionToken, at));
      next();
      return;
    }
    throw unauthorized(
      'This route needs an API key (Authorization: Bearer …) or a session cookie.',
    );
  };
}

/** Reads need `read`; everything else needs `write`. Routes needing `admin` add `requireScope`. */
export const scopeByMethod: RequestHandler = (req, res, next) => {
  const needed: ApiKeyScope = SAFE_METHODS.has(req.method) ? 'read' : 'write';
  if (!principalOf(res).scopes.has(needed)) throw insufficientScope(needed);
  next();
};

export function requireScope(scope: ApiKeyScope): RequestHandler {
  return (_req, res, next) => {
    if (!principalOf(res).scopes.has(scope)) throw insufficientScope(scope);
    next();
  };
}

/** Admin of an operator account: the shared targets are the service's, not a customer's. */
export const requireOperator: RequestHandler = (_req, res, next) => {
  const principal = principalOf(res);
  if (!principal.scopes.has('admin')) throw insufficientScope('admin');
  if (!principal.operator)
    throw insufficientScope(
      'admin',
      'Only admins of an operator account manage shared targets; use /v1/watches.',
    );
  next();
};
