import {
  batchDefaults,
  resolveBatch,
  deadLetterTopicFor,
  resolveSubscription,
  subscriptionDefaults,
} from './subscription-options';

describe('resolveSubscription', () => {
  it('fills in the defaults and derives the topic and dead-letter topic from the event type', () => {
    expect(
      resolveSubscription('observation.recorded', { subscription: 'analytics.observations' }),
    ).toEqual({
      eventType: 'observation.recorded',
      topic: 'observation-recorded',
      subscription: 'analytics.observations',
      deadLetterTopic: 'observation-recorded-dead-letter',
      ...subscriptionDefaults,
    });
    expect(deadLetterTopicFor('price-changed')).toBe('price-changed-dead-letter');
  });

  it('keeps explicit settings', () => {
    const resolved = resolveSubscription('price.changed', {
      subscription: 'api.price-changed',
      maxAttempts: 20,
      minBackoffSeconds: 0,
      maxBackoffSeconds: 0,
      maxConcurrent: 1,
      deadLetterTopic: 'alerts-dead-letter',
    });
    expect(resolved).toMatchObject({
      maxAttempts: 20,
      minBackoffSeconds: 0,
      maxBackoffSeconds: 0,
      maxConcurrent: 1,
      deadLetterTopic: 'alerts-dead-letter',
    });
  });

  it('names every option a transport would refuse', () => {
    expect(() =>
      resolveSubscription('scrape.requested', {
        subscription: '9 bad name',
        maxAttempts: 3,
        minBackoffSeconds: 30,
        maxBackoffSeconds: 10,
        maxConcurrent: 0,
        deadLetterTopic: 'scrape-requested',
      }),
    ).toThrow(
      /subscription "9 bad name" must start with a letter.*deadLetterTopic must differ.*maxAttempts must be a whole number from 5 to 100, got 3.*maxConcurrent must be a whole number from 1 to 1000, got 0.*maxBackoffSeconds must not be below minBackoffSeconds/,
    );
    expect(() =>
      resolveSubscription('scrape.requested', {
        subscription: 'scraper.requests',
        minBackoffSeconds: 1.5,
      }),
    ).toThrow(/minBackoffSeconds must be a whole number/);
  });
});

describe('resolveBatch', () => {
  it('fills in the defaults and keeps limits in range', () => {
    expect(resolveBatch('observation.recorded')).toEqual(batchDefaults);
    expect(resolveBatch('observation.recorded', { maxMessages: 200, maxWaitMs: 0 })).toEqual({
      maxMessages: 200,
      maxWaitMs: 0,
    });
  });

  it('names every limit out of range', () => {
    expect(() =>
      resolveBatch('observation.recorded', { maxMessages: 0, maxWaitMs: 5_000 }),
    ).toThrow(
      /batch\.maxMessages must be a whole number from 1 to 1000, got 0; batch\.maxWaitMs must be a whole number from 0 to 1000, got 5000/,
    );
  });
});
