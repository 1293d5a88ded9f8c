import type { Logger } from '@shelfwatch/logging';
import { createHttpApp } from '@shelfwatch/runtime';
import type { Express } from 'express';

export interface ScraperDeps {
  logger: Logger;
}

/** The scraper is stateless: it has no dependency to be ready for until messaging arrives. */
export function createApp(deps: ScraperDeps): Express {
  return createHttpApp({ logger: deps.logger, routes: () => undefined });
}
