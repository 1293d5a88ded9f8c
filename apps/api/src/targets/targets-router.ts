import {
  CreateTargetRequestSchema,
  encodePageToken,
  IdSchema,
  ListTargetsQuerySchema,
  UpdateTargetRequestSchema,
  type TargetList,
} from '@shelfwatch/contracts';
import type { AddressGuard } from '@shelfwatch/address-guard';
import { Prisma, type PrismaClient } from '@shelfwatch/db';
import { HttpProblem, notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import type { Pool } from 'pg';
import { cursorIdFrom, pageOf } from '../read/page-cursor';
import { poolRunner, prismaRunner } from '../read/sql-runner';
import { createGuarded } from './guarded-creation';
import { readTarget, readTargets } from './target-read';

const RECORD_NOT_FOUND = 'P2025';

function isPrismaError(error: unknown, code: string): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}

function targetNotFound(id: string): HttpProblem {
  return notFound(`No target with id ${id}`);
}

export function targetsRouter(deps: {
  prisma: PrismaClient;
  /** Reads run through the driver: one statement each (ADR 0022). */
  pool: Pool;
  newId: () => string;
  addressGuard: AddressGuard;
}): Router {
  const { prisma } = deps;
  const sql = poolRunner(deps.pool);
  /** A write answers with what a read of the row gives, through the same statement. */
  const written = async (id: string) => {
    const target = await readTarget(prismaRunner(prisma), id);
    if (!target) throw targetNotFound(id);
    return target;
  };
  const router = Router();

  router.post('/v1/targets', async (req, res) => {
    const body = parseOrThrow(CreateTargetRequestSchema, req.body ?? {}, 'body');
    const row = await createGuarded(deps.addressGuard, body.url, {
      create: ({ url, host }) =>
        prisma.target.create({
          data: {
            id: deps.newId(),
            url,
            host,
            kind: body.kind,
            selectors: body.selectors ?? Prisma.DbNull,
            checkIntervalSeconds: body.checkIntervalSeconds,
            status: body.status,
            nextCheckAt: body.status === 'active' ? new Date() : null,
          },
        }),
      alreadyExists: async (url) => {
        const existing = await prisma.target.findFirst({ where: { url, kind: body.kind } });
        return `A ${body.kind} target for ${url} already exists${existing ? ` (id ${existing.id})` : ''}`;
      },
    });
    res
      .status(201)
      .location(`/v1/targets/${row.id}`)
      .json(await written(row.id));
  });

  router.get('/v1/targets', async (req, res) => {
    const query = parseOrThrow(ListTargetsQuerySchema, req.query, 'query');
    // Newest first, as documented: target ids are UUIDv7, so id order is creation order.
    const beforeId = cursorIdFrom(query.page_token);
    const rows = await readTargets(sql, {
      ...(beforeId ? { beforeId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.status ? { status: query.status } : {}),
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const body: TargetList = {
      items: page,
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });

  router.get('/v1/targets/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const target = await readTarget(sql, id);
    if (!target) throw targetNotFound(id);
    res.json(target);
  });

  router.patch('/v1/targets/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const changes = parseOrThrow(UpdateTargetRequestSchema, req.body ?? {}, 'body');
    try {
      const row = await prisma.target.update({
        where: { id },
        data: {
          ...(changes.selectors !== undefined
            ? { selectors: changes.selectors === null ? Prisma.DbNull : changes.selectors }
            : {}),
          ...(changes.checkIntervalSeconds !== undefined
            ? { checkIntervalSeconds: changes.checkIntervalSeconds }
            : {}),
          ...(changes.status !== undefined
            ? {
                status: changes.status,
                nextCheckAt: changes.status === 'active' ? new Date() : null,
              }
            : {}),
        },
      });
      res.json(await written(row.id));
    } catch (error) {
      if (isPrismaError(error, RECORD_NOT_FOUND)) throw targetNotFound(id);
      throw error;
    }
  });

  router.delete('/v1/targets/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const { count } = await prisma.target.deleteMany({ where: { id } });
    if (count === 0) throw targetNotFound(id);
    res.status(204).end();
  });

  return router;
}
