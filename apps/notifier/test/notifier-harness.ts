import { AddressGuard, createGuardedAgent, type Resolver } from '@shelfwatch/address-guard';
import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import {
  createPrismaClient,
  generateSealingKey,
  parseSealingKey,
  sealSecret,
  type PrismaClient,
} from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import type { ConfiguredMail } from '@shelfwatch/mail';
import { createPostgresMessaging, type Messaging } from '@shelfwatch/messaging';
import { parseConfig } from '@shelfwatch/runtime';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notifierChannels, retryPolicyOf } from '../src/channels';
import { notifierConfigSchema } from '../src/config';
import { NOTIFIER_EVENT_SOURCE, subscribeNotifier } from '../src/subscriptions';

export const testLogger = createLogger({ service: 'notifier-test', level: 'error' });

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on loopback: records every request, answers as `answer` says. */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  answer: (
    request: ReceivedRequest,
    index: number,
  ) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    connections: 0,
    answer: () => ({ status: 204 }),
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      receiver.received.push(request);
      const answer = receiver.answer(request, receiver.received.length - 1);
      const send = () => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.on('connection', () => {
    receiver.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

export async function createAccountRow(prisma: PrismaClient): Promise<string> {
  const id = newId();
  await prisma.account.create({ data: { id, name: `notifier-test-${id}` } });
  return id;
}

/** An endpoint as the api stores it: the secret sealed under `sealingKey`. */
export async function createEndpoint(
  prisma: PrismaClient,
  sealingKey: Buffer,
  input: {
    accountId: string;
    url: string;
    secret: string;
    kinds?: EventOf<'alert.raised'>['data']['kind'][];
    label?: string | null;
    watchId?: string | null;
    previousSecret?: string;
  },
): Promise<string> {
  const id = newId();
  await prisma.webhookEndpoint.create({
    data: {
      id,
      accountId: input.accountId,
      url: input.url,
      kinds: input.kinds ?? [
        'price_drop',
        'price_rise',
        'target_price_reached',
        'back_in_stock',
        'out_of_stock',
        'new_product',
      ],
      label: input.label ?? null,
      watchId: input.watchId ?? null,
      secretSealed: sealSecret(sealingKey, input.secret),
      ...(input.previousSecret
        ? {
            previousSecretSealed: sealSecret(sealingKey, input.previousSecret),
            previousSecretExpiresAt: new Date(Date.now() + 3600_000),
          }
        : {}),
      // Created a moment ago, so alerts raised "now" are after it.
      createdAt: new Date(Date.now() - 60_000),
    },
  });
  return id;
}

export function alertEvent(
  accountId: string,
  overrides: Partial<EventOf<'alert.raised'>['data']> = {},
): EventOf<'alert.raised'> {
  const alertId = newId();
  return createEvent(
    'alert.raised',
    {
      alertId,
      accountId,
      watchId: newId(),
      productId: newId(),
      targetId: newId(),
      kind: 'price_drop',
      url: 'https://shop.example.com/p/espresso',
      productName: 'Espresso machine',
      watchLabels: ['kitchen'],
      previous: { amount: '249.00', currency: 'EUR' },
      current: { amount: '199.00', currency: 'EUR' },
      previousAvailability: 'InStock',
      availability: 'InStock',
      changePercent: '-20.08',
      targetPrice: null,
      observedAt: new Date().toISOString(),
      ...overrides,
    },
    { source: 'shelfwatch/analytics', id: alertId },
  );
}

export interface RunningNotifier {
  messaging: Messaging;
  sealingKey: Buffer;
  stop(): Promise<void>;
}

/**
 * The notifier's real handlers on the real Postgres transport, with the guard in front of every
 * connection: loopback allowed (the receivers live there) unless `allowHosts` says otherwise, and
 * an optional scripted resolver for DNS answers that change.
 */
export async function startNotifier(
  databaseUrl: string,
  options: {
    sealingKey?: Buffer;
    allowHosts?: string[];
    resolver?: Resolver;
    env?: Record<string, string>;
    /** Mail alerts too, through this SMTP configuration (mailFromConfig). */
    mail?: ConfiguredMail;
  } = {},
): Promise<RunningNotifier> {
  const sealingKey = options.sealingKey ?? parseSealingKey(generateSealingKey());
  const config = parseConfig(notifierConfigSchema, {
    DATABASE_URL: databaseUrl,
    WEBHOOK_SECRET_KEY: sealingKey.toString('base64'),
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_TIMEOUT_MS: '10000',
    NOTIFIER_MAX_ATTEMPTS: '5',
    NOTIFIER_MIN_BACKOFF_SECONDS: '1',
    NOTIFIER_MAX_BACKOFF_SECONDS: '1',
    ...options.env,
  });
  const guard = new AddressGuard({
    allowHosts: options.allowHosts ?? ['127.0.0.1'],
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  const dispatcher = createGuardedAgent(guard, { connectTimeoutMs: 10_000 });
  // Its own pool, as the notifier process has: handlers hold a connection while they send.
  const notifierPrisma = createPrismaClient({ databaseUrl, pool: { max: 6 } });
  const { webhooks, channels } = notifierChannels(config, {
    prisma: notifierPrisma,
    dispatcher,
    mail: options.mail ?? null,
  });
  const messaging = createPostgresMessaging({
    transport: 'postgres',
    databaseUrl,
    logger: testLogger,
    source: NOTIFIER_EVENT_SOURCE,
    pollingIntervalSeconds: 0.5,
  });
  subscribeNotifier(messaging, {
    prisma: notifierPrisma,
    channels,
    webhooks,
    sendTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retry: retryPolicyOf(config),
  });
  await messaging.start();
  return {
    messaging,
    sealingKey,
    stop: async () => {
      await messaging.stop({ timeoutMs: 2_000 });
      await dispatcher.close();
      await notifierPrisma.$disconnect();
    },
  };
}

/** Publishes as analytics and the api do, on the same database's transport. */
export async function startPublisher(databaseUrl: string): Promise<Messaging> {
  const publisher = createPostgresMessaging({
    transport: 'postgres',
    databaseUrl,
    logger: testLogger,
    source: 'shelfwatch/analytics',
  });
  await publisher.start();
  return publisher;
}

export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null> | T | undefined | null,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}
