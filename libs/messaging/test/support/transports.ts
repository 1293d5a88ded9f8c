import { randomBytes } from 'node:crypto';
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import type { Logger } from '@shelfwatch/logging';
import type * as PgBossModule from 'pg-boss';
import { createMessaging } from '../../src/create-messaging';
import type { Messaging } from '../../src/messaging';
import { nativeRequire } from '../../src/postgres/native-require';
import { captureLogger } from './capture-logger';
import { deadLetterAttributes } from '../../src/pubsub/dead-letter';
import {
  createEmptyTestDatabase,
  dropTestDatabase,
  testPubSubEmulator,
  type PubSubEmulator,
} from '@shelfwatch/testing';

export interface RetrySettings {
  maxAttempts: number;
  minBackoffSeconds: number;
  maxBackoffSeconds: number | undefined;
  deadLetterTopic: string;
}

export interface DeadLetterSeen {
  body: unknown;
  sourceSubscription?: string;
  reason?: string;
}

/** A running transport plus the raw access a contract test needs beside the public API. */
export interface TransportHarness {
  name: 'pubsub' | 'postgres';
  /** A fresh messaging instance on this transport (closed by `stop()` of the harness if left open). */
  messaging(logger: Logger): Messaging;
  /** Puts a message on a topic without any validation: what a broken publisher would send. */
  injectRaw(topic: string, body: Buffer | Record<string, unknown>): Promise<void>;
  /** The retry and dead-letter settings the transport itself holds for a subscription. */
  retrySettings(subscription: string): Promise<RetrySettings>;
  /** Dead letters of a topic seen so far. */
  deadLetters(deadLetterTopic: string): Promise<DeadLetterSeen[]>;
  stop(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * `cloudPolicies` (default): subscriptions as Terraform provisions them in the cloud (retry
 * policy, Pub/Sub counting attempts). Without it, the emulator's local defaults (ADR 0009, 0023).
 */
export async function startPubSubHarness(
  options: { cloudPolicies?: boolean } = {},
): Promise<TransportHarness> {
  const cloudPolicies = options.cloudPolicies ?? true;
  const emulator: PubSubEmulator = testPubSubEmulator();
  const client = new PubSub({
    projectId: emulator.projectId,
    apiEndpoint: emulator.host,
    emulatorMode: true,
  });
  const instances: Messaging[] = [];
  const readers = new Map<string, { subscription: Subscription; seen: DeadLetterSeen[] }>();
  return {
    name: 'pubsub',
    messaging(logger) {
      const messaging = createMessaging({
        transport: 'pubsub',
        projectId: emulator.projectId,
        emulatorHost: emulator.host,
        // The contract covers the policy Terraform sets in the cloud (ADR 0009).
        ...(cloudPolicies ? { serverRetryPolicy: true, serverAttemptCount: true } : {}),
        provision: true,
        logger,
        source: 'shelfwatch/messaging-test',
      });
      instances.push(messaging);
      return messaging;
    },
    async injectRaw(topic, body) {
      await client
        .topic(topic)
        .publishMessage({ data: Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body)) });
    },
    async retrySettings(subscription) {
      const [metadata] = await client.subscription(subscription).getMetadata();
      return {
        maxAttempts: metadata.deadLetterPolicy?.maxDeliveryAttempts ?? 0,
        minBackoffSeconds: Number(metadata.retryPolicy?.minimumBackoff?.seconds ?? 0),
        maxBackoffSeconds: Number(metadata.retryPolicy?.maximumBackoff?.seconds ?? 0),
        deadLetterTopic: String(metadata.deadLetterPolicy?.deadLetterTopic)
          .split('/')
          .pop() as string,
      };
    },
    async deadLetters(deadLetterTopic) {
      let reader = readers.get(deadLetterTopic);
      if (!reader) {
        const subscription = client.subscription(deadLetterTopic);
        const seen: DeadLetterSeen[] = [];
        subscription.on('message', (message: Message) => {
          const text = message.data.toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          seen.push({
            body,
            sourceSubscription: message.attributes[deadLetterAttributes.sourceSubscription],
            reason: message.attributes[deadLetterAttributes.reason],
          });
          message.ack();
        });
        subscription.on('error', () => undefined);
        reader = { subscription, seen };
        readers.set(deadLetterTopic, reader);
      }
      return [...reader.seen];
    },
    async stop() {
      await Promise.all(instances.map((messaging) => messaging.stop({ timeoutMs: 2_000 })));
      await Promise.all([...readers.values()].map((reader) => reader.subscription.close()));
      await client.close();
      await emulator.stop();
    },
  };
}

/** pg-boss in a database of the test file's own, on the run's PostgreSQL (jest.config's globalSetup). */
export async function startPostgresHarness(): Promise<TransportHarness> {
  const databaseUrl = await createEmptyTestDatabase();
  const { PgBoss } = nativeRequire('pg-boss') as typeof PgBossModule;
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: 'pgboss',
    schedule: false,
    max: 2,
  });
  boss.on('error', () => undefined);
  const instances: Messaging[] = [];
  let started: Promise<unknown> | undefined;
  const ready = () => (started ??= boss.start());
  return {
    name: 'postgres',
    messaging(logger) {
      const messaging = createMessaging({
        transport: 'postgres',
        databaseUrl,
        // Fast polls keep redeliveries quick; new messages wake workers through NOTIFY anyway.
        pollingIntervalSeconds: 0.5,
        logger,
        source: 'shelfwatch/messaging-test',
      });
      instances.push(messaging);
      return messaging;
    },
    async injectRaw(topic, body) {
      await ready();
      if (Buffer.isBuffer(body))
        throw new Error('The Postgres transport carries JSON objects only');
      await boss.publish(topic, body);
    },
    async retrySettings(subscription) {
      await ready();
      const queue = await boss.getQueue(subscription);
      if (!queue) throw new Error(`No queue ${subscription}`);
      return {
        // pg-boss counts retries after the first attempt.
        maxAttempts: (queue.retryLimit ?? 0) + 1,
        minBackoffSeconds: queue.retryDelay ?? 0,
        maxBackoffSeconds: queue.retryBackoff ? (queue.retryDelayMax ?? undefined) : undefined,
        deadLetterTopic: queue.deadLetter as string,
      };
    },
    async deadLetters(deadLetterTopic) {
      await ready();
      if (!(await boss.getQueue(deadLetterTopic))) return [];
      const jobs = await boss.findJobs<unknown>(deadLetterTopic);
      return jobs.map((job) => ({
        body: job.data,
        sourceSubscription: job.sourceName ?? undefined,
        reason: (job.sourceOutput as { reason?: string } | null)?.reason,
      }));
    },
    async stop() {
      await Promise.all(instances.map((messaging) => messaging.stop({ timeoutMs: 2_000 })));
      if (started) await boss.stop({ graceful: false, close: true });
      await dropTestDatabase(databaseUrl);
    },
  };
}

/**
 * One transport for a `describe` block: its harness, started before the block's tests and stopped
 * after them, and messaging instances with captured logs, each stopped after its test.
 */
export function transportUnderTest(startHarness: () => Promise<TransportHarness>) {
  let started: TransportHarness | undefined;
  const running: Messaging[] = [];
  beforeAll(async () => {
    started = await startHarness();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((messaging) => messaging.stop({ timeoutMs: 2_000 })));
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get harness(): TransportHarness {
      if (!started) throw new Error('The transport harness starts in beforeAll');
      return started;
    },
    messaging() {
      const { logger, entries } = captureLogger();
      const instance = this.harness.messaging(logger);
      running.push(instance);
      return { messaging: instance, logs: entries };
    },
  };
}
