import { IdSchema, type ScrapeErrorClass, type ScrapeRun } from '@shelfwatch/contracts';
import type { PrismaClient, ScrapeRun as ScrapeRunRow } from '@shelfwatch/db';
import { notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';

export function toScrapeRunDto(row: ScrapeRunRow): ScrapeRun {
  return {
    id: row.id,
    targetId: row.targetId,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    httpStatus: row.httpStatus,
    errorClass: (row.errorClass as ScrapeErrorClass | null) ?? null,
    errorMessage: row.errorMessage,
  };
}

export function runsRouter(deps: { prisma: PrismaClient }): Router {
  const router = Router();
  router.get('/v1/runs/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const row = await deps.prisma.scrapeRun.findUnique({ where: { id } });
    if (!row) throw notFound(`No scrape run with id ${id}`);
    res.json(toScrapeRunDto(row));
  });
  return router;
}
