// Test and local-development helpers. Imported only by spec files, `test/` folders, `e2e/` and
// `tools/` (lint enforces it), so no production bundle carries them.
export { eventually } from './eventually';
export { findFreeLoopbackPort, isLoopbackPortFree } from './ports';
export { queryRows } from './query';
export {
  embeddedPostgresUrl,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
} from './embedded-postgres';
export {
  createEmptyTestDatabase,
  createTestDatabase,
  dropTestDatabase,
  testDatabaseGlobalSetup,
  testDatabaseGlobalTeardown,
  testDatabaseServerUrl,
  type TestDatabase,
  type TestDatabaseConnect,
  type TestDatabaseSetupOptions,
} from './test-database';
export {
  pubSubEmulatorAvailability,
  startPubSubEmulator,
  type PubSubEmulator,
  type PubSubEmulatorAvailability,
  type PubSubEmulatorOptions,
} from './pubsub-emulator';
export {
  pubSubEmulatorGlobalSetup,
  pubSubEmulatorGlobalTeardown,
  testPubSubEmulator,
} from './test-pubsub-emulator';
export { emulatorAvailability, reportMissingEmulator } from './emulator-suite';
export { localIssuer, type LocalIssuer } from './local-oidc-issuer';
export { secretsInLogs, type LeakedSecret } from './secret-scan';
export { WorkspaceClone, workspacePackageDirs, workspaceRoot } from './workspace-clone';
export {
  startSmtpServer,
  type LocalSmtpServer,
  type ReceivedMail,
  type SmtpServerOptions,
} from './smtp-server';
export { randomApiKey } from './api-key';
