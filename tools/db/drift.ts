// `nx run db:drift`: exits 1 and prints the missing SQL when schema.prisma and the migrations
// folder disagree. Runs offline (WebAssembly schema engine, shadow database on a scratch server).
import { checkDrift } from '@shelfwatch/db';
import { parseCliArgs } from './cli-args';
import { runCli, withScratchServer } from './scratch-server';

runCli(async () => {
  const { paths } = parseCliArgs();
  const { inSync, sql } = await withScratchServer((serverUrl) => checkDrift(serverUrl, paths));
  if (inSync) {
    console.log('in sync: schema.prisma matches the migrations.');
    return 0;
  }
  console.error(
    'Drift: schema.prisma differs from prisma/migrations. Run `nx run db:migration --name=<name>`.\n' +
      'Missing from the migrations:\n\n' +
      sql,
  );
  return 1;
});
