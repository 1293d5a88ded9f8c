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
  ApiKey,
  EmailRecipient,
  ChannelDelivery,
  DeliveryAttempt,
  IdempotencyRecord,
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

export { createPrismaClient, defaultPoolOptions } from './client';
export { recordProcessedEvent } from './inbox';
export type { InboxEntry } from './inbox';
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
