import {
  CreateWatchRequestSchema,
  encodePageToken,
  IdSchema,
  ListWatchesQuerySchema,
  UpdateWatchRequestSchema,
  type WatchList,
} from '@shelfwatch/contracts';
import type { AddressGuard } from '@shelfwatch/address-guard';
import { Prisma, type PrismaClient } from '@shelfwatch/db';
import { notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import type { Pool } from 'pg';
import { principalOf } from '../access/principal';
import { sendJson } from '../read/json-text';
import { cursorIdFrom, pageOf } from '../read/page-cursor';
import { poolRunner, prismaRunner } from '../read/sql-runner';
import { createGuarded } from '../targets/guarded-creation';
import { resumeTarget, syncTargetSchedules } from './target-schedule';
import { toWatchDto } from './watch-mapper';
import { readWatch, readWatches } from './watch-read';
import { readWatchSparklines } from './watch-sparklines';

type Tx = Prisma.TransactionClient;

function watchNotFound(id: string) {
  return notFound(`Your account has no watch with id ${id}`);
}

/** The shared target of a URL and kind, created when no account watched it yet. */
async function sharedTarget(
  tx: Tx,
  input: {
    url: string;
    host: string;
    kind: 'product' | 'listing' | 'sitemap';
    selectors?: object;
    interval: number;
  },
  newId: () => string,
  now: Date,
): Promise<string> {
  // ON CONFLICT DO NOTHING: two accounts adding the same page at once share one target.
  await tx.target.createMany({
    data: [
      {
        id: newId(),
        url: input.url,
        host: input.host,
        kind: input.kind,
        selectors: input.selectors ?? Prisma.DbNull,
        checkIntervalSeconds: input.interval,
        status: 'active',
        nextCheckAt: now,
      },
    ],
    skipDuplicates: true,
  });
  const target = await tx.target.findUniqueOrThrow({
    where: { url_kind: { url: input.url, kind: input.kind } },
    select: { id: true },
  });
  return target.id;
}

export function watchesRouter(deps: {
  prisma: PrismaClient;
  /** Reads run through the driver: one statement each (ADR 0022). */
  pool: Pool;
  newId: () => string;
  addressGuard: AddressGuard;
}): Router {
  const { prisma } = deps;
  const sql = poolRunner(deps.pool);
  const router = Router();

  router.post('/v1/watches', async (req, res) => {
    const { accountId } = principalOf(res);
    const body = parseOrThrow(CreateWatchRequestSchema, req.body ?? {}, 'body');
    const now = new Date();
    const row = await createGuarded(deps.addressGuard, body.url, {
      create: ({ url, host }) =>
        prisma.$transaction(async (tx) => {
          const targetId = await sharedTarget(
            tx,
            {
              url,
              host,
              kind: body.kind,
              selectors: body.selectors,
              interval: body.checkIntervalSeconds,
            },
            deps.newId,
            now,
          );
          const watch = await tx.watch.create({
            data: {
              id: deps.newId(),
              accountId,
              targetId,
              labels: body.labels,
              checkIntervalSeconds: body.checkIntervalSeconds,
              minChangeAmount: body.rules.minChangeAmount,
              minChangePercent: body.rules.minChangePercent,
              targetPrice: body.rules.targetPrice,
              alertKinds: body.rules.kinds,
            },
          });
          await resumeTarget(tx, targetId, now);
          await syncTargetSchedules(tx, [targetId], now);
          return (await readWatch(prismaRunner(tx), accountId, watch.id))!;
        }),
      alreadyExists: async (url) => {
        const existing = await prisma.watch.findFirst({
          where: { accountId, target: { url, kind: body.kind } },
          select: { id: true },
        });
        return `Your account already watches ${url} as a ${body.kind}${existing ? ` (watch ${existing.id})` : ''}`;
      },
    });
    res.status(201).location(`/v1/watches/${row.id}`).json(toWatchDto(row));
  });

  router.get('/v1/watches', async (req, res) => {
    const { accountId } = principalOf(res);
    const query = parseOrThrow(ListWatchesQuerySchema, req.query, 'query');
    const beforeId = cursorIdFrom(query.page_token);
    const rows = await readWatches(sql, {
      accountId,
      ...(beforeId ? { beforeId } : {}),
      ...(query.label ? { label: query.label } : {}),
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const sparklines =
      query.include === 'sparkline'
        ? await readWatchSparklines(
            sql,
            accountId,
            page.map((row) => row.id),
            new Date(),
          )
        : undefined;
    const body: WatchList = {
      items: page.map((row) => {
        const watch = toWatchDto(row);
        // Every listed watch has one, unless it was deleted between the two statements.
        const sparkline = sparklines?.get(row.id);
        return sparkline ? { ...watch, sparkline } : watch;
      }),
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });

  router.get('/v1/watches/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const row = await readWatch(sql, principalOf(res).accountId, id);
    if (!row) throw watchNotFound(id);
    sendJson(res, toWatchDto(row));
  });

  router.patch('/v1/watches/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const changes = parseOrThrow(UpdateWatchRequestSchema, req.body ?? {}, 'body');
    const { accountId } = principalOf(res);
    const rules = changes.rules ?? {};
    const row = await prisma.$transaction(async (tx) => {
      const before = await tx.watch.findFirst({
        where: { id, accountId },
        select: { targetId: true, pausedAt: true },
      });
      if (!before) return null;
      const now = new Date();
      await tx.watch.update({
        where: { id },
        data: {
          ...(changes.labels !== undefined ? { labels: changes.labels } : {}),
          ...(changes.checkIntervalSeconds !== undefined
            ? { checkIntervalSeconds: changes.checkIntervalSeconds }
            : {}),
          ...(rules.minChangeAmount !== undefined
            ? { minChangeAmount: rules.minChangeAmount }
            : {}),
          ...(rules.minChangePercent !== undefined
            ? { minChangePercent: rules.minChangePercent }
            : {}),
          ...(rules.targetPrice !== undefined ? { targetPrice: rules.targetPrice } : {}),
          ...(rules.kinds !== undefined ? { alertKinds: rules.kinds } : {}),
          // Pausing again keeps the first pause's time.
          ...(changes.paused !== undefined
            ? { pausedAt: changes.paused ? (before.pausedAt ?? now) : null }
            : {}),
        },
      });
      // Resuming asks for a check at once, as a new watch does.
      if (changes.paused === false && before.pausedAt !== null)
        await resumeTarget(tx, before.targetId, now);
      await syncTargetSchedules(tx, [before.targetId], now);
      return readWatch(prismaRunner(tx), accountId, id);
    });
    if (!row) throw watchNotFound(id);
    res.json(toWatchDto(row));
  });

  router.delete('/v1/watches/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const { accountId } = principalOf(res);
    const deleted = await prisma.$transaction(async (tx) => {
      const watch = await tx.watch.findFirst({
        where: { id, accountId },
        select: { targetId: true },
      });
      if (!watch) return false;
      await tx.watch.delete({ where: { id } });
      await syncTargetSchedules(tx, [watch.targetId], new Date());
      return true;
    });
    if (!deleted) throw watchNotFound(id);
    res.status(204).end();
  });

  return router;
}
