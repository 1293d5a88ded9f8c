import { pubSubEmulatorGlobalTeardown, testDatabaseGlobalTeardown } from '@shelfwatch/testing';

export default async () => {
  const stopped = await Promise.allSettled([
    testDatabaseGlobalTeardown(),
    pubSubEmulatorGlobalTeardown(),
  ]);
  const failed = stopped.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
};
