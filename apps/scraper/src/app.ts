import { EventEnvelopeSchema, ScrapeRequestedSchema, topics } from '@shelfwatch/contracts';
import type { Logger } from '@shelfwatch/logging';
import { createHttpApp, parseOrThrow } from '@shelfwatch/runtime';
import type { Express } from 'express';
import { z } from 'zod';
import type { ScrapeHandler, ScrapeRequestedEvent } from './scrape/scrape-handler';

export interface ScraperDeps {
  logger: Logger;
  /** Handles one scrape.requested; mounted at `POST /internal/scrape` when given. */
  scrape?: ScrapeHandler;
}

const ScrapeRequestedEnvelopeSchema = EventEnvelopeSchema(ScrapeRequestedSchema).extend({
  type: z.literal('scrape.requested'),
  version: z.literal(topics['scrape.requested'].version),
});

/** The scraper is stateless: it has no dependency to be ready for until messaging arrives. */
export function createApp(deps: ScraperDeps): Express {
  return createHttpApp({
    logger: deps.logger,
    routes: (app) => {
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
