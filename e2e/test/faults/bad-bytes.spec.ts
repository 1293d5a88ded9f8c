import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvent, newId } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import {
  createTestDatabase,
  eventually,
  findFreeLoopbackPort,
  secretsInLogs,
  type TestDatabase,
} from '@shelfwatch/testing';
import { spawnApp, waitUntilReady, type AppProcess } from '@shelfwatch/tools';
import { reportFigures } from './fault-figures';

/*
 * Pages that yield NUL, lone surrogates, control characters and megabyte strings in every field,
 * scraped by the real scraper and recorded by the real analytics (Postgres transport): each run
 * must end (succeeded with an observation, or failed with a reason), and no request may end in
 * the dead-letter queue.
 */
const logger = createLogger({ service: 'faults', level: 'warn' });

function hostilePage(hostile: string): string {
  const product = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: hostile,
    sku: hostile,
    mpn: hostile,
    brand: { '@type': 'Brand', name: hostile },
    color: hostile,
    description: hostile,
    offers: {
      '@type': 'Offer',
      price: '19.99',
      priceCurrency: 'EUR',
      availability: 'https://schema.org/InStock',
    },
  };
  return `<!doctype html><html><head><title>${hostile}</title><meta property="og:title" content="${hostile}"><script type="application/ld+json">${JSON.stringify(product)}</script></head><body><h1>${hostile}</h1></body></html>`;
}

const pages: Record<string, string> = {
  '/p/short': hostilePage(`\u0000bad\ud800${'x'.repeat(2_000)}\udfff\u0007\u001b`),
  '/p/huge': hostilePage(`\u0000bad\ud800${'x'.repeat(1_000_000)}\udfff\u0007`),
  '/p/only-controls': hostilePage('\u0000\u0001\u0002\ud800'),
};

describe('pages full of bad bytes', () => {
  let database: TestDatabase<PrismaClient>;
  let shop: Server;
  let shopUrl: string;
  let publisher: Messaging;
  const apps: AppProcess[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(createPrismaClient);
    shop = createServer((req, res) => {
      const page = pages[req.url ?? ''];
      if (page) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else res.writeHead(404).end();
    });
    await new Promise<void>((listening) => shop.listen(0, '127.0.0.1', listening));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: 'shelfwatch-faults',
      MESSAGING_TRANSPORT: 'postgres',
      SCRAPER_ALLOW_HOSTS: '127.0.0.1',
      SCRAPER_HOST_MIN_DELAY_MS: '0',
      SCRAPER_MAX_BODY_BYTES: String(32 * 1024 * 1024),
    };
    for (const name of ['scraper', 'analytics'] as const)
      apps.push(
        spawnApp(name, {
          from: 'bundle',
          port: await findFreeLoopbackPort(),
          env,
          onLine: (line) => output.push(`[${name}] ${line}`),
        }),
      );
    await Promise.all(apps.map((app) => waitUntilReady(app)));
    publisher = createMessaging({
      transport: 'postgres',
      databaseUrl: database.url,
      logger,
      source: 'shelfwatch/faults',
    });
    await publisher.start();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await publisher?.stop();
    await new Promise((closed) => shop?.close(closed));
    await database?.drop();
  });

  it('ends every run with an observation or a scrape.failed, and dead-letters nothing', async () => {
    const runs: Array<{ path: string; runId: string }> = [];
    for (const path of Object.keys(pages)) {
      const targetId = newId();
      const runId = newId();
      const url = `${shopUrl}${path}`;
      await database.prisma.target.create({
        data: {
          id: targetId,
          url,
          host: '127.0.0.1',
          kind: 'product',
          checkIntervalSeconds: 3600,
          status: 'active',
          nextCheckAt: new Date(Date.now() + 3_600_000),
        },
      });
      await database.prisma.scrapeRun.create({ data: { id: runId, targetId, status: 'queued' } });
      await publisher.publish(
        createEvent(
          'scrape.requested',
          { runId, targetId, url, kind: 'product', requestedAt: new Date().toISOString() },
          { source: 'shelfwatch/faults' },
        ),
      );
      runs.push({ path, runId });
    }

    const finished = await eventually(
      'every run in a final state',
      async () => {
        const rows = await database.prisma.scrapeRun.findMany({
          where: { id: { in: runs.map((run) => run.runId) } },
        });
        return rows.every((row) => row.status === 'succeeded' || row.status === 'failed')
          ? rows
          : undefined;
      },
      90_000,
      250,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.slice(-30).join('\n')}`);
    });
    const deadLetters = Number(
      (
        await database.prisma.$queryRaw<Array<{ n: bigint }>>`
          SELECT count(*) AS n FROM pgboss.job WHERE name LIKE '%dead-letter'`
      )[0]!.n,
    );
    const outcome = Object.fromEntries(
      runs.map(({ path, runId }) => {
        const row = finished.find((candidate) => candidate.id === runId)!;
        return [path, row.status === 'failed' ? `failed: ${row.errorMessage}` : row.status];
      }),
    );
    const succeeded = finished.filter((row) => row.status === 'succeeded').length;
    reportFigures({
      scenario: 'pages with NUL, lone surrogates and 1 MB fields',
      tried: runs.length,
      survived: finished.length,
      lost: runs.length - finished.length + deadLetters,
      notes: { succeeded, failedWithReason: finished.length - succeeded, ...outcome },
    });
    expect(deadLetters).toBe(0);
    // The cleanable page is recorded, not merely failed; its stored name holds no NUL.
    expect(outcome['/p/short']).toBe('succeeded');
    const product = await database.prisma.product.findFirstOrThrow({
      where: { url: `${shopUrl}/p/short` },
    });
    expect(product.name).toMatch(/^bad\ufffdx+$/);
    for (const row of finished.filter((candidate) => candidate.status === 'failed'))
      expect(row.errorMessage).toEqual(expect.any(String));
    // Whatever the hostile pages made the apps log, no line holds a credential.
    expect(secretsInLogs(output)).toEqual([]);
  });
});
