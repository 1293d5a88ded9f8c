/** Inbox consumer names: one per handler, so each keeps its own record of processed events. */
export const consumers = {
  observationRecorded: 'analytics.observation-recorded',
  scrapeFailed: 'analytics.scrape-failed',
} as const;

/** `source` of the events analytics publishes. */
export const ANALYTICS_EVENT_SOURCE = 'shelfwatch/analytics';
