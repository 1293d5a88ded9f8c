import { createEvent, newId } from '@shelfwatch/contracts';
import { crashTransports, describeConsumerCrash, FAULTS_SOURCE, tally } from './crash-scenario';
import { minuteOf as at } from './observations';

/*
 * kill -9 of the api at the halfway mark of a products.discovered stream, on Postgres and the
 * Pub/Sub emulator (pull): every event takes effect exactly once within a minute of the restart.
 *
 * @long-running 50 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
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
        { ...FAULTS_SOURCE, occurredAt: at(index) },
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
