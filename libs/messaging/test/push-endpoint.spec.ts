import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { createEvent, newId, type EventOf } from '@shelfwatch/contracts';
import express from 'express';
import request from 'supertest';
import {
  createMessaging,
  deadLetterAttributes,
  type MessageContext,
  type PubSubMessaging,
} from '../src';
import { captureLogger } from './support/capture-logger';
import {
  emulatorAvailability,
  localIssuer,
  reportMissingEmulator,
  testPubSubEmulator,
  type PubSubEmulator,
  eventually,
} from '@shelfwatch/testing';
import { uniqueName } from './support/transports';

const audience = 'https://analytics.example.run.app/pubsub/push';
const pushAccount = 'pubsub-push@shelfwatch-test.iam.gserviceaccount.com';

function scrapeRequestedEvent(): EventOf<'scrape.requested'> {
  return createEvent(
    'scrape.requested',
    {
      runId: newId(),
      targetId: newId(),
      url: 'https://shop.example.com/p/42',
      kind: 'product',
      requestedAt: new Date().toISOString(),
    },
    { source: 'shelfwatch/api' },
  );
}

function envelope(body: unknown, subscription: string, deliveryAttempt?: number) {
  return {
    message: {
      data: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64'),
      attributes: { eventType: 'scrape.requested' },
      messageId: `m-${newId()}`,
      publishTime: new Date().toISOString(),
    },
    subscription: `projects/shelfwatch-test/subscriptions/${subscription}`,
    ...(deliveryAttempt ? { deliveryAttempt } : {}),
  };
}

describe('the Pub/Sub push endpoint with token verification on', () => {
  const issuer = localIssuer();
  const handled: Array<{ event: EventOf<'scrape.requested'>; context: MessageContext }> = [];
  let failNext = false;
  const batches: string[][] = [];
  let messaging: PubSubMessaging;
  let app: express.Express;
  let logged: ReturnType<typeof captureLogger>['entries'];

  beforeAll(async () => {
    const { logger, entries } = captureLogger();
    logged = entries;
    // Push delivery without provisioning never calls Pub/Sub until a dead letter must be forwarded.
    messaging = createMessaging({
      transport: 'pubsub',
      projectId: 'shelfwatch-test',
      emulatorHost: '127.0.0.1:9',
      // As on Cloud Run: the push's deliveryAttempt is the attempt (ADR 0023).
      serverAttemptCount: true,
      delivery: 'push',
      logger,
      source: 'shelfwatch/analytics',
      pushAuth: { audience, serviceAccountEmail: pushAccount, certificates: issuer.certificates },
    });
    messaging.subscribe(
      'scrape.requested',
      async (event, context) => {
        if (failNext) {
          failNext = false;
          throw new Error('temporary failure');
        }
        handled.push({ event, context });
      },
      { subscription: 'analytics.scrape-requested' },
    );
    messaging.subscribeBatch(
      'scrape.requested',
      async (items) => {
        batches.push(items.map((item) => item.event.id));
        return items.map(() =>
          failNext ? { ok: false, error: new Error('temporary failure') } : { ok: true },
        );
      },
      { subscription: 'analytics.scrape-requested-batch', batch: { maxMessages: 50 } },
    );
    await messaging.start();
    app = express();
    app.use(messaging.pushRouter());
  });
  afterAll(() => messaging.stop());
  beforeEach(() => {
    handled.length = 0;
  });

  const validToken = () =>
    issuer.token({ aud: audience, email: pushAccount, email_verified: true });
  const push = (
    token: string | undefined,
    body: unknown,
    subscription = 'analytics.scrape-requested',
  ) => {
    const call = request(app)
      .post(`/pubsub/push/${subscription}`)
      .send(body as object);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  it('hands a valid, authenticated push to the handler and acks it with 204', async () => {
    const event = scrapeRequestedEvent();
    const response = await push(validToken(), envelope(event, 'analytics.scrape-requested', 3));
    expect(response.status).toBe(204);
    expect(handled).toHaveLength(1);
    expect(handled[0].event).toEqual(event);
    expect(handled[0].context).toMatchObject({
      attempt: 3,
      subscription: 'analytics.scrape-requested',
    });
  });

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    const response = await push(
      undefined,
      envelope(scrapeRequestedEvent(), 'analytics.scrape-requested'),
    );
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(handled).toEqual([]);
  });

  it.each([
    ['not a JWT', () => 'garbage'],
    [
      'signed by another key',
      () => localIssuer().token({ aud: audience, email: pushAccount, email_verified: true }),
    ],
    [
      'expired',
      () =>
        issuer.token(
          { aud: audience, email: pushAccount, email_verified: true },
          { expiresInSeconds: -600 },
        ),
    ],
    [
      'from another issuer',
      () =>
        issuer.token({
          aud: audience,
          email: pushAccount,
          email_verified: true,
          iss: 'https://evil.example',
        }),
    ],
  ])('answers 401 when the token is %s', async (_case, token) => {
    const response = await push(
      token(),
      envelope(scrapeRequestedEvent(), 'analytics.scrape-requested'),
    );
    expect(response.status).toBe(401);
    expect(handled).toEqual([]);
  });

  it('never writes a token, or any part of one, into the log', async () => {
    const tokens = [
      'garbage-token-that-is-no-jwt-0123456789',
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub3QtcmVhbCJ9',
      localIssuer().token({ aud: audience, email: pushAccount, email_verified: true }),
      issuer.token(
        { aud: audience, email: pushAccount, email_verified: true },
        { expiresInSeconds: -600 },
      ),
      issuer.token({ aud: 'https://elsewhere.example', email: pushAccount, email_verified: true }),
      validToken(),
    ];
    logged.length = 0;
    for (const token of tokens)
      await push(token, envelope(scrapeRequestedEvent(), 'analytics.scrape-requested'));

    expect(logged.length).toBeGreaterThan(0);
    const text = JSON.stringify(logged);
    for (const token of tokens)
      for (const part of [token, ...token.split('.')].filter((piece) => piece.length >= 16))
        expect(text).not.toContain(part);
  });

  it('answers 403 when the token is for another audience', async () => {
    const token = issuer.token({
      aud: 'https://other.example/push',
      email: pushAccount,
      email_verified: true,
    });
    const response = await push(
      token,
      envelope(scrapeRequestedEvent(), 'analytics.scrape-requested'),
    );
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(handled).toEqual([]);
  });

  it('answers 403 when the token is from another service account', async () => {
    const token = issuer.token({
      aud: audience,
      email: 'intruder@example.iam.gserviceaccount.com',
      email_verified: true,
    });
    const response = await push(
      token,
      envelope(scrapeRequestedEvent(), 'analytics.scrape-requested'),
    );
    expect(response.status).toBe(403);
    expect(handled).toEqual([]);
  });

  it('answers 500 when the handler fails, so Pub/Sub redelivers with backoff', async () => {
    failNext = true;
    const response = await push(
      validToken(),
      envelope(scrapeRequestedEvent(), 'analytics.scrape-requested'),
    );
    expect(response.status).toBe(500);
    expect(handled).toEqual([]);
  });

  it('hands a push to a batch subscription as a batch of one: 204 when handled, 500 when it failed', async () => {
    const handledEvent = scrapeRequestedEvent();
    const ok = await push(
      validToken(),
      envelope(handledEvent, 'analytics.scrape-requested-batch'),
      'analytics.scrape-requested-batch',
    );
    failNext = true;
    const failed = await push(
      validToken(),
      envelope(scrapeRequestedEvent(), 'analytics.scrape-requested-batch'),
      'analytics.scrape-requested-batch',
    );
    failNext = false;
    expect([ok.status, failed.status]).toEqual([204, 500]);
    expect(batches[0]).toEqual([handledEvent.id]);
    expect(batches.map((batch) => batch.length)).toEqual([1, 1]);
  });

  it('answers 404 for a subscription nobody handles and 400 for a body that is no push envelope', async () => {
    const unknown = await push(validToken(), envelope(scrapeRequestedEvent(), 'nobody'), 'nobody');
    expect(unknown.status).toBe(404);
    const notAnEnvelope = await push(validToken(), { hello: 'world' });
    expect(notAnEnvelope.status).toBe(400);
    const malformed = await request(app)
      .post('/pubsub/push/analytics.scrape-requested')
      .set('Authorization', `Bearer ${validToken()}`)
      .set('Content-Type', 'application/json')
      .send('{"message":');
    expect(malformed.status).toBe(400);
    expect(handled).toEqual([]);
  });
});

describe('Pub/Sub push delivery on the emulator', () => {
  reportMissingEmulator('push delivery');
  if (!emulatorAvailability.available) return;

  let emulator: PubSubEmulator;
  let server: Server;
  let baseUrl: string;
  let messaging: PubSubMessaging;
  let client: PubSub;
  const subscription = uniqueName('push-analytics');
  const deliveries = new Map<string, number>();
  const failFirstDeliveryOf = new Set<string>();

  beforeAll(async () => {
    emulator = testPubSubEmulator();
    client = new PubSub({
      projectId: emulator.projectId,
      apiEndpoint: emulator.host,
      emulatorMode: true,
    });
    const app = express();
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { logger } = captureLogger();
    messaging = createMessaging({
      transport: 'pubsub',
      projectId: emulator.projectId,
      emulatorHost: emulator.host,
      delivery: 'push',
      provision: true,
      pushEndpoint: baseUrl,
      logger,
      source: 'shelfwatch/analytics',
    });
    messaging.subscribe(
      'scrape.requested',
      async (event) => {
        const count = (deliveries.get(event.id) ?? 0) + 1;
        deliveries.set(event.id, count);
        if (failFirstDeliveryOf.has(event.id) && count === 1) throw new Error('first try fails');
      },
      { subscription, minBackoffSeconds: 0, maxBackoffSeconds: 0 },
    );
    app.use(messaging.pushRouter());
    await messaging.start();
  });
  afterAll(async () => {
    await messaging?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await client?.close();
    await emulator?.stop();
  });

  it('receives events the emulator pushes, and a 500 makes it push again', async () => {
    const ok = scrapeRequestedEvent();
    const flaky = scrapeRequestedEvent();
    failFirstDeliveryOf.add(flaky.id);
    await messaging.publish(ok);
    await messaging.publish(flaky);
    // The emulator leaves `deliveryAttempt` out of push bodies (real Pub/Sub sends it), so count.
    await eventually('the failed push to come again', () => deliveries.get(flaky.id) === 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deliveries.get(ok.id)).toBe(1);
    expect(deliveries.get(flaky.id)).toBe(2);
  });

  it('acks an invalid pushed payload after forwarding it to the dead-letter topic', async () => {
    const marker = newId();
    const deadLetters: Message[] = [];
    const reader = client.subscription('scrape-requested-dead-letter');
    reader.on('message', (message: Message) => {
      deadLetters.push(message);
      message.ack();
    });
    try {
      const response = await request(baseUrl)
        .post(`/pubsub/push/${subscription}`)
        .send(envelope({ id: marker, type: 'scrape.requested' }, subscription));
      expect(response.status).toBe(204);
      const letter = await eventually('the invalid message in the dead-letter topic', () =>
        deadLetters.find((message) => message.data.toString('utf8').includes(marker)),
      );
      expect(letter.attributes).toMatchObject({
        [deadLetterAttributes.sourceSubscription]: subscription,
        [deadLetterAttributes.reason]: 'invalid-payload',
      });
      expect(letter.attributes[deadLetterAttributes.error]).toMatch(
        /Invalid scrape\.requested event/,
      );
    } finally {
      await reader.close();
    }
  });
});
