import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queryRows } from '@shelfwatch/testing';
import { localPostgresDataDir, resolveDatabaseUrl } from '../../dev/local-database';

describe('resolveDatabaseUrl', () => {
  it('returns DATABASE_URL untouched when it is set, starting nothing', async () => {
    const url = 'postgresql://app:secret@127.0.0.1:1/shelfwatch';

    const database = await resolveDatabaseUrl({ DATABASE_URL: url });

    expect(database).toMatchObject({ url, embedded: false });
    await expect(database.stop()).resolves.toBeUndefined();
  });

  it('without DATABASE_URL, starts an embedded PostgreSQL with a migrated shelfwatch database that survives a restart', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'local-db-spec-')), 'postgres');
    try {
      const first = await resolveDatabaseUrl({}, { dataDir });
      try {
        expect(first.embedded).toBe(true);
        expect(new URL(first.url).pathname).toBe('/shelfwatch');
        await queryRows(
          first.url,
          "INSERT INTO targets (id, url, host, kind, check_interval_seconds, status, updated_at) VALUES (gen_random_uuid(), 'https://a.example/', 'a.example', 'product', 60, 'active', now())",
        );

        // A second caller while the first still runs joins the same server instead of failing on its lock.
        const joined = await resolveDatabaseUrl({}, { dataDir });
        expect(joined.url).toBe(first.url);
        await joined.stop();
        expect(await queryRows(first.url, 'SELECT count(*)::int AS n FROM targets')).toEqual([
          { n: 1 },
        ]);
      } finally {
        await first.stop();
      }

      const again = await resolveDatabaseUrl({}, { dataDir });
      try {
        expect(await queryRows(again.url, 'SELECT host FROM targets')).toEqual([
          { host: 'a.example' },
        ]);
      } finally {
        await again.stop();
      }
    } finally {
      await rm(path.dirname(dataDir), { recursive: true, force: true });
    }
  });

  it('starts two stacks of their own at the same moment, on two ports, though both prefer one', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'local-db-spec-'));
    try {
      const [first, second] = await Promise.all(
        ['one', 'two'].map((name) =>
          resolveDatabaseUrl({}, { dataDir: path.join(root, name, 'postgres') }),
        ),
      );
      try {
        expect(new URL(first.url).port).not.toBe(new URL(second.url).port);
        for (const database of [first, second])
          expect(await queryRows(database.url, 'SELECT count(*)::int AS n FROM targets')).toEqual([
            { n: 0 },
          ]);
      } finally {
        await Promise.all([first.stop(), second.stop()]);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('keeps local data under <repo root>/.data/postgres unless SHELFWATCH_DATA_DIR says otherwise', () => {
    expect(localPostgresDataDir({})).toBe(path.resolve(__dirname, '../../../.data/postgres'));
    expect(localPostgresDataDir({ SHELFWATCH_DATA_DIR: '/srv/shelfwatch' })).toBe(
      '/srv/shelfwatch/postgres',
    );
  });
});
