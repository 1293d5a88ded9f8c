import { MIN_CHECK_INTERVAL_SECONDS } from '@shelfwatch/contracts';
import { createPrismaClient, generateSealingKey, type PrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  type TestDatabase,
} from '@shelfwatch/testing';
import {
  appNames,
  catalog,
  createAccountWithCli,
  quoteAt,
  spawnApp,
  startDemoShop,
  startWebhookListener,
  waitUntilReady,
  type AppProcess,
  type DemoShop,
  type WebhookListener,
} from '@shelfwatch/tools';

/*
 * Notifications end to end: the four apps as processes on the Postgres transport, the demo shop,
 * and a local receiver that verifies every delivery with the standardwebhooks library
 * (`npx shelfwatch webhooks listen`). A webhook is added through the api with a loopback URL (the
 * local allow-list), a signed test ping arrives; then a price drop and a restock in the shop
 * arrive as signed alert deliveries within the watch's interval plus 10 s.
 *
 * @long-running 70 (about the seconds it takes alone: the suites' order, ADR 0035)
 */

/** An epoch at which one product's price drops and another comes back in stock at the next. */
function epochWithDropAndRestock() {
  for (let epoch = 1; epoch < 500; epoch++) {
    const drop = catalog.find(
      (product) =>
        quoteAt(product, epoch + 1).priceMinor < quoteAt(product, epoch).priceMinor &&
        quoteAt(product, epoch + 1).availability === 'InStock',
    );
    const restock = catalog.find(
      (product) =>
        product !== drop &&
        quoteAt(product, epoch).availability === 'OutOfStock' &&
        quoteAt(product, epoch + 1).availability === 'InStock',
    );
    if (drop && restock) return { epoch, drop, restock };
  }
  throw new Error('the demo catalog has no epoch with both a drop and a restock');
}

describe('notifications end to end: shop change to a signed webhook delivery', () => {
  let database: TestDatabase<PrismaClient>;
  let shop: DemoShop;
  let listener: WebhookListener | undefined;
  const apps = new Map<string, AppProcess>();
  const output: string[] = [];
  let key: string;
  let env: NodeJS.ProcessEnv;
  const plan = epochWithDropAndRestock();

  const api = async <T = any>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${apps.get('api')!.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const settled = <T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) =>
    eventually(what, probe, ms).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.slice(-40).join('\n')}`);
    });

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    shop = await startDemoShop({ epochMs: 24 * 3_600_000 });
    shop.advance(plan.epoch);
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'shelfwatch-e2e',
      MESSAGING_TRANSPORT: 'postgres',
      SCRAPER_ALLOW_HOSTS: '127.0.0.1',
      SCRAPER_HOST_MIN_DELAY_MS: '0',
      SCHEDULER_MODE: 'timer',
      SCHEDULER_INTERVAL_MS: '1000',
      // The local configuration: the same loopback allow-list for webhooks, plain http.
      WEBHOOK_SECRET_KEY: generateSealingKey(),
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_ALLOW_HTTP: 'true',
      NOTIFIER_MIN_BACKOFF_SECONDS: '1',
      NOTIFIER_MAX_BACKOFF_SECONDS: '2',
    };
    ({ apiKey: key } = await createAccountWithCli(env, { email: 'notify@example.com' }));
    for (const name of appNames) {
      const app = spawnApp(name, {
        from: 'bundle',
        port: await findFreeLoopbackPort(),
        env,
        onLine: (line) => output.push(`[${name}] ${line}`),
      });
      apps.set(name, app);
    }
    await Promise.all([...apps.values()].map((app) => waitUntilReady(app, 180_000))).catch(
      (error) => {
        throw new Error(`${(error as Error).message}\n${output.slice(-40).join('\n')}`);
      },
    );
  });

  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await listener?.close();
    await shop?.close();
    await database?.drop();
  });

  it('adds a webhook on loopback and receives a signed test ping', async () => {
    const port = await findFreeLoopbackPort();
    const created = await api<{ id: string; secret: string }>('/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook` }),
    });
    listener = await startWebhookListener({ secret: created.secret, port });

    const ping = await api<{ eventId: string; webhookId: string }>(
      `/v1/webhooks/${created.id}/test`,
      { method: 'POST' },
    );
    const received = await settled('the signed ping', async () =>
      listener!.verified.find((delivery) => delivery.webhookId === ping.webhookId),
    );
    expect(received.payload.type).toBe('webhook.ping');
    expect(listener.rejected).toEqual([]);
    // Recorded once the answer is back and the notifier's transaction has committed.
    const attempt = await settled('the ping in the deliveries log', async () => {
      const page = await api<{
        items: Array<{ eventId: string; status: number; delivery: string }>;
      }>(`/v1/webhooks/${created.id}/deliveries`);
      return page.items.find(
        (item) => item.eventId === ping.eventId && item.delivery === 'delivered',
      );
    });
    expect(attempt.status).toBe(204);
  });

  it('delivers a price drop and a restock from the shop within the interval plus 10 s', async () => {
    for (const product of [plan.drop, plan.restock])
      await api('/v1/watches', {
        method: 'POST',
        body: JSON.stringify({
          url: `${shop.url}/products/${product.slug}`,
          checkIntervalSeconds: MIN_CHECK_INTERVAL_SECONDS,
        }),
      });
    // The first checks record the prices before the change.
    await settled(
      'both products recorded',
      async () => (await database.prisma.product.count()) >= 2 || undefined,
    );
    shop.advance();
    const changedAt = Date.now();

    const kinds = async () =>
      listener!.verified
        .filter((delivery) => delivery.payload.type === 'alert.raised')
        .map((delivery) => ({
          kind: delivery.payload.data.kind as string,
          url: delivery.payload.data.url as string,
          at: Date.now(),
        }));
    const drop = await settled(
      'the price drop delivered',
      async () =>
        (await kinds()).find(
          (d) => d.kind === 'price_drop' && d.url.endsWith(`/products/${plan.drop.slug}`),
        ),
      (MIN_CHECK_INTERVAL_SECONDS + 10) * 1000,
    );
    const restock = await settled(
      'the restock delivered',
      async () =>
        (await kinds()).find(
          (d) => d.kind === 'back_in_stock' && d.url.endsWith(`/products/${plan.restock.slug}`),
        ),
      (MIN_CHECK_INTERVAL_SECONDS + 10) * 1000,
    );
    // The bound is the wait itself (interval + 10 s); the figure is printed, not asserted.
    console.log(
      `shop change to delivery: price_drop ${drop.at - changedAt} ms, back_in_stock ${restock.at - changedAt} ms`,
    );
    expect(listener!.rejected).toEqual([]);
  });
});
