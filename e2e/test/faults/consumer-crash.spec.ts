import { crashTransports, describeConsumerCrash } from './crash-scenario';
import { observationEvent, pricePointsByEvent } from './observations';

/*
 * kill -9 of analytics at the halfway mark of its observation stream, on both transports (the
 * Pub/Sub emulator through pull and push): every event takes effect exactly once within a minute
 * of the restart, one price point per observation. The other consumers' crashes are in
 * scrape-failed-crash and discovery-crash (one file per consumer, so they run side by side).
 *
 * @long-running 100 (about the seconds it takes alone: the suites' order, ADR 0035)
 */
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
