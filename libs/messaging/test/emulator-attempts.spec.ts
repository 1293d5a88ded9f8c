import { newId, topicFor } from '@shelfwatch/contracts';
import { emulatorAvailability, eventually, reportMissingEmulator } from '@shelfwatch/testing';
import { deadLetterTopicFor, type Messaging } from '../src';
import { captureLogger } from './support/capture-logger';
import { startPubSubHarness, uniqueName, type TransportHarness } from './support/transports';

/*
 * On the emulator Pub/Sub's deliveryAttempt is not trusted (ADR 0023): the subscription allows
 * the maximum of deliveries, and the transport counts its handler's failures itself.
 */
const topic = topicFor('scrape.requested');
const deadLetterTopic = deadLetterTopicFor(topic);

describe('Pub/Sub transport with the emulator defaults', () => {
  reportMissingEmulator('the emulator attempt counting');
  if (!emulatorAvailability.available) return;

  let harness: TransportHarness;
  let consumer: Messaging;
  beforeAll(async () => {
    harness = await startPubSubHarness({ cloudPolicies: false });
  });
  afterAll(async () => {
    await consumer?.stop({ timeoutMs: 2_000 });
    await harness?.stop();
  });

  it('counts failed attempts in the process and dead-letters after maxAttempts of them', async () => {
    consumer = harness.messaging(captureLogger().logger);
    const subscription = uniqueName('emulator-attempts');
    const attempts: number[] = [];
    consumer.subscribe(
      'scrape.requested',
      async (_event, context) => {
        attempts.push(context.attempt);
        throw new Error('always broken');
      },
      { subscription, maxAttempts: 5 },
    );
    await consumer.start();
    expect(await harness.retrySettings(subscription)).toMatchObject({
      maxAttempts: 100,
      minBackoffSeconds: 0,
      maxBackoffSeconds: 0,
    });
    const published = await consumer.publish('scrape.requested', {
      runId: newId(),
      targetId: newId(),
      url: 'https://shop.example.com/p/1',
      kind: 'product',
      requestedAt: new Date().toISOString(),
    });

    const letter = await eventually('the event in the dead-letter topic', async () =>
      (await harness.deadLetters(deadLetterTopic)).find(
        (candidate) => (candidate.body as { id?: string }).id === published.id,
      ),
    );
    expect(letter).toMatchObject({ sourceSubscription: subscription, reason: 'max-attempts' });
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(attempts).toHaveLength(5);
  });
});
