import { isStorableText, storableTextError } from './text';
import { z } from 'zod';
import { IdSchema } from './ids';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';
import { TimestampSchema } from './time';
import { unknownFieldsError as unknownFields } from './unknown-fields';
import { HttpUrlSchema } from './url';

const unknownFieldsError = (immutable: readonly string[] = []) =>
  unknownFields(immutable, 'delete the target and create a new one');

export const MIN_CHECK_INTERVAL_SECONDS = 60;
export const MAX_CHECK_INTERVAL_SECONDS = 604_800;
export const DEFAULT_CHECK_INTERVAL_SECONDS = 3600;

export const TargetKindSchema = z.enum(['product', 'listing', 'sitemap']).meta({
  id: 'TargetKind',
  description:
    'product: one product page; listing: a category or search page linking to products; sitemap: an XML sitemap of product pages.',
});

export const TargetStatusSchema = z.enum(['active', 'paused']).meta({
  id: 'TargetStatus',
  description: 'Paused targets are kept but not scheduled.',
});

const selectorHint = (description: string) =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(512, { error: 'must be at most 512 characters' })
    .refine(isStorableText, storableTextError)
    .optional()
    .meta({ description });

/** Shared by the HTTP resource (strict) and the event payloads (tolerant, see payloads.ts). */
export const selectorHintsShape = {
  name: selectorHint('CSS selector of the product name.'),
  price: selectorHint('CSS selector of the current price.'),
  listPrice: selectorHint('CSS selector of the list (was) price.'),
  currency: selectorHint('CSS selector of the currency.'),
  availability: selectorHint('CSS selector of the stock status.'),
  sku: selectorHint('CSS selector of the SKU.'),
  image: selectorHint('CSS selector of the product image.'),
  productLink: selectorHint('Listing targets only: CSS selector of links to product pages.'),
  nextPage: selectorHint('Listing targets only: CSS selector of the link to the next page.'),
};

export const SelectorHintsSchema = z
  .strictObject(selectorHintsShape, { error: unknownFieldsError() })
  .meta({
    id: 'SelectorHints',
    description:
      'Optional CSS selectors that help extraction when a page has no structured data. productLink and nextPage are used for listing targets only.',
    example: { price: '.product-price .amount', name: 'h1.product-title' },
  });

export const TargetUrlSchema = HttpUrlSchema;

export const CheckIntervalSecondsSchema = z
  .int({ error: 'must be an integer number of seconds' })
  .min(MIN_CHECK_INTERVAL_SECONDS, {
    error: `must be at least ${MIN_CHECK_INTERVAL_SECONDS} seconds`,
  })
  .max(MAX_CHECK_INTERVAL_SECONDS, {
    error: `must be at most ${MAX_CHECK_INTERVAL_SECONDS} seconds (7 days)`,
  })
  .meta({ description: 'Seconds between two checks of the target (60 to 604800).', example: 3600 });

export const CreateTargetRequestSchema = z
  .strictObject(
    {
      url: TargetUrlSchema,
      kind: TargetKindSchema.default('product'),
      selectors: SelectorHintsSchema.optional(),
      checkIntervalSeconds: CheckIntervalSecondsSchema.default(DEFAULT_CHECK_INTERVAL_SECONDS),
      status: TargetStatusSchema.default('active'),
    },
    { error: unknownFieldsError() },
  )
  .meta({
    id: 'CreateTargetRequest',
    description: 'A URL to watch. Unknown fields are rejected.',
    example: {
      url: 'https://shop.example.com/products/espresso-machine',
      kind: 'product',
      checkIntervalSeconds: 3600,
    },
  });

const IMMUTABLE_TARGET_FIELDS = ['url', 'kind'] as const;

/**
 * Partial update. `url` and `kind` are immutable: a different page is a different target with
 * its own history, so sending either is rejected with an explanation. `selectors: null` clears
 * the hints.
 */
export const UpdateTargetRequestSchema = z
  .strictObject(
    {
      selectors: SelectorHintsSchema.nullable().optional(),
      checkIntervalSeconds: CheckIntervalSecondsSchema.optional(),
      status: TargetStatusSchema.optional(),
    },
    { error: unknownFieldsError(IMMUTABLE_TARGET_FIELDS) },
  )
  .refine((update) => Object.keys(update).length > 0, {
    error: 'must contain at least one of: selectors, checkIntervalSeconds, status',
    // Only for an otherwise valid body: after "url cannot be changed" this would just be noise.
    when: (payload) => payload.issues.length === 0,
  })
  .meta({
    id: 'UpdateTargetRequest',
    description:
      'Changes to a target; at least one field. url and kind cannot be changed (create a new target instead). selectors: null removes the hints.',
    minProperties: 1,
    example: { status: 'paused' },
  });

export const TargetSchema = z
  .object({
    id: IdSchema,
    url: TargetUrlSchema,
    host: z.string().meta({
      description: 'Host name of the URL, used for per-host politeness.',
      example: 'shop.example.com',
    }),
    kind: TargetKindSchema,
    selectors: SelectorHintsSchema.nullable(),
    checkIntervalSeconds: CheckIntervalSecondsSchema,
    status: TargetStatusSchema,
    nextCheckAt: TimestampSchema.nullable().meta({
      description: 'When the next check is due; null while paused.',
    }),
    lastCheckedAt: TimestampSchema.nullable().meta({
      description: 'When the target was last fetched; null before the first check.',
    }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Target', description: 'A watched URL.' });

export const TargetListSchema = z
  .object({
    items: z.array(TargetSchema),
    nextPageToken: z
      .string()
      .nullable()
      .meta({ description: 'Pass as page_token to get the next page; null on the last page.' }),
  })
  .meta({ id: 'TargetList', description: 'One page of targets, newest first.' });

/** Query strings arrive as strings, so numbers are coerced; unknown parameters are rejected. */
export const ListTargetsQuerySchema = z.strictObject(
  {
    page_size: z.coerce
      .number({ error: 'must be a number' })
      .int({ error: 'must be an integer' })
      .min(1, { error: 'must be at least 1' })
      .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
      .default(DEFAULT_PAGE_SIZE)
      .meta({
        description: `Items per page, from 1 to ${MAX_PAGE_SIZE} (maximum). Defaults to ${DEFAULT_PAGE_SIZE}.`,
      }),
    page_token: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(512, { error: 'must be at most 512 characters' })
      .optional()
      .meta({ description: 'Opaque token from nextPageToken of the previous page.' }),
    kind: TargetKindSchema.optional().meta({ description: 'Only targets of this kind.' }),
    status: TargetStatusSchema.optional().meta({ description: 'Only targets with this status.' }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown query parameter${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
        : undefined,
  },
);

export type TargetKind = z.infer<typeof TargetKindSchema>;
export type TargetStatus = z.infer<typeof TargetStatusSchema>;
export type SelectorHints = z.infer<typeof SelectorHintsSchema>;
export type CreateTargetRequest = z.infer<typeof CreateTargetRequestSchema>;
export type UpdateTargetRequest = z.infer<typeof UpdateTargetRequestSchema>;
export type Target = z.infer<typeof TargetSchema>;
export type TargetList = z.infer<typeof TargetListSchema>;
export type ListTargetsQuery = z.infer<typeof ListTargetsQuerySchema>;
