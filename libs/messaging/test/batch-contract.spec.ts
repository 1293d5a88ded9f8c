import { newId, topicFor, type EventOf } from '@shelfwatch/contracts';
import { emulatorAvailability, eventually, reportMissingEmulator } from '@shelfwatch/testing';
import type { BatchItemResult, Messaging } from '../src';
import { deadLetterTopicFor } from '../src';
import {
  startPostgresHarness,
  startPubSubHarness,
  transportUnderTest,
  uniqueName,
  type TransportHarness,
} from './support/transports';

type ScrapeRequested = EventOf<'scrape.requested'>;

const topic = topicFor('scrape.requested');
const deadLetterTopic = deadLetterTopicFor(topic);
const fast = { minBackoffSeconds: 0, maxBackoffSeconds: 0 };

function scrapeRequested() {
  return {
    runId: newId(),
    targetId: newId(),
    url: 'https://shop.example.com/p/42',
    kind: 'product' as const,
    requestedAt: new Date().toISOString(),
  };
}

const transports: Array<[string, () => Promise<TransportHarness>]> = [
  ['postgres (pg-boss on embedded PostgreSQL)', startPostgresHarness],
];
if (emulatorAvailability.available)
  transports.push(['pubsub streaming pull (the Pub/Sub emulator)', startPubSubHarness]);

/** Publishes `count` events in parallel rounds, so they are waiting together. */
async function publishMany(messaging: Messaging, count: number): Promise<ScrapeRequested[]> {
  const published: ScrapeRequested[] = [];
  for (let offset = 0; offset < count; offset += 50)
    published.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, count - offset) }, () =>
          messaging.publish('scrape.requested', scrapeRequested()),
        ),
      )),
    );
  return published;
}

describe('batch consumption (subscribeBatch)', () => {
  reportMissingEmulator('batch consumption');

  describe.each(transports)('over %s', (_name, startHarness) => {
    const transport = transportUnderTest(startHarness);
    const messaging = () => transport.messaging();

    it('hands waiting events over in batches of at most maxMessages, maxConcurrent batches at once', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('batch-sizes');
      const sizes: number[] = [];
      const seen: string[] = [];
      let running = 0;
      let peak = 0;
      let release!: () => void;
      const opened = new Promise<void>((resolve) => (release = resolve));
      consumer.subscribeBatch(
        'scrape.requested',
        async (items) => {
          // The first call waits until everything is published, so the rest is a backlog.
          await opened;
          running += 1;
          peak = Math.max(peak, running);
          sizes.push(items.length);
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push(...items.map((item) => item.event.id));
          running -= 1;
          return items.map((): BatchItemResult => ({ ok: true }));
        },
        { subscription, maxConcurrent: 2, batch: { maxMessages: 10, maxWaitMs: 20 }, ...fast },
      );
      await consumer.start();

      const published = await publishMany(consumer, 120);
      release();

      await eventually('every event handled', () => seen.length >= published.length, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([...seen].sort()).toEqual(published.map((event) => event.id).sort());
      expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
      expect(sizes.filter((size) => size > 1).length).toBeGreaterThan(0);
      expect(peak).toBeLessThanOrEqual(2);
    }, 90_000);

    it('retries only the event a batch handler reports failed; its batch-mates are acked once', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('batch-poison');
      const calls = new Map<string, number>();
      const attemptsOfPoison: number[] = [];
      const poison = { id: '' };
      let release!: () => void;
      const opened = new Promise<void>((resolve) => (release = resolve));
      consumer.subscribeBatch(
        'scrape.requested',
        async (items) => {
          await opened;
          return items.map((item): BatchItemResult => {
            calls.set(item.event.id, (calls.get(item.event.id) ?? 0) + 1);
            if (item.event.id !== poison.id) return { ok: true };
            attemptsOfPoison.push(item.context.attempt);
            return { ok: false, error: new Error('poison event') };
          });
        },
        {
          subscription,
          maxConcurrent: 1,
          maxAttempts: 5,
          batch: { maxMessages: 20, maxWaitMs: 50 },
          ...fast,
        },
      );
      await consumer.start();
      const published = await publishMany(consumer, 20);
      poison.id = published[7]!.id;
      release();

      const letter = await eventually(
        'the poison event in the dead-letter topic',
        async () =>
          (await transport.harness.deadLetters(deadLetterTopic)).find(
            (candidate) => (candidate.body as { id?: string }).id === poison.id,
          ),
        60_000,
      );
      expect(letter.sourceSubscription).toBe(subscription);
      expect(attemptsOfPoison).toEqual([1, 2, 3, 4, 5]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const event of published)
        expect([event.id, calls.get(event.id)]).toEqual([event.id, event.id === poison.id ? 5 : 1]);
    }, 90_000);

    it('dead-letters an invalid message of a batch without failing the valid ones', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('batch-invalid');
      const handled: string[] = [];
      consumer.subscribeBatch(
        'scrape.requested',
        async (items) => {
          handled.push(...items.map((item) => item.event.id));
          return items.map((): BatchItemResult => ({ ok: true }));
        },
        { subscription, batch: { maxMessages: 10, maxWaitMs: 100 }, ...fast },
      );
      await consumer.start();
      const marker = newId();
      await transport.harness.injectRaw(topic, {
        id: marker,
        type: 'scrape.requested',
        data: { x: 1 },
      });
      const valid = await publishMany(consumer, 5);

      const letter = await eventually('the invalid message dead-lettered', async () =>
        (await transport.harness.deadLetters(deadLetterTopic)).find(
          (candidate) => (candidate.body as { id?: string }).id === marker,
        ),
      );
      expect(letter).toMatchObject({ sourceSubscription: subscription, reason: 'invalid-payload' });
      await eventually('the valid events handled', () => handled.length >= valid.length);
      expect([...handled].sort()).toEqual(valid.map((event) => event.id).sort());
    });

    it('redelivers every event of a batch whose handler threw', async () => {
      const { messaging: consumer } = messaging();
      const subscription = uniqueName('batch-throws');
      const attempts = new Map<string, number[]>();
      const handled = new Set<string>();
      let failedCall: string[] | undefined;
      consumer.subscribeBatch(
        'scrape.requested',
        async (items) => {
          for (const { event, context } of items)
            attempts.set(event.id, [...(attempts.get(event.id) ?? []), context.attempt]);
          if (!failedCall) {
            failedCall = items.map((item) => item.event.id);
            throw new Error('database briefly unavailable');
          }
          for (const item of items) handled.add(item.event.id);
          return items.map((): BatchItemResult => ({ ok: true }));
        },
        { subscription, maxConcurrent: 1, batch: { maxMessages: 10, maxWaitMs: 200 }, ...fast },
      );
      await consumer.start();
      const published = await publishMany(consumer, 3);

      await eventually('every event handled', () =>
        published.every((event) => handled.has(event.id)),
      );
      expect(failedCall?.length).toBeGreaterThan(0);
      for (const id of failedCall ?? []) expect(attempts.get(id)).toEqual([1, 2]);
    });
  });
});
