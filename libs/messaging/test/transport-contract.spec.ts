import {
  InvalidEventError,
  createEvent,
  newId,
  topicFor,
  type EventOf,
} from '@shelfwatch/contracts';
import type { MessageContext } from '../src';
import { deadLetterTopicFor } from '../src';
import { emulatorAvailability, reportMissingEmulator, eventually } from '@shelfwatch/testing';
import {
  startPostgresHarness,
  startPubSubHarness,
  transportUnderTest,
  uniqueName,
  type TransportHarness,
} from './support/transports';

const topic = topicFor('scrape.requested');
const deadLetterTopic = deadLetterTopicFor(topic);
// Redeliveries without waiting: the backoff itself is the transport's job and not timed here.
const fast = { minBackoffSeconds: 0, maxBackoffSeconds: 0 };
// The flood case: a backlog a hundred times the concurrency limit.
const floodMaxConcurrent = 5;
const floodTotal = 500;

function scrapeRequested(overrides: Record<string, unknown> = {}) {
  return {
    runId: newId(),
    targetId: newId(),
    url: 'https://shop.example.com/p/42',
    kind: 'product' as const,
    requestedAt: new Date().toISOString(),
    ...overrides,
  };
}

const transports: Array<[string, () => Promise<TransportHarness>]> = [
  ['postgres (pg-boss on embedded PostgreSQL)', startPostgresHarness],
];
if (emulatorAvailability.available)
  transports.push(['pubsub (the Pub/Sub emulator)', startPubSubHarness]);

describe('the messaging transport contract', () => {
  reportMissingEmulator('the transport contract');

  describe.each(transports)('over %s', (_name, startHarness) => {
    const transport = transportUnderTest(startHarness);
    const messaging = () => transport.messaging();

    it('delivers a published event, typed and validated, to every subscription of its type', async () => {
      const { messaging: consumer } = messaging();
      const received: Array<{
        subscription: string;
        event: EventOf<'scrape.requested'>;
        context: MessageContext;
      }> = [];
      const first = uniqueName('contract-typed-a');
      const second = uniqueName('contract-typed-b');
      for (const subscription of [first, second]) {
        consumer.subscribe(
          'scrape.requested',
          async (event, context) => {
            // Typed: the payload's fields are known without a cast.
            const url: string = event.data.url;
            expect(url).toBe('https://shop.example.com/p/42');
            received.push({ subscription, event, context });
          },
          { subscription, ...fast },
        );
      }
      await consumer.start();
      expect(await consumer.health()).toMatchObject({
        ok: true,
        transport: transport.harness.name,
      });

      const published = await consumer.publish('scrape.requested', scrapeRequested(), {
        correlationId: 'contract-typed',
      });

      await eventually('both subscriptions to receive the event', () => received.length >= 2);
      expect(received.map((entry) => entry.subscription).sort()).toEqual([first, second].sort());
      for (const entry of received) {
        expect(entry.event).toEqual(published);
        expect(entry.context).toMatchObject({
          attempt: 1,
          maxAttempts: 5,
          subscription: entry.subscription,
        });
        expect(entry.context.messageId).toEqual(expect.any(String));
      }
      expect(published.source).toBe('shelfwatch/messaging-test');
    });

    it('refuses to publish a payload that does not match its schema', async () => {
      const { messaging: publisher } = messaging();
      await expect(
        publisher.publish('scrape.requested', scrapeRequested({ url: 'not a url' })),
      ).rejects.toBeInstanceOf(InvalidEventError);
      const forged = {
        ...createEvent('scrape.requested', scrapeRequested(), { source: 'test' }),
        data: { runId: 'x' },
      } as unknown as EventOf<'scrape.requested'>;
      await expect(publisher.publish(forged)).rejects.toThrow(/Invalid scrape\.requested event/);
    });

    it('holds the subscription with exponential retry backoff and a dead-letter policy', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('contract-policy');
      consumer.subscribe('scrape.requested', async () => undefined, {
        subscription,
        maxAttempts: 7,
        minBackoffSeconds: 3,
        maxBackoffSeconds: 120,
      });
      await consumer.start();
      expect(await transport.harness.retrySettings(subscription)).toEqual({
        maxAttempts: 7,
        minBackoffSeconds: 3,
        maxBackoffSeconds: 120,
        deadLetterTopic,
      });
    });

    it('redelivers an event whose handler failed, until it succeeds', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('contract-retry');
      const attempts: number[] = [];
      let handled: string | undefined;
      consumer.subscribe(
        'scrape.requested',
        async (event, context) => {
          attempts.push(context.attempt);
          if (attempts.length < 2) throw new Error('database briefly unavailable');
          handled = event.id;
        },
        { subscription, ...fast },
      );
      await consumer.start();
      const published = await consumer.publish('scrape.requested', scrapeRequested());

      await eventually('the second delivery to succeed', () => handled);
      expect(handled).toBe(published.id);
      expect(attempts).toEqual([1, 2]);
      const deadLetters = await transport.harness.deadLetters(deadLetterTopic);
      expect(deadLetters.filter((letter) => letter.sourceSubscription === subscription)).toEqual(
        [],
      );
    });

    it('dead-letters an event after the configured number of failed attempts', async () => {
      const { messaging: consumer, logs } = messaging();
      const subscription = uniqueName('contract-dead');
      const attempts: number[] = [];
      consumer.subscribe(
        'scrape.requested',
        async (_event, context) => {
          attempts.push(context.attempt);
          throw new Error('always broken');
        },
        { subscription, maxAttempts: 5, ...fast },
      );
      await consumer.start();
      const published = await consumer.publish('scrape.requested', scrapeRequested());

      const letter = await eventually('the event in the dead-letter topic', async () =>
        (await transport.harness.deadLetters(deadLetterTopic)).find(
          (candidate) => (candidate.body as { id?: string }).id === published.id,
        ),
      );
      expect(letter.sourceSubscription).toBe(subscription);
      expect(letter.body).toEqual(published);
      expect(attempts).toEqual([1, 2, 3, 4, 5]);
      // Nothing comes back after dead-lettering.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(attempts).toHaveLength(5);
      expect(
        logs.filter((entry) => entry.level === 'error' && entry.subscription === subscription),
      ).toHaveLength(1);
    });

    it('sends an invalid payload straight to the dead-letter path without calling the handler', async () => {
      const { messaging: consumer, logs } = messaging();
      const subscription = uniqueName('contract-invalid');
      const calls: string[] = [];
      consumer.subscribe('scrape.requested', async (event) => void calls.push(event.id), {
        subscription,
        ...fast,
      });
      await consumer.start();
      const marker = newId();
      await transport.harness.injectRaw(topic, {
        id: marker,
        type: 'scrape.requested',
        data: { nonsense: true },
      });
      // A valid event published after it still goes through.
      const valid = await consumer.publish('scrape.requested', scrapeRequested());

      const letter = await eventually('the invalid message in the dead-letter topic', async () =>
        (await transport.harness.deadLetters(deadLetterTopic)).find(
          (candidate) => (candidate.body as { id?: string }).id === marker,
        ),
      );
      expect(letter).toMatchObject({ sourceSubscription: subscription, reason: 'invalid-payload' });
      await eventually('the valid event to be handled', () => calls.includes(valid.id));
      expect(calls).toEqual([valid.id]);
      const warning = logs.find((entry) =>
        entry.message.includes('does not match its event schema'),
      );
      expect(warning).toMatchObject({ level: 'warn', subscription });
      expect(String(warning?.error)).toMatch(/Invalid scrape\.requested event/);
      expect((await consumer.health()).ok).toBe(true);
    });

    it(`never runs more handlers at once than maxConcurrent under a flood of ${floodTotal} events (${floodTotal / floodMaxConcurrent} × the limit)`, async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('contract-flood');
      const maxConcurrent = floodMaxConcurrent;
      const seen = new Set<string>();
      let running = 0;
      let peak = 0;
      consumer.subscribe(
        'scrape.requested',
        async (event) => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          seen.add(event.id);
          running -= 1;
        },
        { subscription, maxConcurrent, ...fast },
      );
      await consumer.start();

      const total = floodTotal;
      for (let offset = 0; offset < total; offset += 200) {
        await Promise.all(
          Array.from({ length: Math.min(200, total - offset) }, () =>
            consumer.publish('scrape.requested', scrapeRequested()),
          ),
        );
      }
      await eventually(`all ${total} events to be handled`, () => seen.size >= total, 180_000);
      expect(seen.size).toBe(total);
      expect(peak).toBeLessThanOrEqual(maxConcurrent);
      expect(peak).toBeGreaterThan(1);
    }, 240_000);

    it('keeps handling other events while one handler is slow', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('contract-slow-slot');
      const slowUrl = 'https://slow-shop.example.com/p/1';
      let releaseSlow!: () => void;
      const slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));
      let slowStarted!: () => void;
      const slowHandlerStarted = new Promise<void>((resolve) => (slowStarted = resolve));
      let slowFinished = false;
      const fastHandled = new Set<string>();
      consumer.subscribe(
        'scrape.requested',
        async (event) => {
          if (event.data.url === slowUrl) {
            slowStarted();
            await slowReleased;
            slowFinished = true;
          } else fastHandled.add(event.id);
        },
        { subscription, maxConcurrent: 3, ...fast },
      );
      await consumer.start();
      await consumer.publish('scrape.requested', scrapeRequested({ url: slowUrl }));
      await slowHandlerStarted;

      const others = 30;
      for (let index = 0; index < others; index++)
        await consumer.publish('scrape.requested', scrapeRequested());
      try {
        await eventually(
          `the ${others} other events to be handled beside the slow one`,
          () => fastHandled.size >= others,
          30_000,
        );
      } finally {
        releaseSlow();
      }
      await eventually('the slow handler to finish', () => slowFinished);
    });

    it('lets in-flight handlers finish before stop() resolves', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('contract-drain');
      const timeline: string[] = [];
      let started!: () => void;
      const handlerStarted = new Promise<void>((resolve) => (started = resolve));
      consumer.subscribe(
        'scrape.requested',
        async () => {
          timeline.push('handler started');
          started();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          timeline.push('handler finished');
        },
        { subscription, ...fast },
      );
      await consumer.start();
      await consumer.publish('scrape.requested', scrapeRequested());
      await handlerStarted;

      await consumer.stop({ timeoutMs: 5_000 });
      timeline.push('stopped');
      expect(timeline).toEqual(['handler started', 'handler finished', 'stopped']);
      expect(await consumer.health()).toMatchObject({ ok: false });
    });
  });
});
