/**
 * Keeps the stored demo targets pointing at the demo shop when its port moves
 * (`SHELFWATCH_PORT`, `DEMO_SHOP_PORT`): the shop's last origin is kept in
 * `<data dir>/demo-shop.json`, and targets under the old origin move to the new one. Local
 * development only; no deployed database holds loopback targets.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { localPostgresDataDir } from './local-database';

export function demoShopStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(localPostgresDataDir(env)), 'demo-shop.json');
}

function lastOrigin(stateFile: string): string | undefined {
  try {
    const { origin } = JSON.parse(readFileSync(stateFile, 'utf8')) as { origin?: unknown };
    return typeof origin === 'string' ? origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves targets under the shop's previous origin to `shopUrl` and records `shopUrl`; returns how
 * many moved. A target whose new URL is already watched (same kind) stays where it was.
 */
export async function keepDemoTargetsOnShop(
  databaseUrl: string,
  shopUrl: string,
  stateFile: string,
): Promise<number> {
  const origin = new URL(shopUrl).origin;
  const previous = lastOrigin(stateFile);
  let moved = 0;
  if (previous && previous !== origin) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const result = await client.query(
        `UPDATE targets AS t
            SET url = $2 || substr(t.url, length($1) + 1), updated_at = now()
          WHERE starts_with(t.url, $1 || '/')
            AND NOT EXISTS (
              SELECT 1 FROM targets AS o
               WHERE o.kind = t.kind AND o.url = $2 || substr(t.url, length($1) + 1))`,
        [previous, origin],
      );
      moved = result.rowCount ?? 0;
    } finally {
      await client.end();
    }
  }
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify({ origin })}\n`);
  return moved;
}
