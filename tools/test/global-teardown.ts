export { testDatabaseGlobalTeardown as default } from '@shelfwatch/db';
