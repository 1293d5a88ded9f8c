import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkDrift, createMigration } from '../src/index';
import {
  addTargetNotesColumn,
  copyPrismaFolderWith,
  removePrismaFolderCopies,
} from './test-server';
import { testDatabaseServerUrl } from '@shelfwatch/testing';

describe('schema.prisma and the migrations folder', () => {
  // THE guard: fails whenever schema.prisma changes without a matching migration.
  it('agree (run `nx run db:migration --name=<name>` if this fails)', async () => {
    const drift = await checkDrift(testDatabaseServerUrl());

    expect(drift.sql).toBe('');
    expect(drift.inSync).toBe(true);
  });

  it('report drift, with the missing SQL, when the schema gains a column the migrations lack', async () => {
    const copy = await copyPrismaFolderWith(addTargetNotesColumn);

    const drift = await checkDrift(testDatabaseServerUrl(), {
      schemaPath: copy.schemaPath,
      migrationsDir: copy.migrationsDir,
    });

    expect(drift.inSync).toBe(false);
    expect(drift.sql).toMatch(/ALTER TABLE "targets" ADD COLUMN\s+"operator_notes" TEXT/);
  });
});

describe('createMigration', () => {
  it('writes a timestamped Prisma migration folder with the change, after which there is no drift', async () => {
    const copy = await copyPrismaFolderWith(addTargetNotesColumn);
    const before = await readdir(copy.migrationsDir);

    const { created } = await createMigration('add_target_notes', testDatabaseServerUrl(), {
      schemaPath: copy.schemaPath,
      migrationsDir: copy.migrationsDir,
    });

    if (!created) throw new Error('expected a migration to be created');
    expect(created.name).toMatch(/^\d{14}_add_target_notes$/);
    const after = await readdir(copy.migrationsDir);
    expect(after.filter((entry) => !before.includes(entry))).toEqual([created.name]);
    expect(
      after
        .filter((entry) => /^\d/.test(entry))
        .sort()
        .at(-1),
    ).toBe(created.name);
    const sql = await readFile(
      path.join(copy.migrationsDir, created.name, 'migration.sql'),
      'utf8',
    );
    expect(sql).toContain('"operator_notes" TEXT');
    expect(sql).toBe(created.sql);
    const drift = await checkDrift(testDatabaseServerUrl(), {
      schemaPath: copy.schemaPath,
      migrationsDir: copy.migrationsDir,
    });
    expect(drift.inSync).toBe(true);
  });

  it('creates nothing when the schema matches the migrations', async () => {
    const copy = await copyPrismaFolderWith((schema) => schema);
    const before = await readdir(copy.migrationsDir);

    const { created } = await createMigration('nothing_changed', testDatabaseServerUrl(), {
      schemaPath: copy.schemaPath,
      migrationsDir: copy.migrationsDir,
    });

    expect(created).toBeNull();
    expect(await readdir(copy.migrationsDir)).toEqual(before);
  });
});

afterAll(() => removePrismaFolderCopies());
