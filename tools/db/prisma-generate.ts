// `nx run db:prisma-generate`: runs `prisma generate` only when what the client is generated
// from changed since the last generation (schema, Prisma config, Prisma versions). Nx skips the
// target on a cache hit, but a miss (another checkout, a cleared cache, `--skip-nx-cache`) would
// rewrite every generated file, and each `nx serve` in watch mode would restart on the rewrite.
// The generated folder carries a stamp of its sources instead: equal stamp, no write at all.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const dbRoot = resolve(process.argv[2] ?? join(__dirname, '../../libs/db'));
const generatedDir = join(dbRoot, 'src/generated');
const stampFile = join(generatedDir, '.sources-hash');
const requireFromDb = createRequire(join(dbRoot, 'package.json'));

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of ['prisma/schema.prisma', 'prisma.config.ts'])
    hash.update(file).update(readFileSync(join(dbRoot, file)));
  for (const pkg of ['prisma', '@prisma/client'])
    hash.update(pkg).update(String(requireFromDb(`${pkg}/package.json`).version));
  return hash.digest('hex');
}

const wanted = sourcesHash();
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : undefined;
if (current === wanted && existsSync(join(generatedDir, 'prisma/client.ts'))) {
  console.log('Prisma client is up to date (schema unchanged): not regenerated.');
} else {
  execFileSync(process.execPath, [requireFromDb.resolve('prisma/build/index.js'), 'generate'], {
    cwd: dbRoot,
    stdio: 'inherit',
    // generate needs no schema engine; pointing it nowhere keeps Prisma from downloading one.
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  writeFileSync(stampFile, `${wanted}\n`);
}
