import { createEvent, type AnyEvent } from '@shelfwatch/contracts';
import { createLogger } from '@shelfwatch/logging';
import { eventually } from '@shelfwatch/testing';
import { createOutboxRelay, type OutboxRecord, type OutboxSource } from './outbox-relay';

const logger = createLogger({ service: 'relay-spec', level: 'error' });

/** An outbox in memory: relayBatch hands out unpublished records in order, as the SQL store does. */
function memoryOutbox(count: number) {
  const records: Array<OutboxRecord & { published: boolean }> = Array.from(
    { length: count },
    (_, index) => {
      const event = createEvent(
        'scrape.failed',
        {
          runId: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8d',
          targetId: '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8e',
          url: `https://shop.example.com/p/${index}`,
          failedAt: new Date(0).toISOString(),
          errorClass: 'timeout',
          retryable: true,
          message: 'timed out',
        },
        { source: 'shelfwatch/spec' },
      );
      return { eventId: event.id, eventType: event.type, payload: event, published: false };
    },
  );
  let passes = 0;
  const source: OutboxSource = {
    async relayBatch(limit, publish) {
      passes++;
      const batch = records.filter((record) => !record.published).slice(0, limit);
      const outcomes = await publish(batch);
      for (const outcome of outcomes)
        if (outcome.error === undefined)
          records.find((record) => record.eventId === outcome.eventId)!.published = true;
      return batch.length;
    },
  };
  return { records, source, passes: () => passes };
}

describe('createOutboxRelay', () => {
  it('drains full batches one after another, and runs again when woken without waiting for the poll', async () => {
    const outbox = memoryOutbox(25);
    const sent: string[] = [];
    const relay = createOutboxRelay({
      source: outbox.source,
      messaging: {
        publish: (async (event: AnyEvent) => {
          sent.push(event.id);
          return event;
        }) as never,
      },
      logger,
      batchSize: 10,
      pollIntervalMs: 3_600_000,
    });

    relay.start();
    await eventually('the first pass', async () => (sent.length >= 25 ? true : undefined));
    // 10 + 10 + 5: the short batch ends the pass.
    expect(sent).toHaveLength(25);
    expect(outbox.passes()).toBe(3);

    relay.wake();
    await eventually('a pass on wake', async () => (outbox.passes() >= 4 ? true : undefined));
    await relay.stop();
    relay.wake();
    await new Promise((settle) => setTimeout(settle, 50));
    expect(outbox.passes()).toBe(4);
    expect(new Set(sent)).toEqual(new Set(outbox.records.map((record) => record.eventId)));
  });

  it('reports a failed publish to the store and stays ready; a failing store makes it unready', async () => {
    const outbox = memoryOutbox(2);
    const relay = createOutboxRelay({
      source: outbox.source,
      messaging: {
        publish: (async () => {
          throw new Error('transport down');
        }) as never,
      },
      logger,
      pollIntervalMs: 3_600_000,
    });
    relay.start();
    await eventually('a pass', async () => (outbox.passes() >= 1 ? true : undefined));
    expect(outbox.records.every((record) => !record.published)).toBe(true);
    expect(relay.health().ok).toBe(true);
    await relay.stop();

    const broken = createOutboxRelay({
      source: {
        relayBatch: async () => {
          throw new Error('connection refused');
        },
      },
      messaging: { publish: (async () => undefined) as never },
      logger,
      pollIntervalMs: 3_600_000,
    });
    broken.start();
    await eventually('the failed pass', async () => (broken.health().ok ? undefined : true));
    expect(broken.health()).toEqual({ ok: false, detail: 'outbox relay: connection refused' });
    await broken.stop();
  });
});
