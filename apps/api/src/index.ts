export { createApp, type ApiDeps } from './app';
export { apiConfigSchema, type ApiConfig } from './config';
export {
  PRODUCTS_DISCOVERED_CONSUMER,
  handleProductsDiscovered,
  type ProductsDiscoveredOptions,
  type ProductsDiscoveredOutcome,
} from './discovery/handle-products-discovered';
export { subscribeDiscovery } from './discovery/subscribe-discovery';
export {
  createSchedulerTick,
  startSchedulerTimer,
  type SchedulerOptions,
  type SchedulerTick,
  type SchedulerTimer,
  type TickResult,
} from './scheduling/scheduler';
export { API_EVENT_SOURCE, API_OUTBOX_PUBLISHER, type OutboxWaker } from './outbox/api-outbox';
export type { TickAuthorizer } from './scheduling/scheduler-router';
