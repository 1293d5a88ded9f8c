export { createApp, type ScraperDeps } from './app';
export { scraperConfigSchema, type ScraperConfig } from './config';
