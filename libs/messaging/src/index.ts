export type {
  BatchEventHandler,
  BatchItem,
  BatchItemResult,
  BatchOptions,
  BatchSubscribeOptions,
  EventHandler,
  MessageContext,
  Messaging,
  MessagingHealth,
  PublishOptions,
  StopOptions,
  SubscribeOptions,
  TransportName,
} from './messaging';
export { NonRetryableError, type DeadLetterReason } from './dispatch';
export { batchDefaults, deadLetterTopicFor, subscriptionDefaults } from './subscription-options';
export {
  createMessaging,
  isPubSubMessaging,
  messagingFromEnv,
  messagingOptionsFromEnv,
  type MessagingFromEnvOptions,
  type MessagingOptions,
} from './create-messaging';
export {
  createPubSubMessaging,
  type PubSubMessaging,
  type PubSubMessagingOptions,
} from './pubsub/pubsub-messaging';
export {
  createPostgresMessaging,
  type PostgresMessaging,
  type PostgresMessagingOptions,
} from './postgres/postgres-messaging';
export {
  PUSH_PATH,
  createPushRouter,
  decodePushEnvelope,
  type PushReceiver,
  type PushResult,
  type PushRouterOptions,
  type PushedMessage,
} from './pubsub/push-router';
export {
  createPushTokenVerifier,
  type PushAuthOptions,
  type PushAuthResult,
  type SigningCertificates,
} from './pubsub/push-auth';
export { deadLetterAttributes } from './pubsub/dead-letter';
export { messagingReadiness, outboxRelayReadiness, pushRoutes } from './service-wiring';
export {
  createOutboxRelay,
  type OutboxRecord,
  type OutboxRelay,
  type OutboxRelayOptions,
  type OutboxSource,
} from './outbox-relay';
