import { EventEnvelopeSchema, ScrapeRequestedSchema, topics } from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';
import { messagingReadiness, pushRoutes, type Messaging } from '@shelfwatch/messaging';
import { createHttpApp, parseOrThrow, type CallerVerifier } from '@shelfwatch/runtime';
import type { Express } from 'express';
import { z } from 'zod';
import type { ScrapeHandler, ScrapeRequestedEvent } from './scrape/scrape-handler';

export interface ScraperDeps {
  logger: Logger;
  /** Handles one scrape.requested; mounted at `POST /internal/scrape` when given. */
  scrape?: ScrapeHandler;
  /** Readiness follows the transport; on Pub/Sub the push endpoint is mounted. */
  messaging?: Messaging;
  /** Verifies the OIDC token of `/internal` callers; without it loopback callers only. */
  internalCallers?: CallerVerifier;
}

const ScrapeRequestedEnvelopeSchema = EventEnvelopeSchema(ScrapeRequestedSchema).extend({
  type: z.literal('scrape.requested'),
  version: z.literal(topics['scrape.requested'].version),
});

/** The scraper is stateless: messaging is its only dependency to be ready for. */
export function createApp(deps: ScraperDeps): Express {
  const messaging = deps.messaging;
  return createHttpApp({
    logger: deps.logger,
    internalCallers: deps.internalCallers,
    readiness: messaging ? { messaging: messagingReadiness(messaging) } : {},
    routes: (app) => {
      const push = messaging && pushRoutes(messaging);
      if (push) app.use(push);
      const scrape = deps.scrape;
      if (!scrape) return;
      // Runs one scrape.requested envelope and answers with the events it produced, so the
      // scrape path is reachable over HTTP before messaging delivers to it.
      app.post('/internal/scrape', async (req, res) => {
        const request = parseOrThrow(ScrapeRequestedEnvelopeSchema, req.body, 'body');
        const events = await scrape(request as ScrapeRequestedEvent);
        res.json({ events });
      });
    },
  });
}
