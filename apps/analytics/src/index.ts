export { createApp, type AnalyticsDeps } from './app';
export { analyticsConfigSchema, type AnalyticsConfig } from './config';
export { ANALYTICS_EVENT_SOURCE, consumers } from './consumers';
export {
  handleObservationRecorded,
  type ObservationHandlerOptions,
  type ObservationOutcome,
} from './observations/handle-observation-recorded';
export {
  handleObservationBatch,
  type ObservationBatchOptions,
  type ObservationBatchResult,
} from './observations/handle-observation-batch';
export {
  anyChange,
  detectChanges,
  type AlertThresholds,
  type ChangeKind,
  type DetectedChange,
  type ObservedState,
} from './observations/change-detection';
export { productIdentity, type ProductIdentity } from './observations/product-identity';
export {
  DEFAULT_GONE_THRESHOLD,
  handleScrapeFailed,
  type ScrapeFailedOptions,
  type ScrapeFailedOutcome,
} from './health/handle-scrape-failed';
export { subscribeAnalytics, type AnalyticsSubscriptionOptions } from './subscriptions';
