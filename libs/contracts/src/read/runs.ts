import { z } from 'zod';
import { ScrapeErrorClassSchema } from '../events/payloads';
import { IdSchema } from '../ids';
import { TimestampSchema } from '../time';
import {
  nextPageTokenField,
  pageSizeParameter,
  pageTokenParameter,
  unknownQueryParameters,
} from './list-query';

export const ScrapeRunStatusSchema = z
  .enum(['queued', 'running', 'succeeded', 'failed'])
  .meta({ id: 'ScrapeRunStatus' });

export const ScrapeRunSchema = z
  .object({
    id: IdSchema,
    targetId: IdSchema,
    status: ScrapeRunStatusSchema,
    requestedAt: TimestampSchema.meta({ description: 'When the scrape was queued.' }),
    startedAt: TimestampSchema.nullable().meta({
      description:
        'When the scraper started working on it; null while queued, and for runs that ended before scrapers reported it.',
    }),
    finishedAt: TimestampSchema.nullable().meta({ description: 'When the run ended.' }),
    httpStatus: z.int().nullable().meta({ description: 'Status of the page fetch, when any.' }),
    errorClass: ScrapeErrorClassSchema.nullable().meta({ description: 'Why a failed run failed.' }),
    errorMessage: z.string().nullable(),
  })
  .meta({ id: 'ScrapeRun', description: 'One requested scrape of a target and how it ended.' });

export type ScrapeRunStatus = z.infer<typeof ScrapeRunStatusSchema>;
export type ScrapeRun = z.infer<typeof ScrapeRunSchema>;

export const ScrapeRunListSchema = z
  .object({ items: z.array(ScrapeRunSchema), nextPageToken: nextPageTokenField })
  .meta({ id: 'ScrapeRunList', description: 'One page of scrape runs, newest first.' });

export const ListRunsQuerySchema = z.strictObject(
  {
    page_size: pageSizeParameter(),
    page_token: pageTokenParameter,
    watch_id: IdSchema.optional().meta({ description: 'Only runs of this watch’s page.' }),
  },
  unknownQueryParameters,
);

export type ScrapeRunList = z.infer<typeof ScrapeRunListSchema>;
export type ListRunsQuery = z.infer<typeof ListRunsQuerySchema>;
