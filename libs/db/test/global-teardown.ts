export { testDatabaseGlobalTeardown as default } from '../src/index';
