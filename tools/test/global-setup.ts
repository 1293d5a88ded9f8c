export { testDatabaseGlobalSetup as default } from '@shelfwatch/db';
