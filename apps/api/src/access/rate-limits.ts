import { HttpProblem } from '@shelfwatch/runtime';
import type { RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { principalOf } from './principal';
import {
  countedOf,
  countRequest,
  quotaStates,
  type QuotaState,
  type RateLimitOptions,
} from './request-counters';

export type { RateLimitOptions } from './request-counters';

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/**
 * Counts every authenticated /v1 request against its key (or session) and its account, in
 * PostgreSQL so all instances share the count, and answers with the IETF RateLimit-Policy and
 * RateLimit headers; over either quota it is 429 with Retry-After. An API key's request was
 * counted by the statement that checked the key (authenticate.ts); a session's is counted here.
 */
export function rateLimits(pool: Pool, options: RateLimitOptions): RequestHandler {
  const policy = (
    [
      ['key', options.perKey],
      ['account', options.perAccount],
    ] as const
  )
    .map(([name, rule]) => `"${name}";q=${rule.points};w=${rule.durationSeconds}`)
    .join(', ');
  return async (_req, res, next) => {
    const principal = principalOf(res);
    const rows =
      countedOf(res) ??
      (await countRequest(pool, options, {
        credentialId: principal.credentialId,
        accountId: principal.accountId,
      }));
    const states = quotaStates(rows, options);
    setHeaders(res, policy, states);
    const spent = states.filter((state) => state.limited);
    if (spent.length > 0) {
      const wait = Math.max(1, ...spent.map((state) => seconds(state.msBeforeNext)));
      throw HttpProblem.of('tooManyRequests', {
        detail: `Rate limit of this ${spent.map((state) => state.name).join(' and ')} reached; retry in ${wait} s.`,
        headers: { 'Retry-After': String(wait) },
      });
    }
    next();
  };
}

function setHeaders(res: Response, policy: string, states: QuotaState[]): void {
  res.setHeader('RateLimit-Policy', policy);
  res.setHeader(
    'RateLimit',
    states
      .map((state) => `"${state.name}";r=${state.remainingPoints};t=${seconds(state.msBeforeNext)}`)
      .join(', '),
  );
}
