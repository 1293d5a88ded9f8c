import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where the schema and migrations live; every function that reads them accepts overrides. */
export interface PrismaPaths {
  /** Absolute path of schema.prisma. */
  schemaPath: string;
  /** Absolute path of the migrations folder (Prisma's layout). */
  migrationsDir: string;
}

/** libs/db/prisma, found from this file in the source tree. */
export const defaultPrismaPaths: PrismaPaths = {
  schemaPath: path.resolve(__dirname, '..', 'prisma', 'schema.prisma'),
  migrationsDir: path.resolve(__dirname, '..', 'prisma', 'migrations'),
};

/**
 * The repository root: the nearest folder upwards holding nx.json (from `start`, then from the
 * current directory), so it works from any project folder and from Jest workers alike.
 */
export function findRepoRoot(start: string = __dirname): string {
  for (const origin of [start, process.cwd()]) {
    let dir = path.resolve(origin);
    for (;;) {
      if (existsSync(path.join(dir, 'nx.json'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`No nx.json found above ${start} or ${process.cwd()}; set SHELFWATCH_DATA_DIR.`);
}
