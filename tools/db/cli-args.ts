import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PrismaPaths } from '@shelfwatch/db';

/** `--name`, and `--schema` / `--migrations` to point a command at another Prisma folder. */
export function parseCliArgs(): { name?: string; paths: Partial<PrismaPaths> } {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      schema: { type: 'string' },
      migrations: { type: 'string' },
    },
    allowPositionals: true,
  });
  const paths: Partial<PrismaPaths> = {};
  if (values.schema) paths.schemaPath = path.resolve(values.schema);
  if (values.migrations) paths.migrationsDir = path.resolve(values.migrations);
  return { name: values.name, paths };
}
