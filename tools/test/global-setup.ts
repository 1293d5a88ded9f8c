// One PostgreSQL per test run with a template migrated once; each test file clones its own
// database. Nx's answers about the workspace are computed once beside it (ADR 0049).
import { applyMigrations } from '@shelfwatch/db';
import { testDatabaseGlobalSetup } from '@shelfwatch/testing';
import { computeNxWorkspace } from './nx-workspace';

export default async () => {
  await Promise.all([
    testDatabaseGlobalSetup({ prepareTemplate: (url) => applyMigrations(url) }),
    computeNxWorkspace(),
  ]);
};
