export { createApp, type NotifierDeps } from './app';
export { notifierConfigSchema, type NotifierConfig } from './config';
export { NOTIFIER_EVENT_SOURCE, subscribeNotifier, subscriptions } from './subscriptions';
