import { z } from 'zod';
import { AvailabilitySchema } from '../events/payloads';
import { IdSchema } from '../ids';
import { MoneySchema } from '../money';
import { TimestampSchema } from '../time';
import {
  nextPageTokenField,
  pageSizeParameter,
  pageTokenParameter,
  unknownQueryParameters,
} from './list-query';

export const DEFAULT_PRICE_PAGE_SIZE = 100;
export const MAX_PRICE_PAGE_SIZE = 1000;

export const ProductSchema = z
  .object({
    id: IdSchema,
    targetId: IdSchema.nullable().meta({
      description: 'The target it was last observed through; null once that target is deleted.',
    }),
    url: z.string().meta({ format: 'uri', description: 'The page it was observed on.' }),
    canonicalUrl: z.string().meta({
      format: 'uri',
      description: 'Canonical page URL; with sku or gtin, the identity of the product.',
    }),
    host: z.string(),
    name: z.string().nullable(),
    brand: z.string().nullable(),
    sku: z.string().nullable(),
    gtin: z.string().nullable(),
    mpn: z.string().nullable(),
    image: z.string().nullable().meta({ format: 'uri' }),
    attributes: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: 'Variant attributes such as size or colour.' }),
    price: MoneySchema.nullable().meta({ description: 'Latest price; null when none is shown.' }),
    listPrice: MoneySchema.nullable().meta({ description: 'Latest regular (was) price.' }),
    availability: AvailabilitySchema,
    firstSeenAt: TimestampSchema,
    latestObservedAt: TimestampSchema.meta({
      description: 'Observation time of the latest state above.',
    }),
    updatedAt: TimestampSchema,
  })
  .meta({
    id: 'Product',
    description: 'A product (one variant of a page) with its latest state by observation time.',
  });

export const ProductListSchema = z
  .object({ items: z.array(ProductSchema), nextPageToken: nextPageTokenField })
  .meta({ id: 'ProductList', description: 'One page of products, oldest first.' });

export const ListProductsQuerySchema = z.strictObject(
  {
    page_size: pageSizeParameter(),
    page_token: pageTokenParameter,
    host: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(253, { error: 'must be at most 253 characters' })
      .transform((host) => host.toLowerCase())
      .optional()
      .meta({ description: 'Only products on this host, e.g. shop.example.com.' }),
    availability: AvailabilitySchema.optional().meta({
      description: 'Only products whose latest availability is this.',
    }),
  },
  unknownQueryParameters,
);

export const PricePointSchema = z
  .object({
    id: IdSchema,
    observedAt: TimestampSchema,
    price: MoneySchema.nullable(),
    listPrice: MoneySchema.nullable(),
    availability: AvailabilitySchema,
    notModified: z.boolean().meta({
      description: 'True for a check the shop answered with 304 Not Modified: the state repeats.',
    }),
    runId: IdSchema.meta({ description: 'The scrape run that observed it.' }),
  })
  .meta({ id: 'PricePoint', description: 'One observation of a product.' });

export const PriceHistorySchema = z
  .object({
    productId: IdSchema,
    items: z.array(PricePointSchema),
    nextPageToken: nextPageTokenField,
  })
  .meta({ id: 'PriceHistory', description: 'Price points by observation time, oldest first.' });

export const ListPricesQuerySchema = z
  .strictObject(
    {
      from: TimestampSchema.optional().meta({
        description: 'Only points observed at or after this time (ISO 8601 UTC).',
      }),
      to: TimestampSchema.optional().meta({
        description: 'Only points observed at or before this time (ISO 8601 UTC).',
      }),
      page_size: pageSizeParameter(DEFAULT_PRICE_PAGE_SIZE, MAX_PRICE_PAGE_SIZE),
      page_token: pageTokenParameter,
    },
    unknownQueryParameters,
  )
  .superRefine((query, ctx) => {
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    }
  });

export type Product = z.infer<typeof ProductSchema>;
export type ProductList = z.infer<typeof ProductListSchema>;
export type ListProductsQuery = z.infer<typeof ListProductsQuerySchema>;
export type PricePoint = z.infer<typeof PricePointSchema>;
export type PriceHistory = z.infer<typeof PriceHistorySchema>;
export type ListPricesQuery = z.infer<typeof ListPricesQuerySchema>;
