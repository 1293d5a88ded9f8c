import { readdir } from 'node:fs/promises';
import { applyMigrations, defaultPrismaPaths } from '../src/index';
import { createEmptyTestDatabase, dropTestDatabase, queryRows } from '@shelfwatch/testing';

describe('applyMigrations', () => {
  it('creates the tables, enums and indexes in a fresh database and records each migration', async () => {
    const url = await createEmptyTestDatabase();
    const folders = (await readdir(defaultPrismaPaths.migrationsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    const { applied } = await applyMigrations(url);

    expect(applied).toEqual(folders);
    const tables = await queryRows<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      '_prisma_migrations',
      'accounts',
      'alert_announcements',
      'alerts',
      'api_keys',
      'channel_deliveries',
      'delivery_attempts',
      'email_digest_entries',
      'email_recipients',
      'idempotency_records',
      'outbox_events',
      'price_points',
      'processed_events',
      'products',
      'rate_limits',
      'scrape_runs',
      'sessions',
      'target_health',
      'targets',
      'users',
      'watches',
      'webhook_endpoint_states',
      'webhook_endpoints',
    ]);
    const columns = await queryRows<{ column_name: string; data_type: string }>(
      url,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'targets' ORDER BY column_name",
    );
    expect(
      Object.fromEntries(columns.map((row) => [row.column_name, row.data_type])),
    ).toMatchObject({
      id: 'uuid',
      selectors: 'jsonb',
      next_check_at: 'timestamp with time zone',
      created_at: 'timestamp with time zone',
      check_interval_seconds: 'integer',
    });
    const indexes = await queryRows<{ indexname: string }>(
      url,
      "SELECT indexname FROM pg_indexes WHERE tablename = 'targets'",
    );
    expect(indexes.map((row) => row.indexname)).toEqual(
      expect.arrayContaining([
        'targets_url_kind_key',
        'targets_host_idx',
        'targets_status_next_check_at_idx',
      ]),
    );
    const recorded = await queryRows<{ migration_name: string; finished_at: Date | null }>(
      url,
      'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(folders);
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
    await dropTestDatabase(url);
  });

  it('applies nothing the second time', async () => {
    const url = await createEmptyTestDatabase();
    await applyMigrations(url);

    const { applied } = await applyMigrations(url);

    expect(applied).toEqual([]);
    const [{ count }] = await queryRows<{ count: string }>(
      url,
      'SELECT count(*) FROM _prisma_migrations',
    );
    expect(Number(count)).toBeGreaterThan(0);
    await dropTestDatabase(url);
  });
});
