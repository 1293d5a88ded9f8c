import { pubSubEmulatorGlobalTeardown, testDatabaseGlobalTeardown } from '@shelfwatch/testing';

export default async () => {
  await Promise.all([testDatabaseGlobalTeardown(), pubSubEmulatorGlobalTeardown()]);
};
