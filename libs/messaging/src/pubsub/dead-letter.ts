import type { PubSub } from '@google-cloud/pubsub';
import type { DeadLetterReason } from '../dispatch';

/** Attribute names Pub/Sub itself sets on messages it dead-letters, plus ours for the reason. */
export const deadLetterAttributes = {
  sourceSubscription: 'CloudPubSubDeadLetterSourceSubscription',
  reason: 'deadLetterReason',
  error: 'deadLetterError',
} as const;

export interface DeadLetter {
  deadLetterTopic: string;
  subscription: string;
  data: Buffer;
  attributes: Record<string, string>;
  reason: DeadLetterReason;
  error: string;
}

/**
 * Forwards a message we refuse to handle to the dead-letter topic ourselves, in the shape Pub/Sub
 * uses when it gives up after the maximum delivery attempts, so one consumer reads both.
 */
export async function publishDeadLetter(pubsub: PubSub, letter: DeadLetter): Promise<void> {
  await pubsub.topic(letter.deadLetterTopic).publishMessage({
    data: letter.data,
    attributes: {
      ...letter.attributes,
      [deadLetterAttributes.sourceSubscription]: letter.subscription,
      [deadLetterAttributes.reason]: letter.reason,
      // Attribute values are limited to 1024 bytes.
      [deadLetterAttributes.error]: Buffer.from(letter.error).subarray(0, 1000).toString('utf8'),
    },
  });
}
