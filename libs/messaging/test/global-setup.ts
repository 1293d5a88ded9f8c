// One PostgreSQL and one Pub/Sub emulator per test run: each file takes a database and an emulator
// project of its own on them, instead of starting a server and a JVM of its own.
import {
  pubSubEmulatorGlobalSetup,
  pubSubEmulatorGlobalTeardown,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
} from '@shelfwatch/testing';

export default async () => {
  const started = await Promise.allSettled([
    // pg-boss creates its own schema in each file's database: the template stays empty.
    testDatabaseGlobalSetup({ prepareTemplate: async () => undefined }),
    pubSubEmulatorGlobalSetup(),
  ]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    // Jest skips globalTeardown when setup throws: stop whichever one did start.
    await Promise.allSettled([testDatabaseGlobalTeardown(), pubSubEmulatorGlobalTeardown()]);
    throw failed.reason;
  }
};
