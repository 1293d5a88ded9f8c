import { testDatabaseGlobalTeardown } from '@shelfwatch/testing';
import { removeNxWorkspace } from './nx-workspace';

export default async () => {
  removeNxWorkspace();
  await testDatabaseGlobalTeardown();
};
