import { z } from 'zod';
import { EmailSchema } from './accounts/sessions';
import { AlertKindSchema } from './alert-kind';
import { IdSchema } from './ids';
import {
  nextPageTokenField,
  pageSizeParameter,
  pageTokenParameter,
  unknownQueryParameters,
} from './read/list-query';
import { TimestampSchema } from './time';
import { unknownFieldsError } from './unknown-fields';

export const MIN_DIGEST_INTERVAL_MINUTES = 5;
export const MAX_DIGEST_INTERVAL_MINUTES = 7 * 24 * 60;

export const EmailDeliveryModeSchema = z
  .enum(['each_alert', 'digest'], { error: 'must be "each_alert" or "digest"' })
  .meta({
    id: 'EmailDeliveryMode',
    description:
      '`each_alert`: one mail per alert. `digest`: one mail every digestIntervalMinutes.',
  });

const kinds = z
  .array(AlertKindSchema, { error: 'must be an array of alert kinds' })
  .min(1, { error: 'must name at least one alert kind' })
  .refine((list) => new Set(list).size === list.length, { error: 'must not repeat a kind' })
  .meta({ description: 'The alert kinds mailed to this address; all of them when absent.' });

const watchId = IdSchema.nullable().meta({
  description: 'Only alerts of this watch (one of yours); null: every watch.',
});
const label = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .nullable()
  .meta({ description: 'Only alerts of watches with this label; null: any label.' });
const digestIntervalMinutes = z
  .int({ error: 'must be a whole number of minutes' })
  .min(MIN_DIGEST_INTERVAL_MINUTES, { error: `must be at least ${MIN_DIGEST_INTERVAL_MINUTES}` })
  .max(MAX_DIGEST_INTERVAL_MINUTES, { error: `must be at most ${MAX_DIGEST_INTERVAL_MINUTES}` })
  .nullable()
  .meta({ description: 'Minutes between digests; required with delivery "digest", else null.' });

const digestNeedsInterval = {
  error: 'digestIntervalMinutes is required with delivery "digest" and must be null otherwise',
  path: ['digestIntervalMinutes'],
};

export const CreateEmailRecipientRequestSchema = z
  .strictObject(
    {
      address: EmailSchema,
      kinds: kinds.optional(),
      watchId: watchId.default(null),
      label: label.default(null),
      delivery: EmailDeliveryModeSchema.default('each_alert'),
      digestIntervalMinutes: digestIntervalMinutes.default(null),
    },
    { error: unknownFieldsError() },
  )
  .refine(
    (body) => (body.delivery === 'digest') === (body.digestIntervalMinutes !== null),
    digestNeedsInterval,
  )
  .meta({
    id: 'CreateEmailRecipientRequest',
    description:
      'An address to mail alerts to. A link to confirm it is mailed at once; nothing else is sent before it is confirmed.',
    example: {
      address: 'ada@example.com',
      kinds: ['price_drop', 'back_in_stock'],
      label: 'kitchen',
      delivery: 'digest',
      digestIntervalMinutes: 60,
    },
  });

export const UpdateEmailRecipientRequestSchema = z
  .strictObject(
    {
      kinds: kinds.optional(),
      watchId: watchId.optional(),
      label: label.optional(),
      delivery: EmailDeliveryModeSchema.optional(),
      digestIntervalMinutes: digestIntervalMinutes.optional(),
    },
    { error: unknownFieldsError(['address'], 'delete the recipient and add the new address') },
  )
  .refine((update) => Object.keys(update).length > 0, {
    error: 'must contain at least one of: kinds, watchId, label, delivery, digestIntervalMinutes',
    when: (payload) => payload.issues.length === 0,
  })
  .meta({
    id: 'UpdateEmailRecipientRequest',
    description:
      'Changes to a recipient; at least one field. The address cannot be changed. Switching delivery to "digest" needs digestIntervalMinutes.',
    minProperties: 1,
  });

export const EmailRecipientStatusSchema = z
  .enum(['pending_verification', 'verified', 'unsubscribed'])
  .meta({
    id: 'EmailRecipientStatus',
    description:
      'Mail is sent only to `verified` recipients; `unsubscribed` ones used the link in a mail.',
  });

export const EmailRecipientSchema = z
  .object({
    id: IdSchema,
    address: z.string(),
    kinds: z.array(AlertKindSchema),
    watchId: IdSchema.nullable(),
    label: z.string().nullable(),
    delivery: EmailDeliveryModeSchema,
    digestIntervalMinutes: z.int().nullable(),
    status: EmailRecipientStatusSchema,
    verifiedAt: TimestampSchema.nullable(),
    verificationExpiresAt: TimestampSchema.nullable().meta({
      description: 'Until when the mailed confirmation link works; null once verified.',
    }),
    unsubscribedAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'EmailRecipient', description: 'An address your alerts are mailed to.' });

export const EmailRecipientListSchema = z
  .object({ items: z.array(EmailRecipientSchema), nextPageToken: nextPageTokenField })
  .meta({ id: 'EmailRecipientList', description: 'One page of email recipients, newest first.' });

export const ListEmailRecipientsQuerySchema = z.strictObject(
  { page_size: pageSizeParameter(), page_token: pageTokenParameter },
  unknownQueryParameters,
);

/** The signed or random token of a link in a mail, as the public pages take it. */
export const EmailLinkQuerySchema = z.strictObject(
  {
    token: z
      .string({ error: 'is required: open the link from the mail unchanged' })
      .min(1, { error: 'is required: open the link from the mail unchanged' })
      .max(512, { error: 'is too long to be a shelfwatch link token' }),
  },
  unknownQueryParameters,
);

export type CreateEmailRecipientRequest = z.infer<typeof CreateEmailRecipientRequestSchema>;
export type UpdateEmailRecipientRequest = z.infer<typeof UpdateEmailRecipientRequestSchema>;
export type EmailRecipient = z.infer<typeof EmailRecipientSchema>;
export type EmailRecipientList = z.infer<typeof EmailRecipientListSchema>;
export type EmailRecipientStatus = z.infer<typeof EmailRecipientStatusSchema>;
export type EmailDeliveryMode = z.infer<typeof EmailDeliveryModeSchema>;
