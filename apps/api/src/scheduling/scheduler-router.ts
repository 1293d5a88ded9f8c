import type { Logger } from '@shelfwatch/logging';
import type { CallerVerifier } from '@shelfwatch/runtime';
import { Router } from 'express';
import type { SchedulerTick } from './scheduler';

/** Verifies the tick's OIDC token (audience and the scheduler's service account). */
export type TickAuthorizer = CallerVerifier;

/**
 * `POST /internal/scheduler/tick`, called by Cloud Scheduler in the cloud. Who may call it is
 * decided for every `/internal` route in front of it (createHttpApp's `internalCallers`).
 */
export function schedulerRouter(deps: { tick: SchedulerTick; logger?: Logger }): Router {
  const router = Router();
  router.post('/internal/scheduler/tick', async (_req, res) => {
    res.json(await deps.tick());
  });
  return router;
}
