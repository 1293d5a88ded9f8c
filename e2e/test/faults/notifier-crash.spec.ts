import { createEvent, newId, webhookIdOf, type EventOf } from '@shelfwatch/contracts';
import {
  createPrismaClient,
  generateSealingKey,
  parseSealingKey,
  sealSecret,
  type PrismaClient,
} from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  type TestDatabase,
} from '@shelfwatch/testing';
import {
  spawnApp,
  startWebhookListener,
  waitUntilReady,
  type AppProcess,
  type WebhookListener,
} from '@shelfwatch/tools';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * kill -9 of the notifier while deliveries are in flight (the receiver holds every request for a
 * while before answering), then a restart: every alert ends delivered, each recorded once, and
 * every request any receiver saw for an alert carried that alert's one webhook-id, so a receiver
 * deduplicating on it (as Standard Webhooks asks) processes each alert exactly once (ADR 0016).
 */
const ALERTS = 20;
const logger = createLogger({ service: 'faults', level: 'warn' });

describe('kill -9 of the notifier in the middle of deliveries (Postgres transport)', () => {
  let database: TestDatabase<PrismaClient>;
  let publisher: Messaging;
  let notifier: AppProcess | undefined;
  let listener: WebhookListener;
  let front: Server;
  const output: string[] = [];
  let env: NodeJS.ProcessEnv;
  let port: number;
  let held = 0;
  let accountId: string;

  const startNotifier = async () => {
    notifier = spawnApp('notifier', {
      from: 'bundle',
      port,
      env,
      onLine: (line) => output.push(line),
    });
    await waitUntilReady(notifier);
  };

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    listener = await startWebhookListener({ secret });
    // In front of the verifying listener: holds each request 1.5 s, so a kill lands mid-delivery.
    front = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        held += 1;
        setTimeout(() => {
          void fetch(`${listener.url}${req.url}`, {
            method: 'POST',
            headers: Object.fromEntries(
              ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type'].map(
                (name) => [name, String(req.headers[name])],
              ),
            ),
            body: Buffer.concat(chunks),
          }).then(
            (answer) => res.writeHead(answer.status).end(),
            () => res.writeHead(502).end(),
          );
        }, 1_500);
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}/hook`;

    const key = generateSealingKey();
    accountId = newId();
    await database.prisma.account.create({ data: { id: accountId, name: 'crash' } });
    await database.prisma.webhookEndpoint.create({
      data: {
        id: newId(),
        accountId,
        url: frontUrl,
        kinds: ['price_drop'],
        secretSealed: sealSecret(parseSealingKey(key), secret),
        createdAt: new Date(Date.now() - 60_000),
      },
    });
    port = await findFreeLoopbackPort();
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '10',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'shelfwatch-faults',
      MESSAGING_TRANSPORT: 'postgres',
      WEBHOOK_SECRET_KEY: key,
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_ALLOW_HTTP: 'true',
      NOTIFIER_MAX_CONCURRENT: '4',
      NOTIFIER_MIN_BACKOFF_SECONDS: '1',
      NOTIFIER_MAX_BACKOFF_SECONDS: '2',
    };
    publisher = createMessaging({
      transport: 'postgres',
      databaseUrl: database.url,
      logger,
      source: 'shelfwatch/analytics',
    });
    await publisher.start();
  });

  afterAll(async () => {
    await notifier?.stop(2_000);
    await publisher?.stop();
    await new Promise((resolve) => front?.close(resolve));
    await listener?.close();
    await database?.drop();
  });

  it('delivers every alert after the restart, none recorded twice, one webhook-id per alert', async () => {
    await startNotifier();
    const alerts: Array<EventOf<'alert.raised'>> = Array.from({ length: ALERTS }, () => {
      const alertId = newId();
      return createEvent(
        'alert.raised',
        {
          alertId,
          accountId,
          watchId: newId(),
          productId: newId(),
          targetId: null,
          kind: 'price_drop',
          url: 'http://127.0.0.1:1/products/p1',
          productName: 'Product',
          watchLabels: [],
          previous: { amount: '20.00', currency: 'EUR' },
          current: { amount: '18.00', currency: 'EUR' },
          previousAvailability: 'InStock',
          availability: 'InStock',
          changePercent: '-10',
          targetPrice: null,
          observedAt: new Date().toISOString(),
        },
        { source: 'shelfwatch/analytics', id: alertId },
      );
    });
    for (const event of alerts) await publisher.publish(event);

    // Kill while requests are held by the receiver, before their answers come back.
    await eventually('deliveries in flight', async () => (held >= 3 ? true : undefined), 30_000);
    notifier!.child.kill('SIGKILL');
    await notifier!.exited;
    const recordedAtKill = await database.prisma.channelDelivery.count();
    await startNotifier();

    await eventually(
      'every alert delivered',
      async () =>
        (await database.prisma.channelDelivery.count({ where: { outcome: 'delivered' } })) ===
          ALERTS || undefined,
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.slice(-30).join('\n')}`);
    });

    const rows = await database.prisma.channelDelivery.findMany();
    expect(rows).toHaveLength(ALERTS);
    expect(new Set(rows.map((row) => row.eventId))).toEqual(new Set(alerts.map((a) => a.id)));
    // Every request seen carried its alert's webhook-id and a valid signature.
    expect(listener.rejected).toEqual([]);
    const endpointId = rows[0]!.channelId;
    const expectedIds = new Set(alerts.map((event) => webhookIdOf(event.id, endpointId)));
    const seenIds = listener.verified.map((delivery) => delivery.webhookId);
    expect(new Set(seenIds)).toEqual(expectedIds);
    // Only what was in flight at the kill came twice; a deduplicating receiver saw each once.
    const firstSeen = listener.verified.filter((delivery) => !delivery.duplicate);
    expect(firstSeen).toHaveLength(ALERTS);
    console.log(
      `notifier kill -9: ${recordedAtKill} of ${ALERTS} recorded at the kill, ${seenIds.length - ALERTS} request(s) repeated with the same webhook-id after the restart`,
    );
  });
});
