// One PostgreSQL per test run with a template migrated once; each test file clones its own database.
import { applyMigrations } from '@shelfwatch/db';
import { testDatabaseGlobalSetup } from '@shelfwatch/testing';

export default () => testDatabaseGlobalSetup({ prepareTemplate: (url) => applyMigrations(url) });
