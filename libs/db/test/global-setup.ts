// How every app's test project wires the shared test database: re-export from @shelfwatch/db.
export { testDatabaseGlobalSetup as default } from '../src/index';
