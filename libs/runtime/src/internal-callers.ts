import type { Logger } from '@shelfwatch/logging';
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpProblem } from './http-problem';
import { isLoopbackAddress } from './loopback';

/** The outcome of checking a caller's `Authorization` header; `reason` never quotes the token. */
export type CallerVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Checks a bearer token: its signature, audience and caller (an OIDC identity). */
export type CallerVerifier = (authorization: string | undefined) => Promise<CallerVerdict>;

export interface InternalCallerOptions {
  /** Verifies every request's token; without it only loopback callers get through. */
  verify?: CallerVerifier;
  /** On Cloud Run a missing verifier refuses everyone: no loopback shortcut behind a proxy. */
  cloudRun: boolean;
  logger: Logger;
}

/**
 * Guards every `/internal` route (ADR 0012). With a verifier, each request needs a valid token
 * of the configured identity: 401 without or with a bad one, 403 for someone else's. Without
 * one (local runs), only callers on this machine, judged by the socket's address, never by
 * `X-Forwarded-For`, which any caller can write. On Cloud Run a missing verifier is a
 * configuration error the service refuses to start with; should it happen anyway, nobody gets in.
 */
export function internalCallersOnly(options: InternalCallerOptions): RequestHandler {
  const { verify, logger } = options;
  return (req, _res, next) => {
    if (!verify) {
      const from = req.socket.remoteAddress;
      if (!options.cloudRun && isLoopbackAddress(from)) return next();
      logger.warn(
        `Refused ${req.method} /internal${req.path}: no caller identity is configured and ${
          options.cloudRun ? 'this is Cloud Run' : `${from ?? 'the caller'} is not loopback`
        }`,
      );
      return next(
        HttpProblem.of('forbidden', {
          detail:
            'Without a configured caller identity, /internal routes answer callers on this machine only.',
        }),
      );
    }
    verify(req.get('authorization')).then((verdict) => {
      if (verdict.ok) return next();
      logger.warn(`Refused ${req.method} /internal${req.path}: ${verdict.reason}`);
      next(
        HttpProblem.of(verdict.status === 401 ? 'unauthorized' : 'forbidden', {
          detail:
            verdict.status === 401
              ? 'A valid bearer token is required.'
              : 'The token is not for this endpoint or not from its caller.',
          ...(verdict.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}),
        }),
      );
    }, next);
  };
}

/**
 * The config rule for a pair of settings naming who may call a service's `/internal` routes
 * (an OIDC audience and the caller's service account): set together or not at all, and required
 * on Cloud Run (`K_SERVICE` set) whenever `mounted` says those routes exist, so the service
 * refuses to start rather than answer unauthenticated callers.
 */
export function internalCallerRule<T extends { K_SERVICE?: string }>(
  audience: keyof T & string,
  serviceAccount: keyof T & string,
  routes: string,
  mounted: (config: T) => boolean = () => true,
): (config: T, context: z.core.$RefinementCtx<T>) => void {
  return (config, context) => {
    const hasAudience = config[audience] !== undefined;
    const hasAccount = config[serviceAccount] !== undefined;
    if (hasAudience !== hasAccount) {
      context.addIssue({
        code: 'custom',
        path: [hasAudience ? serviceAccount : audience],
        message: `${audience} and ${serviceAccount} must be set together`,
      });
      return;
    }
    if (config.K_SERVICE !== undefined && !hasAudience && mounted(config))
      for (const variable of [audience, serviceAccount])
        context.addIssue({
          code: 'custom',
          path: [variable],
          message: `is required on Cloud Run (K_SERVICE is set): ${routes} must verify each caller's OIDC token`,
        });
  };
}
