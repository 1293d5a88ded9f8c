// `nx run db:migration --name=<name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that brings the migrations up to schema.prisma; prints "no changes" otherwise.
import { assertValidMigrationName, createMigration } from '@shelfwatch/db';
import { parseCliArgs } from './cli-args';
import { runCli, withScratchServer } from './scratch-server';

runCli(async () => {
  const { name, paths } = parseCliArgs();
  if (!name) throw new Error('Usage: nx run db:migration --name=<snake_case_name>');
  assertValidMigrationName(name);
  const { created } = await withScratchServer((serverUrl) =>
    createMigration(name, serverUrl, paths),
  );
  if (!created) {
    console.log('no changes: schema.prisma and the migrations agree, nothing created.');
    return;
  }
  console.log(`Created ${created.dir}/migration.sql:\n\n${created.sql}`);
});
