import { IdSchema } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import { notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import { toScrapeRunDto } from '../runs/runs-router';
import type { OutboxWaker } from '../outbox/api-outbox';
import { enqueueScrapeRequests } from './scrape-dispatch';

/**
 * `POST /v1/targets/:id/scrape`: queues a run outside the schedule (paused targets included:
 * checking whether a gone page is back is a reason to ask) with its scrape.requested in the
 * outbox, and answers 202 with the run; the relay publishes it after the commit. The schedule is
 * left alone; the next scheduled check still comes when it was due.
 */
export function scrapeNowRouter(deps: {
  prisma: PrismaClient;
  relay: OutboxWaker;
  newId: () => string;
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
    const row = await deps.prisma.$transaction(async (tx) => {
      const queued = await tx.scrapeRun.create({
        data: { id: deps.newId(), targetId: id, status: 'queued', requestedAt: new Date() },
      });
      await enqueueScrapeRequests(tx, [
        {
          runId: queued.id,
          target,
          requestedAt: queued.requestedAt,
          validators: {
            etag: target.health?.etag ?? null,
            lastModified: target.health?.lastModified ?? null,
          },
        },
      ]);
      return queued;
    });
    deps.relay.wake();
    res.status(202).location(`/v1/runs/${row.id}`).json(toScrapeRunDto(row));
  });
  return router;
}
