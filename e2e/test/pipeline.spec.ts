import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import {
  appNames,
  catalog,
  decimalPrice,
  quoteAt,
  spawnApp,
  startDemoShop,
  startWebhookListener,
  waitUntilReady,
  type AppProcess,
  type DemoShop,
  type WebhookListener,
  createAccountWithCli,
} from '@shelfwatch/tools';
import { createPrismaClient, generateSealingKey, type PrismaClient } from '@shelfwatch/db';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  type PubSubEmulator,
  pubSubEmulatorAvailability,
  startPubSubEmulator,
  type TestDatabase,
} from '@shelfwatch/testing';

/*
 * The whole pipeline as it runs in production, on loopback: the api, scraper, analytics and
 * notifier as processes from source, a real PostgreSQL, the Pub/Sub emulator (or the Postgres
 * transport), and the demo shop, whose clock this test moves on to change prices between scrapes.
 */
const logger = createLogger({ service: 'e2e', level: 'warn' });
const emulator = pubSubEmulatorAvailability(process.env);
const transports = ['pubsub', 'postgres'] as const;

describe.each(transports)('the pipeline end to end over %s', (transport) => {
  if (transport === 'pubsub' && !emulator.available) {
    if (emulator.required)
      it('needs the Pub/Sub emulator in CI', () => {
        throw new Error(`CI=true and the Pub/Sub emulator cannot run: ${emulator.reason}`);
      });
    else it.skip(`runs on the Pub/Sub emulator (skipped: ${emulator.reason})`, () => undefined);
    return;
  }

  let database: TestDatabase<PrismaClient>;
  let pubsub: PubSubEmulator | undefined;
  let shop: DemoShop;
  let observer: Messaging;
  let listener: WebhookListener | undefined;
  const apps = new Map<string, AppProcess>();
  const output: string[] = [];
  const priceChanged: EventOf<'price.changed'>[] = [];

  // The operator manages the shared targets; the customer watches and reads through its watches.
  let operatorKey: string;
  let customerKey: string;
  const api = (path: string, init?: RequestInit) =>
    fetch(`${apps.get('api')!.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${path.startsWith('/v1/targets') ? operatorKey : customerKey}`,
        ...init?.headers,
      },
    });
  const json = async <T = any>(path: string, init?: RequestInit): Promise<T> => {
    const response = await api(path, init);
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    shop = await startDemoShop({ epochMs: 24 * 3_600_000 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'shelfwatch-e2e',
      SCRAPER_ALLOW_HOSTS: '127.0.0.1',
      SCRAPER_HOST_MIN_DELAY_MS: '0',
      SCRAPER_HOST_CONCURRENCY: '4',
      SCHEDULER_MODE: 'http',
      SCHEDULER_PER_HOST_LIMIT: '100',
      WEBHOOK_SECRET_KEY: generateSealingKey(),
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_ALLOW_HTTP: 'true',
    };
    ({ apiKey: operatorKey } = await createAccountWithCli(env, {
      email: `operator-${transport}@example.com`,
      operator: true,
    }));
    ({ apiKey: customerKey } = await createAccountWithCli(env, {
      email: `customer-${transport}@example.com`,
    }));
    if (transport === 'pubsub') {
      pubsub = await startPubSubEmulator({ projectId: 'shelfwatch-e2e' });
      env.PUBSUB_EMULATOR_HOST = pubsub.host;
    } else env.MESSAGING_TRANSPORT = 'postgres';

    // The observer subscribes before anything is published: Pub/Sub delivers only later messages.
    observer = createMessaging(
      transport === 'pubsub'
        ? {
            transport,
            projectId: 'shelfwatch-e2e',
            emulatorHost: pubsub!.host,
            provision: true,
            logger,
            source: 'shelfwatch/e2e',
          }
        : { transport, databaseUrl: database.url, logger, source: 'shelfwatch/e2e' },
    );
    observer.subscribe(
      'price.changed',
      async (event) => {
        priceChanged.push(event);
      },
      { subscription: 'e2e.price-changed' },
    );
    await observer.start();

    for (const name of appNames) {
      const app = spawnApp(name, {
        from: 'bundle',
        port: await findFreeLoopbackPort(),
        env,
        onLine: (line) => output.push(`[${name}] ${line}`),
      });
      apps.set(name, app);
    }
    try {
      await Promise.all([...apps.values()].map((app) => waitUntilReady(app)));
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output.slice(-40).join('\n')}`);
    }
  });

  afterAll(async () => {
    const exits = await Promise.all([...apps.values()].map((app) => app.stop()));
    await observer?.stop();
    await listener?.close();
    await pubsub?.stop();
    await shop?.close();
    await database?.drop();
    // Every app drains and exits 0 on SIGTERM.
    expect(exits).toEqual(appNames.map(() => 0));
  });

  /** Waits for the pipeline; on timeout the apps' last lines explain why. */
  const settled = <T>(what: string, probe: () => Promise<T | undefined>) =>
    eventually(what, probe).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.slice(-40).join('\n')}`);
    });

  it('watches a sitemap, discovers its products and records their prices and changes', async () => {
    const sitemap = await json('/v1/watches', {
      method: 'POST',
      body: JSON.stringify({ url: `${shop.url}/sitemap.xml`, kind: 'sitemap' }),
    });
    expect(sitemap.kind).toBe('sitemap');
    // The customer's webhook: the notifier signs and delivers every alert over this transport.
    const hookPort = await findFreeLoopbackPort();
    const hook = await json('/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: `http://127.0.0.1:${hookPort}/hook` }),
    });
    listener = await startWebhookListener({ secret: hook.secret, port: hookPort });

    // The scheduler claims the sitemap; its products.discovered makes one target per product.
    expect((await json('/internal/scheduler/tick', { method: 'POST' })).scheduled).toBe(1);
    const productTargets = await settled('product targets from the sitemap', async () => {
      const page = await json(`/v1/targets?kind=product&page_size=100`);
      return page.items.length === catalog.length ? page.items : undefined;
    });

    // Next tick: every new product target is due and gets scraped once.
    expect((await json('/internal/scheduler/tick', { method: 'POST' })).scheduled).toBe(
      catalog.length,
    );
    const firstEpoch = shop.epoch();
    const products = await settled('a product with a price point per page', async () => {
      const page = await json(`/v1/products?page_size=100`);
      return page.items.length === catalog.length ? page.items : undefined;
    });
    for (const product of catalog) {
      const stored = products.find(
        (item: any) => item.url === `${shop.url}/products/${product.slug}`,
      );
      expect({ slug: product.slug, price: stored?.price }).toEqual({
        slug: product.slug,
        price: {
          amount: decimalPrice(quoteAt(product, firstEpoch).priceMinor),
          currency: product.currency,
        },
      });
    }

    // The shop's clock moves on; a scrape now of every product sees the new prices.
    shop.advance();
    const secondEpoch = shop.epoch();
    for (const target of productTargets) {
      const response = await api(`/v1/targets/${target.id}/scrape`, { method: 'POST' });
      expect(response.status).toBe(202);
    }
    await settled('a second price point for every product', async () => {
      const counts = await database.prisma.pricePoint.groupBy({
        by: ['productId'],
        _count: { _all: true },
      });
      return counts.length === catalog.length && counts.every((row) => row._count._all === 2)
        ? true
        : undefined;
    });

    // Pages that did not change answered 304 to the validators of the first scrape.
    const unchangedPages = catalog.filter(
      (product) =>
        JSON.stringify(quoteAt(product, firstEpoch)) ===
        JSON.stringify(quoteAt(product, secondEpoch)),
    );
    expect(await database.prisma.pricePoint.count({ where: { notModified: true } })).toBe(
      unchangedPages.length,
    );

    const changed = catalog.filter(
      (product) =>
        quoteAt(product, firstEpoch).priceMinor !== quoteAt(product, secondEpoch).priceMinor,
    );
    expect(changed.length).toBeGreaterThan(0);
    const expectedKinds = new Map(
      changed.map((product) => [
        `${shop.url}/products/${product.slug}`,
        quoteAt(product, secondEpoch).priceMinor < quoteAt(product, firstEpoch).priceMinor
          ? 'drop'
          : 'rise',
      ]),
    );
    const seen = await settled('price.changed for every changed price', async () => {
      const changes = priceChanged.filter((event) => event.data.previous !== null);
      return changes.length >= changed.length ? changes : undefined;
    });
    expect(new Map(seen.map((event) => [event.data.url, event.data.changeKind]))).toEqual(
      expectedKinds,
    );

    // The read side tells the same story.
    const one = products.find(
      (item: any) => item.url === `${shop.url}/products/${changed[0]!.slug}`,
    );
    const prices = await json(`/v1/products/${one.id}/prices`);
    expect(prices.items.map((point: any) => point.price.amount)).toEqual(
      expect.arrayContaining([
        decimalPrice(quoteAt(changed[0]!, firstEpoch).priceMinor),
        decimalPrice(quoteAt(changed[0]!, secondEpoch).priceMinor),
      ]),
    );
    const alerts = await json(`/v1/alerts?page_size=100`);
    const priceAlerts = alerts.items.filter((alert: any) =>
      ['price_drop', 'price_rise'].includes(alert.kind),
    );
    expect(priceAlerts).toHaveLength(changed.length);
    // Each of them reached the customer's webhook, signed, once.
    const delivered = await settled('every price alert delivered to the webhook', async () => {
      const alertsDelivered = listener!.verified.filter(
        (delivery) =>
          delivery.payload.type === 'alert.raised' &&
          ['price_drop', 'price_rise'].includes(delivery.payload.data.kind as string),
      );
      return alertsDelivered.length >= changed.length ? alertsDelivered : undefined;
    });
    expect(new Set(delivered.map((delivery) => delivery.payload.data.url)).size).toBe(
      changed.length,
    );
    expect(new Set(delivered.map((delivery) => delivery.webhookId)).size).toBe(delivered.length);
    expect(listener!.rejected).toEqual([]);
    const runs = await database.prisma.scrapeRun.findMany({
      where: { status: { not: 'succeeded' } },
    });
    expect(runs).toEqual([]);

    // Every run records when the scraper started it, between its request and its end.
    expect(await database.prisma.scrapeRun.count({ where: { startedAt: null } })).toBe(0);
    const sitemapRuns = await json(`/v1/runs?watch_id=${sitemap.id}`);
    expect(sitemapRuns.items.length).toBeGreaterThan(0);
    for (const run of sitemapRuns.items) {
      expect(Date.parse(run.startedAt)).toBeGreaterThanOrEqual(Date.parse(run.requestedAt));
      expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    }
  });

  it('leaves one price point and no alert when the same events arrive twice', async () => {
    const target = await database.prisma.target.findFirstOrThrow({ where: { kind: 'product' } });
    const product = await database.prisma.product.findFirstOrThrow({
      where: { targetId: target.id },
    });
    const pointsBefore = await database.prisma.pricePoint.count({
      where: { productId: product.id },
    });
    const alertsBefore = await database.prisma.alert.count();
    const run = await database.prisma.scrapeRun.create({
      data: { id: newId(), targetId: target.id, status: 'queued' },
    });

    // One scrape.requested delivered twice: the scraper fetches twice, but its events carry ids
    // derived from the request, so analytics sees one observation.
    const request = createEvent(
      'scrape.requested',
      {
        runId: run.id,
        targetId: target.id,
        url: target.url,
        kind: 'product',
        requestedAt: new Date().toISOString(),
      },
      { source: 'shelfwatch/e2e' },
    );
    const page = new URL(target.url).pathname;
    const fetchesBefore = shop.requests(page);
    await observer.publish(request);
    await observer.publish(request);

    await settled('the run to finish', async () => {
      const row = await database.prisma.scrapeRun.findUnique({ where: { id: run.id } });
      return row?.status === 'succeeded' ? row : undefined;
    });
    await settled('the scraper to fetch the page once per delivery', async () =>
      shop.requests(page) >= fetchesBefore + 2 ? true : undefined,
    );
    // The second delivery's observation is published right after its fetch; give analytics
    // time to receive it and drop it as a repeat before counting.
    await new Promise((wake) => setTimeout(wake, 3_000));
    expect(await database.prisma.pricePoint.count({ where: { productId: product.id } })).toBe(
      pointsBefore + 1,
    );
    // The shop's price did not move, so nothing was worth an alert.
    expect(await database.prisma.alert.count()).toBe(alertsBefore);
  });
});
