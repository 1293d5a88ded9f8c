import { z } from 'zod';

/** What an alert says happened. Shared by the read API and the alert.raised event. */
export const AlertKindSchema = z
  .enum([
    'price_drop',
    'price_rise',
    'target_price_reached',
    'back_in_stock',
    'out_of_stock',
    'new_product',
  ])
  .meta({ id: 'AlertKind' });

export type AlertKind = z.infer<typeof AlertKindSchema>;
