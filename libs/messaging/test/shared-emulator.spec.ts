import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import {
  emulatorAvailability,
  eventually,
  reportMissingEmulator,
  testPubSubEmulator,
} from '@shelfwatch/testing';
import { uniqueName } from './support/transports';

/*
 * The files of this suite share one emulator (test/global-setup.ts), each on a project of its
 * own: the same topic and subscription names in two projects must stay two separate queues.
 */
describe('test files sharing the run’s Pub/Sub emulator', () => {
  reportMissingEmulator('the shared emulator isolation');
  if (!emulatorAvailability.available) return;

  const clients: PubSub[] = [];
  const subscriptions: Subscription[] = [];
  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await Promise.all(clients.map((client) => client.close()));
  });

  it('keeps topics and subscriptions of the same name in two files’ projects apart', async () => {
    const [first, second] = [testPubSubEmulator(), testPubSubEmulator()];
    expect(first.host).toBe(second.host);
    expect(first.projectId).not.toBe(second.projectId);

    const topicName = uniqueName('shared-topic');
    const subscriptionName = uniqueName('shared-subscription');
    const received = new Map<string, string[]>();
    for (const emulator of [first, second]) {
      const client = new PubSub({
        projectId: emulator.projectId,
        apiEndpoint: emulator.host,
        emulatorMode: true,
      });
      clients.push(client);
      const [topic] = await client.createTopic(topicName);
      const [subscription] = await topic.createSubscription(subscriptionName);
      subscriptions.push(subscription);
      const seen: string[] = [];
      received.set(emulator.projectId, seen);
      subscription.on('message', (message: Message) => {
        seen.push(message.data.toString('utf8'));
        message.ack();
      });
      subscription.on('error', () => undefined);
    }

    await clients[0]!.topic(topicName).publishMessage({ data: Buffer.from('for the first') });
    await eventually('the first project to receive its message', () =>
      (received.get(first.projectId) ?? []).includes('for the first'),
    );
    // A message for the second project would have come through the same emulator by now.
    await clients[1]!.topic(topicName).publishMessage({ data: Buffer.from('for the second') });
    await eventually('the second project to receive its message', () =>
      (received.get(second.projectId) ?? []).includes('for the second'),
    );
    expect(received.get(first.projectId)).toEqual(['for the first']);
    expect(received.get(second.projectId)).toEqual(['for the second']);
  });
});
