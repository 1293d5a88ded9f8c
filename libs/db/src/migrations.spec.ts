import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assertValidMigrationName, readMigrationsList } from './migrations';

describe('migration names', () => {
  it.each(['add_target_notes', 'init', 'v2_prices'])('accepts %s', (name) => {
    expect(() => assertValidMigrationName(name)).not.toThrow();
  });

  it.each(['', 'Add', 'with space', '../escape', '_leading', 'dash-name'])('rejects %j', (name) => {
    expect(() => assertValidMigrationName(name)).toThrow(/Invalid migration name/);
  });
});

describe('readMigrationsList', () => {
  it('reads folders in name order with their SQL and the lockfile, as Prisma lays them out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-list-'));
    await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    for (const [name, sql] of [
      ['20240102000000_second', 'SELECT 2;'],
      ['20240101000000_first', 'SELECT 1;'],
    ]) {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, 'migration.sql'), sql);
    }

    const list = await readMigrationsList(dir);

    expect(list.lockfile).toEqual({
      path: 'migration_lock.toml',
      content: 'provider = "postgresql"\n',
    });
    expect(
      list.migrationDirectories.map((entry) => [entry.path, entry.migrationFile.content]),
    ).toEqual([
      ['20240101000000_first', { tag: 'ok', value: 'SELECT 1;' }],
      ['20240102000000_second', { tag: 'ok', value: 'SELECT 2;' }],
    ]);
    await rm(dir, { recursive: true, force: true });
  });
});
