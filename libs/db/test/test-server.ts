import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPrismaPaths } from '../src/index';

const tempCopies: string[] = [];

/** Removes the folders copyPrismaFolderWith made; call it in afterAll. */
export async function removePrismaFolderCopies(): Promise<void> {
  await Promise.all(tempCopies.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temp copy of libs/db/prisma whose schema has `edit` applied: for drift and createMigration tests. */
export async function copyPrismaFolderWith(edit: (schema: string) => string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prisma-copy-'));
  tempCopies.push(dir);
  const migrationsDir = path.join(dir, 'migrations');
  const schemaPath = path.join(dir, 'schema.prisma');
  await cp(defaultPrismaPaths.migrationsDir, migrationsDir, { recursive: true });
  await writeFile(schemaPath, edit(await readFile(defaultPrismaPaths.schemaPath, 'utf8')));
  return { dir, migrationsDir, schemaPath };
}

/** schema.prisma with an extra nullable column on Target. */
export function addTargetNotesColumn(schema: string): string {
  const edited = schema.replace(
    /(model Target \{\n)/,
    '$1  notes String? @map("operator_notes")\n',
  );
  if (edited === schema) throw new Error('model Target not found in schema.prisma');
  return edited;
}
