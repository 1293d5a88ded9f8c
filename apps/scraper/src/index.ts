export { createApp, type ScraperDeps } from './app';
export { scraperConfigSchema, type ScraperConfig } from './config';
export {
  ROBOTS_PRODUCT_TOKEN,
  createScraper,
  userAgentFor,
  type CreateScraperOptions,
  type Scraper,
  type ScraperSettings,
} from './scraper';
export {
  SCRAPER_EVENT_SOURCE,
  createScrapeHandler,
  type ScrapeHandler,
  type ScrapeHandlerDeps,
  type ScrapeRequestedEvent,
  type ScraperEvent,
} from './scrape/scrape-handler';
export type { ExtractOffers, ExtractOptions, Extraction } from './scrape/extractor';
export { ScrapeError, classifyError } from './fetch/scrape-error';
export {
  FETCH_USAGE,
  runFetchCommand,
  type FetchCommandDeps,
  type FetchCommandIo,
} from './cli/fetch-command';
export {
  SCRAPE_REQUESTED_SUBSCRIPTION,
  subscribeScraper,
  type ScraperSubscriptionOptions,
} from './consumers';
