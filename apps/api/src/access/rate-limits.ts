import { HttpProblem } from '@shelfwatch/runtime';
import type { RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { RateLimiterRes, type RateLimiterPostgres } from 'rate-limiter-flexible';
import { principalOf } from './principal';
import { postgresLimiter, type LimitRule } from './rate-limit-store';

export interface RateLimitOptions {
  /** Requests per window for one API key or session. */
  perKey: LimitRule;
  /** Requests per window for all of an account's keys and sessions together. */
  perAccount: LimitRule;
}

interface Quota {
  name: 'key' | 'account';
  limiter: RateLimiterPostgres;
  rule: LimitRule;
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/**
 * Counts every authenticated /v1 request against its key (or session) and its account, in
 * PostgreSQL so all instances share the count, and answers with the IETF RateLimit-Policy and
 * RateLimit headers; over either quota it is 429 with Retry-After.
 */
export function rateLimits(pool: Pool, options: RateLimitOptions): RequestHandler {
  const quotas: Quota[] = [
    { name: 'key', limiter: postgresLimiter(pool, 'rl_key', options.perKey), rule: options.perKey },
    {
      name: 'account',
      limiter: postgresLimiter(pool, 'rl_account', options.perAccount),
      rule: options.perAccount,
    },
  ];
  const policy = quotas
    .map(({ name, rule }) => `"${name}";q=${rule.points};w=${rule.durationSeconds}`)
    .join(', ');
  return async (_req, res, next) => {
    const principal = principalOf(res);
    const ids = { key: principal.credentialId, account: principal.accountId };
    const outcomes = await Promise.all(
      quotas.map(async (quota) => {
        try {
          return { quota, state: await quota.limiter.consume(ids[quota.name]), limited: false };
        } catch (rejection) {
          // rate-limiter-flexible rejects with its result when the quota is spent, else with an Error.
          if (rejection instanceof RateLimiterRes)
            return { quota, state: rejection, limited: true };
          throw rejection;
        }
      }),
    );
    setHeaders(res, policy, outcomes);
    const spent = outcomes.filter((outcome) => outcome.limited);
    if (spent.length > 0) {
      const wait = Math.max(1, ...spent.map((outcome) => seconds(outcome.state.msBeforeNext)));
      throw HttpProblem.of('tooManyRequests', {
        detail: `Rate limit of this ${spent.map((outcome) => outcome.quota.name).join(' and ')} reached; retry in ${wait} s.`,
        headers: { 'Retry-After': String(wait) },
      });
    }
    next();
  };
}

function setHeaders(
  res: Response,
  policy: string,
  outcomes: Array<{ quota: Quota; state: RateLimiterRes }>,
): void {
  res.setHeader('RateLimit-Policy', policy);
  res.setHeader(
    'RateLimit',
    outcomes
      .map(
        ({ quota, state }) =>
          `"${quota.name}";r=${state.remainingPoints};t=${seconds(state.msBeforeNext)}`,
      )
      .join(', '),
  );
}
