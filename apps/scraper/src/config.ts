import { baseConfigSchema } from '@shelfwatch/runtime';
import { z } from 'zod';

export const scraperConfigSchema = baseConfigSchema.extend({
  SCRAPER_USER_AGENT_CONTACT: z.url().default('https://github.com/shelfwatch/shelfwatch'),
});

export type ScraperConfig = z.infer<typeof scraperConfigSchema>;
