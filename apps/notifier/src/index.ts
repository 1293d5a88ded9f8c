export { createApp, type NotifierDeps } from './app';
export { notifierChannels, retryPolicyOf } from './channels';
export { notifierConfigSchema, type NotifierConfig } from './config';
export type { AlertChannel, AttemptResult, PreparedMessage, Recipient } from './delivery/channel';
export {
  NOTIFIER_EVENT_SOURCE,
  subscribeNotifier,
  subscriptions,
  type DeliveryRetryPolicy,
  type NotifierHandlerDeps,
} from './subscriptions';
