/** Inbox consumer names: one per handler, so each keeps its own record of processed events. */
export const consumers = {
  observationRecorded: 'analytics.observation-recorded',
  scrapeFailed: 'analytics.scrape-failed',
} as const;

/** `source` of the events analytics publishes. */
export const ANALYTICS_EVENT_SOURCE = 'shelfwatch/analytics';

/** This app's rows in the outbox (`outbox_events.publisher`): analytics writes and relays only these. */
export const ANALYTICS_OUTBOX_PUBLISHER = 'analytics';
