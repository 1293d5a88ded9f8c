import {
  encodePageToken,
  IdSchema,
  ListRunsQuerySchema,
  type ScrapeErrorClass,
  type ScrapeRun,
  type ScrapeRunList,
} from '@shelfwatch/contracts';
import type { PrismaClient, ScrapeRun as ScrapeRunRow } from '@shelfwatch/db';
import { notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import { principalOf } from '../access/principal';
import { cursorIdFrom, pageOf } from '../read/page-cursor';

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
  // Newest first: run ids are UUIDv7, so id order is request order.
  router.get('/v1/runs', async (req, res) => {
    const { accountId } = principalOf(res);
    const query = parseOrThrow(ListRunsQuerySchema, req.query, 'query');
    const beforeId = cursorIdFrom(query.page_token);
    let targetFilter:
      { targetId: string } | { target: { watches: { some: { accountId: string } } } };
    if (query.watch_id) {
      const watch = await deps.prisma.watch.findFirst({
        where: { id: query.watch_id, accountId },
        select: { targetId: true },
      });
      if (!watch) throw notFound(`Your account has no watch with id ${query.watch_id}`);
      targetFilter = { targetId: watch.targetId };
    } else targetFilter = { target: { watches: { some: { accountId } } } };
    const rows = await deps.prisma.scrapeRun.findMany({
      where: { ...targetFilter, ...(beforeId ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' },
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const body: ScrapeRunList = {
      items: page.map(toScrapeRunDto),
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });

  router.get('/v1/runs/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const principal = principalOf(res);
    // Operators see every run (they queue scrapes of any target); customers their watches' runs.
    const row = await deps.prisma.scrapeRun.findFirst({
      where: {
        id,
        ...(principal.operator && principal.scopes.has('admin')
          ? {}
          : { target: { watches: { some: { accountId: principal.accountId } } } }),
      },
    });
    if (!row) throw notFound(`No scrape run with id ${id}`);
    res.json(toScrapeRunDto(row));
  });
  return router;
}
