import { createEvent, newId } from '@shelfwatch/contracts';
import { catalog, startDemoShop, type DemoShop } from '@shelfwatch/tools';
import { crashTransports, describeConsumerCrash } from './crash-scenario';
import { minuteOf as at } from './observations';

/*
 * kill -9 of the scraper at the halfway mark of a stream of scrape.requested, with analytics
 * beside it recording what it replies: every run takes effect exactly once within a minute of the
 * restart. A request redelivered after the crash is fetched again, but its reply carries the id
 * derived from the run (ADR 0006), so a run never gets two observations; counted as distinct
 * observation events per run in price_points.
 *
 * @long-running 55 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
const RUNS = 300;
let shop: DemoShop;
beforeAll(async () => {
  shop = await startDemoShop({ epochMs: 24 * 3_600_000 });
});
afterAll(async () => {
  await shop?.close();
});

const targets = catalog.map(() => newId());
const runs = Array.from({ length: RUNS }, () => newId());
const requestOfRun = new Map<string, string>();
const productUrl = (index: number) =>
  `${shop.url}/products/${catalog[index % catalog.length]!.slug}`;

describeConsumerCrash(
  {
    name: 'scraper (scrape.requested)',
    app: 'scraper',
    companions: ['analytics'],
    events: RUNS,
    env: {
      SCRAPER_ALLOW_HOSTS: '127.0.0.1',
      SCRAPER_HOST_MIN_DELAY_MS: '0',
      SCRAPER_HOST_CONCURRENCY: '8',
    },
    async seed(prisma) {
      await prisma.target.createMany({
        data: catalog.map((product, index) => ({
          id: targets[index]!,
          url: productUrl(index),
          host: '127.0.0.1',
          kind: 'product' as const,
          checkIntervalSeconds: 3600,
          status: 'active' as const,
        })),
      });
      await prisma.scrapeRun.createMany({
        data: runs.map((id, index) => ({
          id,
          targetId: targets[index % catalog.length]!,
          status: 'queued' as const,
        })),
      });
    },
    event(index) {
      const runId = runs[index]!;
      const event = createEvent(
        'scrape.requested',
        {
          runId,
          targetId: targets[index % catalog.length]!,
          url: productUrl(index),
          kind: 'product',
          requestedAt: at(index),
          attempt: 1,
        },
        { source: 'shelfwatch/faults', occurredAt: at(index) },
      );
      requestOfRun.set(runId, event.id);
      return event;
    },
    async effects(prisma) {
      // One observation per run; a second reply with another id would be a second event here.
      const rows = await prisma.$queryRaw<Array<{ run_id: string; n: bigint }>>`
        SELECT r.id::text AS run_id, count(DISTINCT p.source_event_id) AS n
        FROM scrape_runs r JOIN price_points p ON p.run_id = r.id
        WHERE r.status IN ('succeeded', 'failed')
        GROUP BY r.id`;
      return new Map(
        rows.map((row) => [requestOfRun.get(row.run_id) ?? `unknown:${row.run_id}`, Number(row.n)]),
      );
    },
  },
  [crashTransports.postgres, crashTransports.pubsubPull],
);
