/**
 * The api's DTOs as the dashboard uses them, named from the types generated from the OpenAPI
 * document (src/generated/api.ts, `nx run web:api-types`): nothing here is written by hand.
 */
import type { components, paths } from '../generated/api';

export type { paths };
type Schemas = components['schemas'];

export type Watch = Schemas['Watch'];
export type WatchHealth = Schemas['WatchHealth'];
export type AlertRules = Schemas['AlertRules'];
export type Product = Schemas['Product'];
export type PricePoint = Schemas['PricePoint'];
export type Alert = Schemas['Alert'];
export type AlertKind = Schemas['AlertKind'];
export type Availability = Schemas['Availability'];
export type Money = Schemas['Money'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyScope = Schemas['ApiKeyScope'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type Session = Schemas['Session'];
export type Problem = Schemas['Problem'];
export type CreateWatchRequest = Schemas['CreateWatchRequest'];
export type UpdateWatchRequest = Schemas['UpdateWatchRequest'];
export type Webhook = Schemas['Webhook'];
export type CreatedWebhook = Schemas['CreatedWebhook'];
export type WebhookDeliveryAttempt = Schemas['WebhookDeliveryAttempt'];
export type EmailRecipient = Schemas['EmailRecipient'];
