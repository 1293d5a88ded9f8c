import { createEvent, newId } from '@shelfwatch/contracts';
import { crashTransports, describeConsumerCrash } from './crash-scenario';
import { minuteOf as at, observationEvent, pricePointsByEvent } from './observations';

/*
 * kill -9 of each consumer at the halfway mark of its stream, on both transports (the Pub/Sub
 * emulator through pull and, for analytics, push as well): every event takes effect exactly once
 * within a minute of the restart. Effects are counted where a repeat would show: one price point
 * per observation, one failure in a target's streak per scrape.failed, one target per
 * discovered URL.
 */
const SOURCE = { source: 'shelfwatch/faults' };

/** Effects per event id from rows keyed by what an event changed (its id, target or URL). */
function tally(
  rows: Array<{ key: string; n: bigint | number }>,
  eventIdOf: (key: string) => string | undefined,
): Map<string, number> {
  const effects = new Map<string, number>();
  for (const row of rows) {
    const id = eventIdOf(row.key) ?? `unknown:${row.key}`;
    effects.set(id, (effects.get(id) ?? 0) + Number(row.n));
  }
  return effects;
}

describeConsumerCrash(
  {
    name: 'analytics (observation.recorded)',
    app: 'analytics',
    events: 2_000,
    env: { ANALYTICS_MAX_CONCURRENT: '10' },
    event: observationEvent,
    effects: pricePointsByEvent,
  },
  [crashTransports.postgres, crashTransports.pubsubPull, crashTransports.pubsubPush],
);

// One target per scrape.failed: a repeat would make its failure streak 2.
const failingTargets = Array.from({ length: 600 }, () => newId());
const failureEventOfTarget = new Map<string, string>();
describeConsumerCrash(
  {
    name: 'analytics (scrape.failed)',
    app: 'analytics',
    events: failingTargets.length,
    env: { ANALYTICS_MAX_CONCURRENT: '10' },
    async seed(prisma) {
      await prisma.target.createMany({
        data: failingTargets.map((id, index) => ({
          id,
          url: `http://127.0.0.1:1/failing/${index}`,
          host: '127.0.0.1',
          kind: 'product' as const,
          checkIntervalSeconds: 3600,
          status: 'active' as const,
        })),
      });
    },
    event(index) {
      const targetId = failingTargets[index]!;
      const event = createEvent(
        'scrape.failed',
        {
          runId: newId(),
          targetId,
          url: `http://127.0.0.1:1/failing/${index}`,
          failedAt: at(index),
          errorClass: 'connect',
          retryable: true,
          message: 'connection refused',
        },
        { ...SOURCE, occurredAt: at(index) },
      );
      failureEventOfTarget.set(targetId, event.id);
      return event;
    },
    async effects(prisma) {
      const rows = await prisma.$queryRaw<Array<{ key: string; n: number }>>`
        SELECT target_id::text AS key, consecutive_failures AS n FROM target_health
        WHERE consecutive_failures > 0`;
      return tally(rows, (key) => failureEventOfTarget.get(key));
    },
  },
  [crashTransports.postgres, crashTransports.pubsubPull],
);

// One new product URL per products.discovered; the (url, kind) key would also absorb a repeat,
// so the inbox is counted beside the targets.
const listingId = newId();
const discoveryEventOfUrl = new Map<string, string>();
describeConsumerCrash(
  {
    name: 'api (products.discovered)',
    app: 'api',
    events: 400,
    async seed(prisma) {
      await prisma.target.create({
        data: {
          id: listingId,
          url: 'http://127.0.0.1:1/listing',
          host: '127.0.0.1',
          kind: 'listing',
          checkIntervalSeconds: 3600,
          status: 'active',
        },
      });
    },
    event(index) {
      const url = `http://127.0.0.1:1/discovered/${index}`;
      const event = createEvent(
        'products.discovered',
        { runId: newId(), sourceTargetId: listingId, discoveredAt: at(index), urls: [url] },
        { ...SOURCE, occurredAt: at(index) },
      );
      discoveryEventOfUrl.set(url, event.id);
      return event;
    },
    async effects(prisma) {
      const targets = await prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
        SELECT url AS key, count(*) AS n FROM targets WHERE kind = 'product' GROUP BY url`;
      const inbox = await prisma.$queryRaw<Array<{ key: string; n: bigint }>>`
        SELECT event_id::text AS key, count(*) AS n FROM processed_events
        WHERE consumer = 'api.products-discovered' GROUP BY event_id`;
      const effects = tally(targets, (key) => discoveryEventOfUrl.get(key));
      // Applied means both: the target exists and the inbox recorded the event once.
      for (const [id, n] of tally(inbox, (key) => key))
        if (effects.has(id)) effects.set(id, Math.max(effects.get(id)!, n));
      return effects;
    },
  },
  [crashTransports.postgres, crashTransports.pubsubPull],
);
