import type { Logger } from '@shelfwatch/logging';
import { HttpProblem } from '@shelfwatch/runtime';
import { Router } from 'express';
import { isLoopbackAddress } from './loopback';
import type { SchedulerTick } from './scheduler';

export type TickAuthorizer = (
  authorization: string | undefined,
) => Promise<{ ok: true } | { ok: false; status: 401 | 403; reason: string }>;

/**
 * `POST /internal/scheduler/tick`, called by Cloud Scheduler in the cloud. With an authorizer
 * (OIDC: audience and the scheduler's service account), a missing or bad token is 401 and a
 * token for someone else 403. Without one, only loopback callers may tick.
 */
export function schedulerRouter(deps: {
  tick: SchedulerTick;
  authorize?: TickAuthorizer;
  logger?: Logger;
}): Router {
  const router = Router();
  router.post('/internal/scheduler/tick', async (req, res) => {
    if (!deps.authorize) {
      // No OIDC identity configured (local runs): only this machine may tick. The socket's
      // address, not X-Forwarded-For, which any caller can write.
      const from = req.socket.remoteAddress;
      if (!isLoopbackAddress(from)) {
        deps.logger?.warn(
          `Scheduler tick refused: ${from} is not loopback and no OIDC identity is configured`,
        );
        throw HttpProblem.of('forbidden', {
          detail:
            'Without a configured OIDC identity, /internal routes answer loopback callers only.',
        });
      }
    } else {
      const verdict = await deps.authorize(req.get('authorization'));
      if (!verdict.ok) {
        deps.logger?.warn(`Scheduler tick refused: ${verdict.reason}`);
        throw HttpProblem.of(verdict.status === 401 ? 'unauthorized' : 'forbidden', {
          detail:
            verdict.status === 401
              ? 'A valid bearer token is required.'
              : 'The token is not for this endpoint.',
          ...(verdict.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}),
        });
      }
    }
    res.json(await deps.tick());
  });
  return router;
}
