import {
  encodePageToken,
  ListAlertsQuerySchema,
  type Alert as AlertDto,
  type AlertList,
} from '@shelfwatch/contracts';
import type { Alert as AlertRow, PrismaClient } from '@shelfwatch/db';
import { parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import { principalOf } from '../access/principal';
import { toMoney } from '../read/money';
import { cursorIdFrom, pageOf } from '../read/page-cursor';

export function toAlertDto(row: AlertRow): AlertDto {
  return {
    id: row.id,
    productId: row.productId,
    targetId: row.targetId,
    watchId: row.watchId,
    kind: row.kind,
    previous: toMoney(row.previousAmount, row.previousCurrency),
    current: toMoney(row.currentAmount, row.currentCurrency),
    previousAvailability: row.previousAvailability,
    availability: row.currentAvailability,
    changePercent: row.changePercent?.toFixed() ?? null,
    observedAt: row.observedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    eventId: row.eventId,
  };
}

export function alertsRouter(deps: { prisma: PrismaClient }): Router {
  const router = Router();
  // Newest first: alert ids are UUIDv7, so id order is creation order.
  router.get('/v1/alerts', async (req, res) => {
    const query = parseOrThrow(ListAlertsQuerySchema, req.query, 'query');
    const beforeId = cursorIdFrom(query.page_token);
    const rows = await deps.prisma.alert.findMany({
      where: {
        accountId: principalOf(res).accountId,
        ...(beforeId ? { id: { lt: beforeId } } : {}),
        ...(query.product_id ? { productId: query.product_id } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
      },
      orderBy: { id: 'desc' },
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const body: AlertList = {
      items: page.map(toAlertDto),
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });
  return router;
}
