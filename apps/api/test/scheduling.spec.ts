import { derivedId, type EventOf } from '@shelfwatch/contracts';
import { type PrismaClient, createOutboxStore } from '@shelfwatch/db';
import { createLogger } from '@shelfwatch/logging';
import {
  createOutboxRelay,
  createPostgresMessaging,
  createPushTokenVerifier,
  type Messaging,
  type OutboxRelay,
} from '@shelfwatch/messaging';
import type { Express } from 'express';
import request from 'supertest';
import { createTestAccount, startApiHarness, withKey, type ApiHarness } from './api-harness';
import { createSchedulerTick } from '../src/scheduling/scheduler';
import { API_OUTBOX_PUBLISHER } from '../src/index';
import { eventually, localIssuer } from '@shelfwatch/testing';

const logger = createLogger({ service: 'api-test', level: 'error' });
const HOUR = 3600;

describe('scrape scheduling against a real PostgreSQL and the Postgres transport', () => {
  let harness: ApiHarness;
  let prisma: PrismaClient;
  let messaging: Messaging;
  let stoppedMessaging: Messaging;
  let relay: OutboxRelay;
  let app: Express;
  let adminKey: string;
  const api = () => withKey(app, adminKey);
  const requested: EventOf<'scrape.requested'>[] = [];

  beforeAll(async () => {
    harness = await startApiHarness();
    prisma = harness.prisma;
    adminKey = (await createTestAccount(prisma, { operator: true })).apiKey.key;
    const transport = {
      transport: 'postgres' as const,
      databaseUrl: harness.database.url,
      logger,
      source: 'shelfwatch/api',
      pollingIntervalSeconds: 0.5,
    };
    messaging = createPostgresMessaging(transport);
    messaging.subscribe(
      'scrape.requested',
      async (event) => {
        requested.push(event);
      },
      { subscription: 'test.scrape-requested', maxConcurrent: 20 },
    );
    await messaging.start();
    // A transport that is down: publishing to it fails as a lost connection would.
    stoppedMessaging = createPostgresMessaging(transport);
    await stoppedMessaging.start();
    await stoppedMessaging.stop();
    relay = relayOver(messaging);
    relay.start();
    app = harness.appWith({
      logger,
      messaging,
      relay,
      schedulerTick: createSchedulerTick({ prisma, relay, perHostLimit: 2 }),
    });
  });

  const relayOver = (transport: Messaging) =>
    createOutboxRelay({
      source: createOutboxStore(prisma, API_OUTBOX_PUBLISHER, { maxBackoffMs: 200 }),
      messaging: transport,
      logger,
      pollIntervalMs: 100,
    });

  afterAll(async () => {
    await relay.stop();
    await messaging.stop();
    await harness.close();
  });

  beforeEach(async () => {
    await prisma.target.deleteMany();
    requested.length = 0;
  });

  let serial = 0;
  async function target(
    host: string,
    options: { dueInSeconds?: number; status?: 'active' | 'paused' } = {},
  ) {
    serial += 1;
    return prisma.target.create({
      data: {
        id: crypto.randomUUID(),
        url: `https://${host}/p/${serial}`,
        host,
        kind: 'product',
        checkIntervalSeconds: HOUR,
        status: options.status ?? 'active',
        nextCheckAt: new Date(Date.now() + (options.dueInSeconds ?? -60) * 1000),
      },
    });
  }

  describe('POST /v1/targets/:id/scrape', () => {
    it('queues a run, answers 202 with its location and publishes scrape.requested', async () => {
      const watched = await target('shop.example.com', { dueInSeconds: HOUR });

      const response = await api().post(`/v1/targets/${watched.id}/scrape`);

      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ targetId: watched.id, status: 'queued' });
      expect(response.headers.location).toBe(`/v1/runs/${response.body.id}`);
      const run = await api().get(response.headers.location as string);
      expect(run.body).toMatchObject({ id: response.body.id, status: 'queued' });
      const event = await eventually('the event', () =>
        requested.find((item) => item.data.runId === response.body.id),
      );
      expect(event.data).toMatchObject({
        targetId: watched.id,
        url: watched.url,
        kind: 'product',
        attempt: 1,
      });
      expect(event.source).toBe('shelfwatch/api');
      // The schedule is untouched by a manual scrape.
      const after = await prisma.target.findUniqueOrThrow({ where: { id: watched.id } });
      expect(after.nextCheckAt).toEqual(watched.nextCheckAt);
    });

    it('scrapes a paused target on request', async () => {
      const paused = await target('shop.example.com', { status: 'paused' });
      const response = await api().post(`/v1/targets/${paused.id}/scrape`);
      expect(response.status).toBe(202);
    });

    it('answers 404 for an unknown target and 400 for an id that is not a UUID', async () => {
      const unknown = await api().post(`/v1/targets/${crypto.randomUUID()}/scrape`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
      const invalid = await api().post('/v1/targets/nope/scrape');
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors[0].path).toBe('path');
    });

    it('queues the run while the transport is down and requests it once the transport is back', async () => {
      const watched = await target('shop.example.com');
      const downRelay = relayOver(stoppedMessaging);
      const down = harness.appWith({ logger, relay: downRelay });
      await relay.stop();
      downRelay.start();
      let runId: string;
      try {
        const response = await withKey(down, adminKey).post(`/v1/targets/${watched.id}/scrape`);
        expect(response.status).toBe(202);
        runId = response.body.id as string;
        const row = await eventually('a failed publish recorded', async () => {
          const pending = await prisma.outboxEvent.findFirst({
            where: { publisher: 'api', eventType: 'scrape.requested', attempts: { gte: 1 } },
          });
          return pending ?? undefined;
        });
        expect(row).toMatchObject({
          publishedAt: null,
          lastError: expect.stringMatching(/stopped/),
        });
      } finally {
        await downRelay.stop();
        relay = relayOver(messaging);
        relay.start();
      }
      const event = await eventually('the event', () =>
        requested.find((item) => item.data.runId === runId),
      );
      expect(event.id).toBe(derivedId(runId, 'scrape.requested'));
      expect(requested.filter((item) => item.data.runId === runId)).toHaveLength(1);
    });
  });

  describe('the scheduler', () => {
    it('claims only due active targets, at most the per-host limit each tick', async () => {
      const busy = [
        await target('busy.example.com', { dueInSeconds: -300 }),
        await target('busy.example.com', { dueInSeconds: -200 }),
        await target('busy.example.com', { dueInSeconds: -100 }),
      ];
      const quiet = await target('quiet.example.com');
      await target('quiet.example.com', { dueInSeconds: 600 });
      await target('quiet.example.com', { status: 'paused' });

      const first = await request(app).post('/internal/scheduler/tick');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ scheduled: 3 });
      const runs = await prisma.scrapeRun.findMany({ where: { id: { in: first.body.runIds } } });
      expect(runs.map((run) => run.targetId).sort()).toEqual(
        [busy[0]!.id, busy[1]!.id, quiet.id].sort(),
      );
      expect(runs.every((run) => run.status === 'queued')).toBe(true);
      const rescheduled = await prisma.target.findUniqueOrThrow({ where: { id: quiet.id } });
      expect(rescheduled.nextCheckAt!.getTime()).toBeGreaterThan(Date.now() + (HOUR - 60) * 1000);

      const second = await request(app).post('/internal/scheduler/tick');
      expect(second.body.scheduled).toBe(1);
      const [run] = await prisma.scrapeRun.findMany({ where: { id: second.body.runIds[0] } });
      expect(run?.targetId).toBe(busy[2]!.id);

      expect((await request(app).post('/internal/scheduler/tick')).body.scheduled).toBe(0);
      await eventually('the event', () => (requested.length === 4 ? true : undefined));
      expect(new Set(requested.map((event) => event.data.targetId)).size).toBe(4);
    });

    it('never claims a target twice when ticks run at the same time', async () => {
      const hosts = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'];
      for (const host of hosts) for (let i = 0; i < 10; i++) await target(host);
      const tick = createSchedulerTick({ prisma, relay, perHostLimit: 10 });

      const results = await Promise.all([tick(), tick(), tick(), tick()]);

      expect(results.reduce((sum, result) => sum + result.scheduled, 0)).toBe(40);
      const runs = await prisma.scrapeRun.findMany({ where: { target: { host: { in: hosts } } } });
      expect(runs).toHaveLength(40);
      expect(new Set(runs.map((run) => run.targetId)).size).toBe(40);
    });

    it('fails runs that never finished within the deadline, and leaves finished and recent ones', async () => {
      const watched = await target('stale.example.com', { dueInSeconds: 3600 });
      const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
      const run = (status: 'queued' | 'running' | 'succeeded', requestedAt: Date) =>
        prisma.scrapeRun.create({
          data: { id: crypto.randomUUID(), targetId: watched.id, status, requestedAt },
        });
      const lostQueued = await run('queued', hoursAgo(2));
      const lostRunning = await run('running', hoursAgo(3));
      const finished = await run('succeeded', hoursAgo(5));
      const recent = await run('queued', hoursAgo(0.1));

      const result = await createSchedulerTick({ prisma, relay })();

      expect(result.expired).toBeGreaterThanOrEqual(2);
      const rows = await prisma.scrapeRun.findMany({ where: { targetId: watched.id } });
      const statusOf = (id: string) => rows.find((row) => row.id === id)!;
      expect(statusOf(lostQueued.id)).toMatchObject({ status: 'failed', errorClass: 'timeout' });
      expect(statusOf(lostQueued.id).finishedAt).not.toBeNull();
      expect(statusOf(lostRunning.id).status).toBe('failed');
      expect(statusOf(finished.id).status).toBe('succeeded');
      expect(statusOf(recent.id).status).toBe('queued');
    });

    it('writes each run’s scrape.requested to the outbox with the run, under an id derived from the run', async () => {
      await target('shop.example.com');
      await target('other.example.com');

      const result = await createSchedulerTick({ prisma, relay: { wake: () => undefined } })();

      const rows = await prisma.outboxEvent.findMany({
        where: {
          publisher: 'api',
          eventId: { in: result.runIds.map((id) => derivedId(id, 'scrape.requested')) },
        },
      });
      expect(rows).toHaveLength(2);
      // Not woken, the relay still finds them on its next poll.
      const events = await eventually('both events', () => {
        const found = requested.filter((item) => result.runIds.includes(item.data.runId));
        return found.length === 2 ? found : undefined;
      });
      expect(new Set(events.map((event) => event.id))).toEqual(
        new Set(rows.map((row) => row.eventId)),
      );
    });

    it('sends the page’s validators so an unchanged page can answer 304', async () => {
      const watched = await target('shop.example.com');
      await prisma.targetHealth.create({
        data: {
          targetId: watched.id,
          etag: 'W/"abc"',
          lastModified: 'Fri, 27 Nov 2026 01:00:00 GMT',
        },
      });

      const result = await createSchedulerTick({ prisma, relay })();

      const event = await eventually('the event', () =>
        requested.find((item) => item.data.runId === result.runIds[0]),
      );
      expect(event.data).toMatchObject({
        etag: 'W/"abc"',
        lastModified: 'Fri, 27 Nov 2026 01:00:00 GMT',
      });
    });
  });

  describe('POST /internal/scheduler/tick with OIDC verification on', () => {
    const issuer = localIssuer();
    const audience = 'https://api.shelfwatch.test/internal/scheduler/tick';
    const scheduler = 'scheduler@shelfwatch-test.iam.gserviceaccount.com';
    let guarded: Express;
    /** Everything the guarded app logs, at every level. */
    const logged: unknown[] = [];

    beforeAll(() => {
      const capturing = createLogger({ service: 'api-test', level: 'debug' });
      for (const transport of capturing.transports) transport.silent = true;
      capturing.on('data', (entry: unknown) => logged.push(entry));
      guarded = harness.appWith({
        logger: capturing,
        messaging,
        schedulerTick: createSchedulerTick({ prisma, relay }),
        authorizeTick: createPushTokenVerifier({
          audience,
          serviceAccountEmail: scheduler,
          certificates: issuer.certificates,
        }),
      });
    });

    const tick = (token?: string) => {
      const call = request(guarded).post('/internal/scheduler/tick');
      return token ? call.set('authorization', `Bearer ${token}`) : call;
    };
    const claims = { aud: audience, email: scheduler, email_verified: true };

    it('answers 401 without a token and 403 for another audience or caller, scheduling nothing', async () => {
      await target('shop.example.com');

      const missing = await tick();
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      expect(missing.body.type).toBe('https://shelfwatch.dev/problems/unauthorized');
      expect((await tick(issuer.token({ ...claims, aud: 'https://elsewhere.test' }))).status).toBe(
        403,
      );
      expect((await tick(issuer.token({ ...claims, email: 'intruder@evil.test' }))).status).toBe(
        403,
      );
      expect((await tick(localIssuer().token(claims))).status).toBe(401);
      expect(await prisma.scrapeRun.count()).toBe(0);
    });

    it('refuses junk, forged and expired tokens and never logs one, or any part of one', async () => {
      await target('shop.example.com');
      const refused = [
        'junk-token-that-is-no-jwt-at-all-0123456789',
        'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmb3JnZWQtY2xhaW1zIn0.c2lnbmF0dXJlLW9mLW5vYm9keQ',
        localIssuer().token(claims),
        issuer.token(claims, { expiresInSeconds: -600 }),
        issuer.token({ ...claims, iss: 'https://evil.example' }),
      ];
      const valid = issuer.token(claims);
      logged.length = 0;

      for (const token of refused) expect((await tick(token)).status).toBe(401);
      expect((await tick(valid)).status).toBe(200);

      expect(logged.length).toBeGreaterThan(refused.length);
      const text = JSON.stringify(logged);
      for (const token of [...refused, valid])
        for (const part of [token, ...token.split('.')].filter((piece) => piece.length >= 16))
          expect(text).not.toContain(part);
    });

    it('ticks for the scheduler’s own token', async () => {
      await target('shop.example.com');
      const response = await tick(issuer.token(claims));
      expect(response.status).toBe(200);
      expect(response.body.scheduled).toBe(1);
    });
  });
});
