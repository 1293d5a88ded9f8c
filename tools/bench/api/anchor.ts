/**
 * The anchor of tools/bench/api: express + pg over the same tables, written as one would by
 * hand. Per request it checks the API key (one query, SHA-256 of the secret, as the api does)
 * and reads the route's rows with one query, formatting NUMERIC and timestamptz in SQL.
 * Started by run.ts: tsx anchor.ts <database url> <port>; prints "ready" once listening.
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { Pool } from 'pg';

const [databaseUrl, portText] = process.argv.slice(2);
const pool = new Pool({ connectionString: databaseUrl, max: 10 });
const KEY = /^Bearer sw_([a-z2-7]+)_(\S+)$/;

async function accountOf(req: Request, res: Response): Promise<string | null> {
  const match = KEY.exec(req.get('authorization') ?? '');
  const hash = match
    ? createHash('sha256')
        .update(match[2] as string)
        .digest('hex')
    : '';
  const { rows } = await pool.query<{ account_id: string }>(
    `SELECT account_id FROM api_keys
      WHERE prefix = $1 AND secret_hash = $2 AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > now())`,
    [match?.[1] ?? '', hash],
  );
  if (!rows[0]) res.status(401).json({ title: 'Unauthorized' });
  return rows[0]?.account_id ?? null;
}

const app = express();
app.get('/v1/watches/:id', async (req, res) => {
  const account = await accountOf(req, res);
  if (!account) return;
  const { rows } = await pool.query(
    `SELECT w.id, w.labels, w.check_interval_seconds AS "checkIntervalSeconds",
            w.min_change_amount::text AS "minChangeAmount", w.min_change_percent::text AS "minChangePercent",
            w.target_price::text AS "targetPrice", w.alert_kinds::text[] AS kinds,
            to_json(w.created_at) AS "createdAt", t.id AS "targetId", t.url, t.host, t.kind, t.status,
            to_json(t.last_checked_at) AS "lastCheckedAt", h.consecutive_failures AS "consecutiveFailures",
            to_json(h.paused_at) AS "pausedAt"
       FROM watches w JOIN targets t ON t.id = w.target_id
       LEFT JOIN target_health h ON h.target_id = t.id
      WHERE w.id = $1 AND w.account_id = $2`,
    [req.params.id, account],
  );
  if (!rows[0]) return void res.status(404).json({ title: 'Not Found' });
  res.json(rows[0]);
});
app.get('/v1/products/:id/prices', async (req, res) => {
  const account = await accountOf(req, res);
  if (!account) return;
  const limit = Math.min(1000, Number(req.query['page_size'] ?? 100));
  const { rows } = await pool.query(
    `SELECT p.id, to_json(p.observed_at) AS "observedAt", p.amount::text AS amount, p.currency,
            p.list_price::text AS "listPrice", p.availability
       FROM price_points p
      WHERE p.product_id = $1
        AND EXISTS (SELECT 1 FROM products pr JOIN watches w ON w.target_id = pr.target_id
                     WHERE pr.id = $1 AND w.account_id = $2)
      ORDER BY p.observed_at, p.id LIMIT $3`,
    [req.params.id, account, limit + 1],
  );
  res.json({ productId: req.params.id, items: rows.slice(0, limit), nextPageToken: null });
});
app.get('/v1/alerts', async (req, res) => {
  const account = await accountOf(req, res);
  if (!account) return;
  const { rows } = await pool.query(
    `SELECT id, product_id AS "productId", target_id AS "targetId", watch_id AS "watchId", kind,
            previous_amount::text AS "previousAmount", previous_currency AS "previousCurrency",
            current_amount::text AS "currentAmount", current_currency AS "currentCurrency",
            previous_availability AS "previousAvailability", current_availability AS availability,
            change_percent::text AS "changePercent", to_json(observed_at) AS "observedAt",
            to_json(created_at) AS "createdAt", event_id AS "eventId"
       FROM alerts WHERE account_id = $1 ORDER BY id DESC LIMIT 51`,
    [account],
  );
  res.json({ items: rows.slice(0, 50), nextPageToken: null });
});
const server = app.listen(Number(portText), '127.0.0.1', () => console.log('ready'));
process.once('SIGTERM', () => {
  server.close();
  void pool.end();
});
