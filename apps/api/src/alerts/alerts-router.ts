import { encodePageToken, ListAlertsQuerySchema } from '@shelfwatch/contracts';
import { parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import type { Pool } from 'pg';
import { principalOf } from '../access/principal';
import { sendJsonText } from '../read/json-text';
import { cursorIdFrom, pageOf } from '../read/page-cursor';
import { poolArrayRunner } from '../read/sql-runner';
import { readAlerts } from './alert-read';
import { alertsJson } from './alerts-json';

export function alertsRouter(deps: { pool: Pool }): Router {
  const router = Router();
  const sql = poolArrayRunner(deps.pool);
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
    sendJsonText(res, alertsJson(page, last ? encodePageToken({ id: last[0] }) : null));
  });
  return router;
}
