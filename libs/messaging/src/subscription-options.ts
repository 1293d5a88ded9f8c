import { topicFor, type EventType } from '@shelfwatch/contracts';
import type { BatchOptions, SubscribeOptions } from './messaging';

export interface ResolvedSubscription {
  eventType: EventType;
  topic: string;
  subscription: string;
  deadLetterTopic: string;
  maxAttempts: number;
  minBackoffSeconds: number;
  maxBackoffSeconds: number;
  maxConcurrent: number;
  maxOutstandingBytes: number;
  handlerTimeoutSeconds: number;
}

export const subscriptionDefaults = {
  maxAttempts: 5,
  minBackoffSeconds: 10,
  maxBackoffSeconds: 600,
  maxConcurrent: 10,
  maxOutstandingBytes: 10 * 1024 * 1024,
  handlerTimeoutSeconds: 600,
} as const;

/**
 * How long a pulled message stays leased before its subscriber must renew the lease: the bound on
 * how long a killed subscriber keeps its messages from everyone else. 10 s is Pub/Sub's minimum;
 * side by side on the emulator it brought a killed subscriber's messages back in 25-33 s where
 * 15 s took 68 s and over 90 s (ADR 0028).
 */
export const PULL_LEASE_SECONDS = 10;

// The intersection of Pub/Sub's subscription/topic names and pg-boss's queue names.
const NAME = /^[A-Za-z][A-Za-z0-9._-]{2,199}$/;

/** The dead-letter topic (Pub/Sub) or queue (Postgres) of a topic, unless a subscription names its own. */
export function deadLetterTopicFor(topic: string): string {
  return `${topic}-dead-letter`;
}

/** Fills in defaults and rejects options a transport would refuse later, naming every bad one. */
export function resolveSubscription(
  eventType: EventType,
  options: SubscribeOptions,
): ResolvedSubscription {
  const topic = topicFor(eventType);
  const resolved: ResolvedSubscription = {
    eventType,
    topic,
    subscription: options.subscription,
    deadLetterTopic: options.deadLetterTopic ?? deadLetterTopicFor(topic),
    maxAttempts: options.maxAttempts ?? subscriptionDefaults.maxAttempts,
    minBackoffSeconds: options.minBackoffSeconds ?? subscriptionDefaults.minBackoffSeconds,
    maxBackoffSeconds: options.maxBackoffSeconds ?? subscriptionDefaults.maxBackoffSeconds,
    maxConcurrent: options.maxConcurrent ?? subscriptionDefaults.maxConcurrent,
    maxOutstandingBytes: options.maxOutstandingBytes ?? subscriptionDefaults.maxOutstandingBytes,
    handlerTimeoutSeconds:
      options.handlerTimeoutSeconds ?? subscriptionDefaults.handlerTimeoutSeconds,
  };
  const problems: string[] = [];
  if (!NAME.test(resolved.subscription))
    problems.push(
      `subscription "${resolved.subscription}" must start with a letter and hold 3 to 200 letters, digits, ".", "_" or "-"`,
    );
  if (!NAME.test(resolved.deadLetterTopic))
    problems.push(`deadLetterTopic "${resolved.deadLetterTopic}" is not a valid name`);
  if (resolved.deadLetterTopic === topic)
    problems.push('deadLetterTopic must differ from the topic it collects from');
  const integer = (name: keyof ResolvedSubscription, min: number, max: number) => {
    const value = resolved[name] as number;
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  };
  integer('maxAttempts', 5, 100);
  integer('minBackoffSeconds', 0, 600);
  integer('maxBackoffSeconds', 0, 600);
  integer('maxConcurrent', 1, 1000);
  integer('maxOutstandingBytes', 1024, 1024 ** 3);
  integer('handlerTimeoutSeconds', 10, 3600);
  if (resolved.maxBackoffSeconds < resolved.minBackoffSeconds)
    problems.push('maxBackoffSeconds must not be below minBackoffSeconds');
  if (problems.length > 0)
    throw new Error(`Invalid subscription to ${eventType}: ${problems.join('; ')}`);
  return resolved;
}

export interface ResolvedBatch {
  maxMessages: number;
  maxWaitMs: number;
}

export const batchDefaults: ResolvedBatch = { maxMessages: 50, maxWaitMs: 5 };

/** Fills in batch defaults and rejects limits out of range, naming every bad one. */
export function resolveBatch(eventType: EventType, options: BatchOptions = {}): ResolvedBatch {
  const resolved: ResolvedBatch = {
    maxMessages: options.maxMessages ?? batchDefaults.maxMessages,
    maxWaitMs: options.maxWaitMs ?? batchDefaults.maxWaitMs,
  };
  const problems: string[] = [];
  if (
    !Number.isInteger(resolved.maxMessages) ||
    resolved.maxMessages < 1 ||
    resolved.maxMessages > 1000
  )
    problems.push(
      `batch.maxMessages must be a whole number from 1 to 1000, got ${resolved.maxMessages}`,
    );
  if (!Number.isInteger(resolved.maxWaitMs) || resolved.maxWaitMs < 0 || resolved.maxWaitMs > 1000)
    problems.push(
      `batch.maxWaitMs must be a whole number from 0 to 1000, got ${resolved.maxWaitMs}`,
    );
  if (problems.length > 0)
    throw new Error(`Invalid subscription to ${eventType}: ${problems.join('; ')}`);
  return resolved;
}
