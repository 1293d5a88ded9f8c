import { z } from 'zod';
import { AlertKindSchema } from '../alert-kind';
import { AvailabilitySchema } from '../events/payloads';
import { IdSchema } from '../ids';
import { DecimalStringSchema, MoneySchema } from '../money';
import { TimestampSchema } from '../time';
import {
  nextPageTokenField,
  pageSizeParameter,
  pageTokenParameter,
  unknownQueryParameters,
} from './list-query';

export const AlertSchema = z
  .object({
    id: IdSchema,
    productId: IdSchema,
    targetId: IdSchema.nullable(),
    watchId: IdSchema.nullable().meta({ description: 'The watch whose rules raised it.' }),
    kind: AlertKindSchema,
    previous: MoneySchema.nullable().meta({ description: 'Price before; null when none.' }),
    current: MoneySchema.nullable().meta({ description: 'Price now; null when none is shown.' }),
    previousAvailability: AvailabilitySchema.nullable(),
    availability: AvailabilitySchema,
    changePercent: DecimalStringSchema.nullable().meta({
      description: 'Signed price change in percent, e.g. "-12.5"; null when not comparable.',
    }),
    observedAt: TimestampSchema,
    createdAt: TimestampSchema,
    eventId: IdSchema.nullable().meta({
      description: 'Id of the price.changed event published for it, when one was.',
    }),
  })
  .meta({ id: 'Alert', description: 'A detected price or stock change, or a new product.' });

export const AlertListSchema = z
  .object({ items: z.array(AlertSchema), nextPageToken: nextPageTokenField })
  .meta({ id: 'AlertList', description: 'One page of alerts, newest first.' });

export const ListAlertsQuerySchema = z.strictObject(
  {
    page_size: pageSizeParameter(),
    page_token: pageTokenParameter,
    product_id: IdSchema.optional().meta({ description: 'Only alerts of this product.' }),
    kind: AlertKindSchema.optional().meta({ description: 'Only alerts of this kind.' }),
  },
  unknownQueryParameters,
);

export type Alert = z.infer<typeof AlertSchema>;
export type AlertList = z.infer<typeof AlertListSchema>;
export type ListAlertsQuery = z.infer<typeof ListAlertsQuerySchema>;

export { AlertKindSchema, type AlertKind } from '../alert-kind';
