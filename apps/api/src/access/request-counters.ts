import type { Response } from 'express';
import type { Pool } from 'pg';
import { prepared } from '@shelfwatch/db';
import type { LimitRule } from './rate-limit-store';

/** The per-request quotas: one API key or session, and all of an account's credentials. */
export interface RateLimitOptions {
  /** Requests per window for one API key or session. */
  perKey: LimitRule;
  /** Requests per window for all of an account's keys and sessions together. */
  perAccount: LimitRule;
}

export type QuotaName = 'key' | 'account';

/** A counter row as the upsert returns it: its key, requests so far, expiry in epoch ms. */
export interface CounterRow {
  key: string;
  points: number;
  expire: string | number;
}

/**
 * The rows are rate-limiter-flexible's (`rate_limits`: key `<prefix>:<id>`, points, expiry in
 * epoch ms), as its Postgres store wrote them when each quota was a limiter of its own, so
 * counts carry over and the login throttle's limiters share the table.
 */
const PREFIX: Record<QuotaName, string> = { key: 'rl_key', account: 'rl_account' };

/** A counter row's key: `<prefix>:<id>` of the credential or the account. */
export function counterKey(quota: QuotaName, id: string): string {
  return `${PREFIX[quota]}:${id}`;
}

/**
 * SQL that counts one request against both quotas in one statement: the same upsert as the
 * store's `consume(1)` (a row whose window has expired restarts at 1 with a new expiry), for
 * the credential's row and then the account's, always in that order so concurrent requests
 * lock the two rows in one order. `source` yields `credential_id` and `account_id` columns
 * and `where` decides whether the request counts; `$now`, `$keyMs`, `$accountMs` name the
 * parameters holding Date.now() and the two windows in ms.
 */
export function countingSql(
  source: string,
  where: string,
  params: { now: string; keyMs: string; accountMs: string },
): string {
  const { now, keyMs, accountMs } = params;
  return `
    INSERT INTO rate_limits AS r (key, points, expire)
    SELECT c.key, 1, ${now}::bigint + c.ms
      FROM ${source}
     CROSS JOIN LATERAL (VALUES ('${PREFIX.key}:' || credential_id, ${keyMs}::bigint, 1),
                                ('${PREFIX.account}:' || account_id, ${accountMs}::bigint, 2))
           AS c(key, ms, ord)
     WHERE ${where}
     ORDER BY c.ord
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN r.expire <= ${now}::bigint THEN 1 ELSE r.points + 1 END,
      expire = CASE WHEN r.expire <= ${now}::bigint THEN EXCLUDED.expire ELSE r.expire END
    RETURNING r.key, r.points, r.expire`;
}

/** The windows in ms, as the parameters `countingSql` names. */
export function windowsMs(options: RateLimitOptions): [number, number] {
  return [options.perKey.durationSeconds * 1000, options.perAccount.durationSeconds * 1000];
}

const COUNTED = 'shelfwatchCountedRequest';

/** Authentication counted the request in its own statement: the rate limits use these rows. */
export function setCounted(res: Response, rows: CounterRow[]): void {
  res.locals[COUNTED] = rows;
}

export function countedOf(res: Response): CounterRow[] | undefined {
  return res.locals[COUNTED] as CounterRow[] | undefined;
}

const SESSION_COUNTING_SQL = countingSql(
  '(SELECT $1::text AS credential_id, $2::text AS account_id) ids',
  'true',
  { now: '$3', keyMs: '$4', accountMs: '$5' },
);

/** Counts one request of a credential that authentication did not count (sessions). */
export async function countRequest(
  pool: Pool,
  options: RateLimitOptions,
  ids: { credentialId: string; accountId: string },
): Promise<CounterRow[]> {
  const { rows } = await pool.query<CounterRow>(
    prepared(SESSION_COUNTING_SQL, [
      ids.credentialId,
      ids.accountId,
      Date.now(),
      ...windowsMs(options),
    ]),
  );
  return rows;
}

export interface QuotaState {
  name: QuotaName;
  rule: LimitRule;
  remainingPoints: number;
  msBeforeNext: number;
  limited: boolean;
}

/** What rate-limiter-flexible reported for a consumed row: remaining points, ms to reset, over. */
export function quotaStates(rows: CounterRow[], options: RateLimitOptions): QuotaState[] {
  const now = Date.now();
  return (['key', 'account'] as const).map((name) => {
    const rule = name === 'key' ? options.perKey : options.perAccount;
    const row = rows.find((candidate) => candidate.key.startsWith(`${PREFIX[name]}:`));
    if (!row) throw new Error(`The request was not counted against its ${name} quota`);
    const consumed = Number(row.points);
    return {
      name,
      rule,
      remainingPoints: Math.max(rule.points - consumed, 0),
      msBeforeNext: Math.max(Number(row.expire) - now, 0),
      limited: consumed > rule.points,
    };
  });
}
