import { z } from 'zod';
import { additiveObjectMeta } from '../additive';
import { IdSchema } from '../ids';

/**
 * The api asks the notifier to deliver something to one endpoint outside the alert flow: a
 * signed test ping, or a dead delivery sent once more. The api never signs: only the notifier
 * holds the delivery path (address guard at connect time, signatures, retries, the log).
 */
export const WebhookDeliveryRequestedSchema = z
  .object({
    accountId: IdSchema,
    endpointId: IdSchema,
    request: z.enum(['ping', 'resend']),
    /** resend: the event whose dead delivery to this endpoint is sent again. */
    eventId: IdSchema.optional(),
  })
  .meta({
    id: 'WebhookDeliveryRequested',
    description: 'Payload of webhook.delivery-requested.',
    ...additiveObjectMeta,
  });

export type WebhookDeliveryRequested = z.infer<typeof WebhookDeliveryRequestedSchema>;
