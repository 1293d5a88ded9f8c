import { createEvent, newId } from '@shelfwatch/contracts';
import { crashTransports, describeConsumerCrash, FAULTS_SOURCE, tally } from './crash-scenario';
import { minuteOf as at } from './observations';

/*
 * kill -9 of analytics at the halfway mark of a scrape.failed stream, on Postgres and the Pub/Sub
 * emulator (pull): every event takes effect exactly once within a minute of the restart.
 *
 * @long-running 45 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
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
        { ...FAULTS_SOURCE, occurredAt: at(index) },
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
