import type { Pool } from 'pg';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import { HttpProblem } from '@shelfwatch/runtime';
import { postgresLimiter, type LimitRule } from './rate-limit-store';

export interface LoginThrottleOptions {
  /** Failed sign-ins allowed per email per window. */
  perEmail: LimitRule;
  /** Failed sign-ins allowed per client address per window. */
  perAddress: LimitRule;
}

/**
 * Counts failed sign-ins per email and per client address; once either is spent, sign-in is
 * refused with 429 until the window ends, right password or not (that is what stops guessing).
 */
export class LoginThrottle {
  private readonly byEmail: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;

  constructor(pool: Pool, options: LoginThrottleOptions) {
    this.byEmail = postgresLimiter(pool, 'login_email', options.perEmail);
    this.byAddress = postgresLimiter(pool, 'login_addr', options.perAddress);
  }

  /** Throws 429 when either budget is spent. */
  async check(email: string, address: string): Promise<void> {
    const [byEmail, byAddress] = await Promise.all([
      this.byEmail.get(email),
      this.byAddress.get(address),
    ]);
    const blocked = [
      [byEmail, this.byEmail.points],
      [byAddress, this.byAddress.points],
    ] as const;
    let waitMs = 0;
    for (const [state, points] of blocked)
      if (state && state.consumedPoints >= points) waitMs = Math.max(waitMs, state.msBeforeNext);
    if (waitMs > 0) throw tooManySignIns(waitMs);
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([this.byEmail.penalty(email, 1), this.byAddress.penalty(address, 1)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }
}

function tooManySignIns(waitMs: number): HttpProblem {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return HttpProblem.of('tooManyRequests', {
    detail: `Too many failed sign-ins; try again in ${seconds} s.`,
    headers: { 'Retry-After': String(seconds) },
  });
}
