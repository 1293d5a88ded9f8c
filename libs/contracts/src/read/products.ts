import { z } from 'zod';
import { AvailabilitySchema } from '../events/payloads';
import { IdSchema } from '../ids';
import { AmountSchema, compareAmounts, MoneySchema } from '../money';
import { isStorableText, storableTextError } from '../text';
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
    lastChangedAt: TimestampSchema.nullable().meta({
      description:
        'Observation time of the latest change of price or availability (the first sighting when none since); what sort=last_change orders by.',
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

export const PRODUCT_SORT_KEYS = ['name', 'price', 'last_change'] as const;
export type ProductSortKey = (typeof PRODUCT_SORT_KEYS)[number];

const priceBound = (description: string) =>
  AmountSchema.optional().meta({
    description: `${description} Compared with the latest price in the product's own currency; products without a price never match.`,
  });

export const ListProductsQuerySchema = z
  .strictObject(
    {
      page_size: pageSizeParameter(),
      page_token: pageTokenParameter,
      q: z
        .string()
        .trim()
        .min(1, { error: 'must not be empty' })
        .max(200, { error: 'must be at most 200 characters' })
        .refine(isStorableText, storableTextError)
        .optional()
        .meta({
          description:
            'Search: products whose name, brand, SKU or GTIN contains this text, ignoring case.',
        }),
      host: z
        .string()
        .min(1, { error: 'must not be empty' })
        .max(253, { error: 'must be at most 253 characters' })
        .refine(isStorableText, storableTextError)
        .transform((host) => host.toLowerCase())
        .optional()
        .meta({ description: 'Only products on this host, e.g. shop.example.com.' }),
      availability: AvailabilitySchema.optional().meta({
        description: 'Only products whose latest availability is this.',
      }),
      min_price: priceBound('Only products whose latest price is at least this.'),
      max_price: priceBound('Only products whose latest price is at most this.'),
      sort: z
        .enum(PRODUCT_SORT_KEYS, { error: `must be one of: ${PRODUCT_SORT_KEYS.join(', ')}` })
        .optional()
        .meta({
          description:
            'Order by name, latest price or last change (lastChangedAt); products without that value come last. Without sort: oldest first.',
        }),
      order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional().meta({
        description:
          'Direction of sort: asc by default for name and price, desc (newest first) for last_change. Needs sort.',
      }),
    },
    unknownQueryParameters,
  )
  .superRefine((query, context) => {
    if (
      query.min_price !== undefined &&
      query.max_price !== undefined &&
      compareAmounts(query.min_price, query.max_price) > 0
    )
      context.addIssue({
        code: 'custom',
        path: ['min_price'],
        message: 'must not be greater than max_price',
      });
    if (query.order !== undefined && query.sort === undefined)
      context.addIssue({ code: 'custom', path: ['order'], message: 'needs sort' });
  });

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
