import { z } from 'zod';
import { additiveObjectMeta } from '../additive';
import { AlertKindSchema } from '../alert-kind';
import { IdSchema } from '../ids';
import { DecimalStringSchema, MoneySchema } from '../money';
import { TimestampSchema } from '../time';
import { HttpUrlSchema } from '../url';
import { AvailabilitySchema } from './payloads';

/**
 * One stored alert, for the one account whose watch rules raised it. Analytics writes it to its
 * outbox in the same transaction as the alert and relays it afterwards, so the event id is
 * stable across redeliveries (derived from the alert id) and consumers deduplicate on it.
 * Only alerts newer than the latest one already notified for their product are published:
 * a late observation may store an alert, but never announces old news.
 */
export const AlertRaisedSchema = z
  .object({
    alertId: IdSchema,
    accountId: IdSchema,
    watchId: IdSchema,
    productId: IdSchema,
    targetId: IdSchema.nullable(),
    kind: AlertKindSchema,
    url: HttpUrlSchema.meta({ description: 'The product page the alert is about.' }),
    productName: z.string().max(1000).nullable(),
    watchLabels: z
      .array(z.string().max(200))
      .max(100)
      .meta({ description: "The watch's labels when the alert was raised, for channel filters." }),
    previous: MoneySchema.nullable().meta({ description: 'Price before; null when none.' }),
    current: MoneySchema.nullable().meta({ description: 'Price now; null when none is shown.' }),
    previousAvailability: AvailabilitySchema.nullable(),
    availability: AvailabilitySchema,
    changePercent: DecimalStringSchema.nullable().meta({
      description: 'Signed price change in percent, e.g. "-12.5"; null when not comparable.',
    }),
    targetPrice: MoneySchema.nullable().meta({
      description: "The watch's target price when kind is target_price_reached; otherwise null.",
    }),
    observedAt: TimestampSchema,
  })
  .meta({ id: 'AlertRaised', description: 'Payload of alert.raised.', ...additiveObjectMeta });

export type AlertRaised = z.infer<typeof AlertRaisedSchema>;
