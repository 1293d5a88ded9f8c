import { encodePageToken, ListAlertsQuerySchema, type AlertList } from '@shelfwatch/contracts';
import { parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import type { Pool } from 'pg';
import { principalOf } from '../access/principal';
import { cursorIdFrom, pageOf } from '../read/page-cursor';
import { poolRunner } from '../read/sql-runner';
import { readAlerts } from './alert-read';

export function alertsRouter(deps: { pool: Pool }): Router {
  const router = Router();
  const sql = poolRunner(deps.pool);
  // Newest first: alert ids are UUIDv7, so id order is creation order.
  router.get('/v1/alerts', async (req, res) => {
    const query = parseOrThrow(ListAlertsQuerySchema, req.query, 'query');
    const beforeId = cursorIdFrom(query.page_token);
    const rows = await readAlerts(sql, {
      accountId: principalOf(res).accountId,
      ...(beforeId ? { beforeId } : {}),
      ...(query.product_id ? { productId: query.product_id } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const body: AlertList = {
      items: page,
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    res.json(body);
  });
  return router;
}
