import type { Logger } from '@shelfwatch/logging';
import {
  createPostgresMessaging,
  type PostgresMessaging,
  type PostgresMessagingOptions,
} from './postgres/postgres-messaging';
import {
  createPubSubMessaging,
  type PubSubMessaging,
  type PubSubMessagingOptions,
} from './pubsub/pubsub-messaging';
import type { Messaging } from './messaging';

export type MessagingOptions = PubSubMessagingOptions | PostgresMessagingOptions;

/** Builds messaging over the named transport; both return the same `Messaging` API. */
export function createMessaging(options: PubSubMessagingOptions): PubSubMessaging;
export function createMessaging(options: PostgresMessagingOptions): PostgresMessaging;
export function createMessaging(options: MessagingOptions): PubSubMessaging | PostgresMessaging;
export function createMessaging(options: MessagingOptions): PubSubMessaging | PostgresMessaging {
  return options.transport === 'pubsub'
    ? createPubSubMessaging(options)
    : createPostgresMessaging(options);
}

/** True for messaging over Pub/Sub, which alone offers `pushRouter()`. */
export function isPubSubMessaging(messaging: Messaging): messaging is PubSubMessaging {
  return messaging.transport === 'pubsub';
}

export interface MessagingFromEnvOptions {
  logger: Logger;
  source: string;
  /** The database for the Postgres transport, e.g. an embedded one; default `DATABASE_URL`. */
  databaseUrl?: string;
}

const DEFAULT_EMULATOR_PROJECT = 'shelfwatch-local';

function flag(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.push(`${name} must be true or false, got "${value}"`);
  return undefined;
}

/**
 * Reads the messaging options from the environment (see the README of libs/messaging), failing
 * with every missing or invalid variable named:
 * - `MESSAGING_TRANSPORT` `pubsub` | `postgres`; default `pubsub` when `PUBSUB_EMULATOR_HOST` is
 *   set, else `postgres`.
 * - Pub/Sub: `GOOGLE_CLOUD_PROJECT` (or `GCLOUD_PROJECT`; `shelfwatch-local` on the emulator),
 *   `PUBSUB_EMULATOR_HOST`, `PUBSUB_DELIVERY` `pull` | `push` (default `pull`), `PUBSUB_PROVISION`
 *   (default true on the emulator only), `PUBSUB_PUSH_ENDPOINT`, and `PUBSUB_PUSH_AUDIENCE` with
 *   `PUBSUB_PUSH_SERVICE_ACCOUNT` to verify push tokens (required on Cloud Run, `K_SERVICE` set).
 * - Postgres: `DATABASE_URL` (or `options.databaseUrl`), `MESSAGING_PG_SCHEMA` (default `pgboss`).
 */
export function messagingOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  options: MessagingFromEnvOptions,
): MessagingOptions {
  const problems: string[] = [];
  const emulatorHost = env.PUBSUB_EMULATOR_HOST || undefined;
  const requested = env.MESSAGING_TRANSPORT || undefined;
  if (requested !== undefined && requested !== 'pubsub' && requested !== 'postgres')
    problems.push(`MESSAGING_TRANSPORT must be pubsub or postgres, got "${requested}"`);
  const transport = requested ?? (emulatorHost ? 'pubsub' : 'postgres');
  const fail = () => {
    throw new Error(`Invalid messaging configuration: ${problems.join('; ')}`);
  };

  if (transport === 'pubsub') {
    const projectId =
      env.GOOGLE_CLOUD_PROJECT ||
      env.GCLOUD_PROJECT ||
      (emulatorHost ? DEFAULT_EMULATOR_PROJECT : undefined);
    if (!projectId) problems.push('GOOGLE_CLOUD_PROJECT is required for the Pub/Sub transport');
    const delivery = env.PUBSUB_DELIVERY || 'pull';
    if (delivery !== 'pull' && delivery !== 'push')
      problems.push(`PUBSUB_DELIVERY must be pull or push, got "${delivery}"`);
    const provision = flag(env, 'PUBSUB_PROVISION', problems) ?? Boolean(emulatorHost);
    const audience = env.PUBSUB_PUSH_AUDIENCE || undefined;
    const serviceAccountEmail = env.PUBSUB_PUSH_SERVICE_ACCOUNT || undefined;
    if (Boolean(audience) !== Boolean(serviceAccountEmail))
      problems.push(
        'PUBSUB_PUSH_AUDIENCE and PUBSUB_PUSH_SERVICE_ACCOUNT must be set together to verify push tokens',
      );
    // On Cloud Run the push endpoint is reachable from the internet: fail closed.
    if (env.K_SERVICE && !(audience && serviceAccountEmail))
      problems.push(
        'PUBSUB_PUSH_AUDIENCE and PUBSUB_PUSH_SERVICE_ACCOUNT are required on Cloud Run (K_SERVICE is set), so the push endpoint never acts on an unauthenticated delivery',
      );
    if (problems.length > 0) fail();
    return {
      transport: 'pubsub',
      projectId: projectId as string,
      logger: options.logger,
      source: options.source,
      emulatorHost,
      delivery: delivery as 'pull' | 'push',
      provision,
      pushEndpoint: env.PUBSUB_PUSH_ENDPOINT || undefined,
      pushAuth: audience && serviceAccountEmail ? { audience, serviceAccountEmail } : undefined,
    };
  }

  const databaseUrl = options.databaseUrl || env.DATABASE_URL;
  if (!databaseUrl)
    problems.push('DATABASE_URL is required for the Postgres transport (or pass databaseUrl)');
  if (problems.length > 0) fail();
  return {
    transport: 'postgres',
    databaseUrl: databaseUrl as string,
    logger: options.logger,
    source: options.source,
    schema: env.MESSAGING_PG_SCHEMA || undefined,
  };
}

/** `createMessaging(messagingOptionsFromEnv(env, options))`. */
export function messagingFromEnv(
  env: NodeJS.ProcessEnv,
  options: MessagingFromEnvOptions,
): PubSubMessaging | PostgresMessaging {
  return createMessaging(messagingOptionsFromEnv(env, options));
}
