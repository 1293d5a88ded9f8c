import { IdSchema } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import { HttpProblem, notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import { toScrapeRunDto } from '../runs/runs-router';
import { publishQueuedRuns, type ScrapePublisher } from './scrape-dispatch';

/**
 * `POST /v1/targets/:id/scrape`: queues a run outside the schedule (paused targets included:
 * checking whether a gone page is back is a reason to ask) and answers 202 with the run. The
 * schedule is left alone; the next scheduled check still comes when it was due.
 */
export function scrapeNowRouter(deps: {
  prisma: PrismaClient;
  publisher: ScrapePublisher;
  newId: () => string;
  logger?: Logger;
}): Router {
  const router = Router();
  router.post('/v1/targets/:id/scrape', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const target = await deps.prisma.target.findUnique({
      where: { id },
      select: {
        id: true,
        url: true,
        kind: true,
        selectors: true,
        health: { select: { etag: true, lastModified: true } },
      },
    });
    if (!target) throw notFound(`No target with id ${id}`);
    const row = await deps.prisma.scrapeRun.create({
      data: { id: deps.newId(), targetId: id, status: 'queued', requestedAt: new Date() },
    });
    const { failed } = await publishQueuedRuns(deps, [
      {
        runId: row.id,
        target,
        requestedAt: row.requestedAt,
        validators: {
          etag: target.health?.etag ?? null,
          lastModified: target.health?.lastModified ?? null,
        },
      },
    ]);
    if (failed.length > 0)
      throw HttpProblem.of('serviceUnavailable', {
        detail: 'The scrape could not be queued because messaging is unavailable; try again.',
        headers: { 'Retry-After': '5' },
      });
    res.status(202).location(`/v1/runs/${row.id}`).json(toScrapeRunDto(row));
  });
  return router;
}
