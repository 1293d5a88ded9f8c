import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, newId } from '@shelfwatch/contracts';
import { createPrismaClient, type PrismaClient } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import { createMessaging, type Messaging } from '@shelfwatch/messaging';
import { eventually } from '@shelfwatch/testing';
import {
  freeLocalPortBase,
  localServeEnv,
  nxServe,
  processesIn,
  type ServedApp,
} from './support/local-stack';
import {
  catalog,
  createAccountWithCli,
  localPorts,
  waitForLocalDatabase,
  type LocalPorts,
} from '@shelfwatch/tools';

/*
 * Three terminals, as a developer works: `nx serve api`, `nx serve scraper` and
 * `nx serve analytics` as separate processes (each in its own process group, like a terminal's
 * foreground job) on embedded defaults. Each is then stopped with Ctrl-C (SIGINT to its group),
 * first the one that started the database, and the ones left keep reaching the database and the
 * demo shop; the database stops with the last one and leaves no process behind.
 */
const logger = createLogger({ service: 'e2e', level: 'warn' });
type Served = 'api' | 'scraper' | 'analytics';

const isReady = async (url: string) =>
  (await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) })).status === 200;

describe('nx serve api, scraper and analytics in three terminals', () => {
  let dataDir: string;
  let ports: LocalPorts;
  let env: NodeJS.ProcessEnv;
  let prisma: PrismaClient;
  let messaging: Messaging;
  /** An operator's key: shared targets (/v1/targets) are theirs to manage. */
  let operatorKey: string;
  const served = new Map<Served, ServedApp>();

  const url = (app: Served) => `http://127.0.0.1:${ports[app]}`;
  const shopUrl = () => `http://127.0.0.1:${ports.demoShop}`;

  async function serveUntilReady(app: Served): Promise<void> {
    served.set(app, nxServe(app, env));
    const { child, output } = served.get(app)!;
    await eventually(
      `${app} ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`nx serve ${app} exited:\n${output()}`);
        return isReady(url(app));
      },
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output().slice(-4_000)}`);
    });
  }

  /**
   * Ctrl-C in the app's terminal (SIGINT to its process group); resolves once Nx has exited and
   * the app no longer answers. Nx exits before its task has drained, so what the task prints
   * while stopping is not in Nx's output: the checks look at what runs instead.
   */
  async function stop(app: Served): Promise<void> {
    const { child } = served.get(app)!;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    await eventually(`${app} to stop answering`, () =>
      fetch(`${url(app)}/health`).then(
        () => false,
        () => true,
      ),
    );
  }

  async function createTarget(path: string): Promise<{ id: string; url: string }> {
    const response = await fetch(`${url('api')}/v1/targets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey}` },
      body: JSON.stringify({ url: `${shopUrl()}${path}`, kind: 'product' }),
    });
    if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; url: string };
  }

  /** The number of prices recorded for a target, once there is one. */
  const pricesOf = async (targetId: string) =>
    (await prisma.pricePoint.count({ where: { product: { targetId } } })) || undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'shelfwatch-serve-apps-'));
    env = {
      ...localServeEnv(dataDir, await freeLocalPortBase()),
      SCHEDULER_MODE: 'off',
    };
    env.MESSAGING_TRANSPORT = 'postgres';
    ports = localPorts(env);

    // The api first: its serve is the one that starts the database.
    await serveUntilReady('api');
    await Promise.all([serveUntilReady('scraper'), serveUntilReady('analytics')]);
    const databaseUrl = await waitForLocalDatabase(env, 10_000);
    ({ apiKey: operatorKey } = await createAccountWithCli(
      { ...env, DATABASE_URL: databaseUrl },
      { email: 'operator@example.com', operator: true },
    ));
    prisma = createPrismaClient({ databaseUrl, pool: { max: 2 } });
    messaging = createMessaging({
      transport: 'postgres',
      databaseUrl,
      logger,
      source: 'shelfwatch/e2e',
    });
    await messaging.start();
  });

  afterAll(async () => {
    await messaging?.stop({ timeoutMs: 2_000 });
    await prisma?.$disconnect();
    for (const { child } of served.values())
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const [first, second, third] = catalog;

  it('with all three serving, a scrape requested through the api reaches the shop and lands in the database', async () => {
    expect(await fetch(`${shopUrl()}/robots.txt`).then((response) => response.status)).toBe(200);
    const target = await createTarget(`/products/${first!.slug}`);
    const scrape = await fetch(`${url('api')}/v1/targets/${target.id}/scrape`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorKey}` },
    });
    expect(scrape.status).toBeLessThan(300);

    expect(await eventually('a price for the first product', async () => pricesOf(target.id))).toBe(
      1,
    );
  });

  it('after the api (which started the database) stops, the scraper still fetches from the shop and analytics still writes', async () => {
    const target = await createTarget(`/products/${second!.slug}`);
    await stop('api');
    expect(await isReady(url('scraper'))).toBe(true);
    expect(await isReady(url('analytics'))).toBe(true);

    await messaging.publish(
      createEvent(
        'scrape.requested',
        {
          runId: newId(),
          targetId: target.id,
          url: target.url,
          kind: 'product',
          requestedAt: new Date().toISOString(),
        },
        { source: 'shelfwatch/e2e' },
      ),
    );
    expect(
      await eventually('a price for the second product', async () => pricesOf(target.id)),
    ).toBe(1);
  });

  it('after the scraper stops too, analytics still reaches the database', async () => {
    const target = await prisma.target.create({
      data: {
        id: newId(),
        url: `${shopUrl()}/products/${third!.slug}`,
        host: '127.0.0.1',
        kind: 'product',
        checkIntervalSeconds: 3600,
        status: 'active',
      },
    });
    await stop('scraper');
    expect(await isReady(url('analytics'))).toBe(true);

    await messaging.publish(
      createEvent(
        'scrape.failed',
        {
          runId: newId(),
          targetId: target.id,
          url: target.url,
          failedAt: new Date().toISOString(),
          errorClass: 'timeout',
          retryable: true,
          message: 'a failure published by the test',
        },
        { source: 'shelfwatch/e2e' },
      ),
    );
    const health = await eventually('analytics to record the failure', () =>
      prisma.targetHealth
        .findUnique({ where: { targetId: target.id } })
        .then((row) => row ?? false),
    );
    expect(health.consecutiveFailures).toBe(1);
  });

  it('stopping the last one stops the database, and nothing is left running', async () => {
    await messaging.stop({ timeoutMs: 2_000 });
    await prisma.$disconnect();
    await stop('analytics');

    await eventually('the database to stop', () =>
      waitForLocalDatabase(env, 0).then(
        () => false,
        () => true,
      ),
    );
    await eventually('no process left in the data folder', async () =>
      processesIn(dataDir).length === 0 ? true : undefined,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${processesIn(dataDir).join('\n')}`);
    });
  });
});
