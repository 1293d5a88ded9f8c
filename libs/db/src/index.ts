// Generated Prisma client (libs/db/src/generated, rebuilt by `nx run db:prisma-generate`).
export {
  AlertKind,
  ApiKeyScope,
  Availability,
  DeliveryChannel,
  DeliveryOutcome,
  IdempotencyState,
  Prisma,
  PrismaClient,
  ScrapeRunStatus,
  TargetKind,
  TargetStatus,
  UserRole,
} from './generated/prisma/client';
export type {
  Account,
  Alert,
  AlertAnnouncement,
  ApiKey,
  EmailDigestEntry,
  EmailRecipient,
  ChannelDelivery,
  DeliveryAttempt,
  IdempotencyRecord,
  OutboxEvent,
  PricePoint,
  ProcessedEvent,
  Product,
  ScrapeRun,
  Session,
  Target,
  TargetHealth,
  User,
  Watch,
  WebhookEndpoint,
  WebhookEndpointState,
} from './generated/prisma/client';

export {
  CLIENT_CONNECTION_CHECK_MS,
  createPrismaClient,
  defaultPoolOptions,
  startPrismaEngine,
} from './client';
export { cancelStatementsOf } from './statement-cancel';
export { prepared } from './prepared-statement';
export { sqlPoolOf, withSqlTransaction } from './sql-transaction';
export type { SqlClient, SqlTransactionOptions } from './sql-transaction';
export { recordProcessedEvent } from './inbox';
export type { InboxEntry } from './inbox';
export { createOutboxStore, enqueueOutboxEvents, outboxInsert } from './outbox';
export type {
  OutboxEntry,
  OutboxPublishOutcome,
  OutboxStore,
  OutboxStoreOptions,
  PendingOutboxEvent,
} from './outbox';
export type { CreatePrismaClientOptions, PoolOptions } from './client';

export {
  applyMigrations,
  assertValidMigrationName,
  checkDrift,
  createMigration,
  diffMigrationsAgainstSchema,
  readMigrationsList,
} from './migrations';
export type { MigrationOptions } from './migrations';
export { defaultPrismaPaths, findRepoRoot } from './prisma-paths';
export type { PrismaPaths } from './prisma-paths';
export { databaseNameOf, quoteIdentifier, withDatabaseName } from './connection-url';
export {
  SealingKeyError,
  generateSealingKey,
  openSecret,
  parseSealingKey,
  sealSecret,
  sealingKeySetting,
} from './sealed-secret';
