import { z } from 'zod';
import { AlertKindSchema } from './alert-kind';
import { AlertRaisedSchema } from './events/alert-raised';
import { IdSchema, derivedId } from './ids';
import {
  nextPageTokenField,
  pageSizeParameter,
  pageTokenParameter,
  unknownQueryParameters,
} from './read/list-query';
import { TimestampSchema } from './time';
import { unknownFieldsError } from './unknown-fields';
import { HttpUrlSchema } from './url';

/**
 * Standard Webhooks' `webhook-id` of an event at one endpoint: derived, so every retry, every
 * redelivery of the event and a resend carry the same one, and receivers deduplicate on it.
 */
export function webhookIdOf(eventId: string, endpointId: string): string {
  return `msg_${derivedId(eventId, `webhook:${endpointId}`)}`;
}

/** How long the replaced secret keeps signing after a rotation unless the request says otherwise. */
export const DEFAULT_SECRET_GRACE_SECONDS = 24 * 3600;
export const MAX_SECRET_GRACE_SECONDS = 7 * 24 * 3600;

const WebhookUrlSchema = HttpUrlSchema.meta({
  description:
    'Where deliveries are POSTed: https, and a public address (loopback, private, link-local and metadata addresses are refused, at creation and at every connection). Redirects are not followed.',
  example: 'https://hooks.example.com/shelfwatch',
});

const kinds = z
  .array(AlertKindSchema, { error: 'must be an array of alert kinds' })
  .min(1, { error: 'must name at least one kind' })
  .refine((list) => new Set(list).size === list.length, { error: 'must not repeat a kind' })
  .meta({ description: 'The alert kinds delivered; all of them when absent.' });

const WebhookLabelSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' });

const filterFields = {
  watchId: IdSchema.nullable().meta({
    description: 'Only alerts of this watch (one of yours); null: every watch.',
  }),
  label: WebhookLabelSchema.nullable().meta({
    description: 'Only alerts of watches carrying this label; null: any.',
  }),
};

export const CreateWebhookRequestSchema = z
  .strictObject(
    {
      url: WebhookUrlSchema,
      kinds: kinds.default([...AlertKindSchema.options]),
      watchId: filterFields.watchId.default(null),
      label: filterFields.label.default(null),
    },
    { error: unknownFieldsError() },
  )
  .meta({
    id: 'CreateWebhookRequest',
    description: 'An endpoint to deliver alerts to, with optional filters.',
    example: { url: 'https://hooks.example.com/shelfwatch', kinds: ['price_drop'] },
  });

export const UpdateWebhookRequestSchema = z
  .strictObject(
    {
      url: WebhookUrlSchema.optional(),
      kinds: kinds.optional(),
      watchId: filterFields.watchId.optional(),
      label: filterFields.label.optional(),
      enabled: z.boolean({ error: 'must be true or false' }).optional().meta({
        description:
          'false pauses deliveries; true resumes them (also after an automatic disable).',
      }),
    },
    { error: unknownFieldsError() },
  )
  .refine((update) => Object.keys(update).length > 0, {
    error: 'must contain at least one of: url, kinds, watchId, label, enabled',
    when: (payload) => payload.issues.length === 0,
  })
  .meta({
    id: 'UpdateWebhookRequest',
    description: 'Changes to an endpoint; at least one field.',
    minProperties: 1,
  });

export const RotateWebhookSecretRequestSchema = z
  .strictObject(
    {
      graceSeconds: z
        .int({ error: 'must be a whole number of seconds' })
        .min(0, { error: 'must not be negative' })
        .max(MAX_SECRET_GRACE_SECONDS, { error: `must be at most ${MAX_SECRET_GRACE_SECONDS}` })
        .default(DEFAULT_SECRET_GRACE_SECONDS)
        .meta({
          description:
            'How long the old secret keeps signing beside the new one (both signatures are sent). Default 24 h.',
        }),
    },
    { error: unknownFieldsError() },
  )
  .meta({ id: 'RotateWebhookSecretRequest' });

export const WebhookStatusSchema = z.enum(['active', 'paused', 'disabled']).meta({
  description:
    'active: delivering. paused: switched off by you. disabled: switched off by shelfwatch after failing for days (see disabledReason); PATCH enabled=true resumes.',
});

export const WebhookSchema = z
  .object({
    id: IdSchema,
    url: z.string(),
    kinds: z.array(AlertKindSchema),
    watchId: IdSchema.nullable(),
    label: z.string().nullable(),
    enabled: z.boolean(),
    status: WebhookStatusSchema,
    disabledReason: z.string().nullable(),
    previousSecretExpiresAt: TimestampSchema.nullable().meta({
      description: 'Until when the previous secret still signs (after a rotation); null: none.',
    }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Webhook', description: 'An endpoint that receives signed alert deliveries.' });

const secretField = z.string().meta({
  description:
    'The Standard Webhooks signing secret (whsec_…). Shown only now; verify deliveries with it.',
});

export const CreatedWebhookSchema = WebhookSchema.extend({ secret: secretField }).meta({
  id: 'CreatedWebhook',
  description: 'The new endpoint with its signing secret, shown once.',
});

export const WebhookListSchema = z
  .object({ items: z.array(WebhookSchema), nextPageToken: nextPageTokenField })
  .meta({ id: 'WebhookList', description: 'One page of webhooks, newest first.' });

export const ListWebhooksQuerySchema = z.strictObject(
  { page_size: pageSizeParameter(), page_token: pageTokenParameter },
  unknownQueryParameters,
);

export const DeliveryStateSchema = z.enum(['pending', 'delivered', 'dead']).meta({
  description:
    'pending: still being retried. delivered: a 2xx came back. dead: retries ran out (POST …/resend to try again).',
});

export const WebhookDeliveryAttemptSchema = z
  .object({
    id: IdSchema,
    eventId: IdSchema.meta({ description: 'The event delivered (its alert, or a ping).' }),
    eventType: z.string(),
    webhookId: z.string().meta({ description: 'The webhook-id header: the same on every retry.' }),
    startedAt: TimestampSchema,
    latencyMs: z.int(),
    status: z.int().nullable().meta({ description: 'HTTP status answered; null when none came.' }),
    succeeded: z.boolean(),
    responseExcerpt: z.string().nullable().meta({ description: 'First bytes of the answer.' }),
    error: z.string().nullable(),
    delivery: DeliveryStateSchema.meta({ description: "This event's outcome on this endpoint." }),
  })
  .meta({ id: 'WebhookDeliveryAttempt', description: 'One try at delivering an event.' });

export const WebhookDeliveryAttemptListSchema = z
  .object({ items: z.array(WebhookDeliveryAttemptSchema), nextPageToken: nextPageTokenField })
  .meta({ id: 'WebhookDeliveryAttemptList', description: 'Delivery attempts, newest first.' });

export const ListWebhookDeliveriesQuerySchema = z.strictObject(
  { page_size: pageSizeParameter(), page_token: pageTokenParameter },
  unknownQueryParameters,
);

export const WebhookDeliveryRequestedAnswerSchema = z
  .object({
    eventId: IdSchema.meta({ description: 'The event to be delivered; find it in …/deliveries.' }),
    webhookId: z.string().meta({ description: 'The webhook-id the delivery will carry.' }),
  })
  .meta({
    id: 'WebhookDeliveryRequested',
    description: 'Accepted: the notifier delivers it shortly, signed and retried as usual.',
  });

/**
 * Body of every delivery (Standard Webhooks' recommended shape). `alert.raised` carries the
 * alert as published; `webhook.ping` is the test ping.
 */
export const WebhookPayloadSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('alert.raised'),
      timestamp: TimestampSchema,
      data: AlertRaisedSchema,
    }),
    z.object({
      type: z.literal('webhook.ping'),
      timestamp: TimestampSchema,
      data: z.object({ webhookId: IdSchema, message: z.string() }),
    }),
  ])
  .meta({ id: 'WebhookPayload', description: 'The JSON body POSTed to an endpoint.' });

export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequestSchema>;
export type RotateWebhookSecretRequest = z.infer<typeof RotateWebhookSecretRequestSchema>;
export type Webhook = z.infer<typeof WebhookSchema>;
export type WebhookStatus = z.infer<typeof WebhookStatusSchema>;
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;
export type WebhookList = z.infer<typeof WebhookListSchema>;
export type ListWebhooksQuery = z.infer<typeof ListWebhooksQuerySchema>;
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;
export type WebhookDeliveryAttempt = z.infer<typeof WebhookDeliveryAttemptSchema>;
export type WebhookDeliveryAttemptList = z.infer<typeof WebhookDeliveryAttemptListSchema>;
export type WebhookDeliveryRequestedAnswer = z.infer<typeof WebhookDeliveryRequestedAnswerSchema>;
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;
