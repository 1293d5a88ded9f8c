export { testDatabaseGlobalTeardown as default } from '@shelfwatch/testing';
