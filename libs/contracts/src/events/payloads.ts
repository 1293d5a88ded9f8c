import { z } from 'zod';
import { additiveObjectMeta } from '../additive';
import { IdSchema } from '../ids';
import { DecimalStringSchema, MoneySchema } from '../money';
import { TargetKindSchema, selectorHintsShape } from '../targets';
import { TimestampSchema } from '../time';
import { HttpUrlSchema } from '../url';

/*
 * Payloads are plain (non-strict) z.object schemas on purpose: within a version, changes are
 * additive, so a consumer must accept (and drop) fields a newer publisher added. Nested objects
 * follow the same rule — that is why selector hints here are not the strict HTTP schema.
 * Enums are the exception: a new enum value is a breaking change and needs a new version.
 */

export const MAX_DISCOVERED_URLS = 5000;
export const MAX_OFFERS_PER_OBSERVATION = 500;

const EventSelectorHintsSchema = z.object(selectorHintsShape).meta(additiveObjectMeta);

/** HTTP validators exactly as the origin sent them, passed back on the next conditional request. */
const EtagSchema = z.string().min(1).max(1024);
const LastModifiedSchema = z.string().min(1).max(128);

export const AvailabilitySchema = z
  .enum([
    'InStock',
    'OutOfStock',
    'PreOrder',
    'BackOrder',
    'LimitedAvailability',
    'Discontinued',
    'Unknown',
  ])
  .meta({
    id: 'Availability',
    description: 'schema.org ItemAvailability names; Unknown when the page does not say.',
  });

export const OfferConditionSchema = z.enum(['New', 'Used', 'Refurbished', 'Damaged']).meta({
  id: 'OfferCondition',
  description: 'schema.org OfferItemCondition without the Condition suffix.',
});

export const ExtractionSourceSchema = z
  .enum(['json-ld', 'microdata', 'opengraph', 'selector', 'heuristic'])
  .meta({ id: 'ExtractionSource', description: 'Where on the page a field value was found.' });

export const OfferSchema = z
  .object({
    name: z.string().min(1).max(1000).optional(),
    price: MoneySchema.nullable().meta({
      description: 'Current price; null when the page shows none.',
    }),
    listPrice: MoneySchema.optional().meta({
      description: 'Regular (was) price, when the page shows a reduction.',
    }),
    availability: AvailabilitySchema,
    sku: z.string().min(1).max(256).optional(),
    gtin: z
      .string()
      .regex(/^\d{8,14}$/, { error: 'must be 8 to 14 digits' })
      .optional(),
    mpn: z.string().min(1).max(256).optional(),
    brand: z.string().min(1).max(256).optional(),
    image: HttpUrlSchema.optional(),
    canonicalUrl: HttpUrlSchema.optional(),
    condition: OfferConditionSchema.optional(),
    attributes: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Variant attributes such as size or colour.' }),
    sources: z
      .record(z.string(), ExtractionSourceSchema)
      .optional()
      .meta({
        description: 'Per offer field (e.g. price), where its value came from.',
        example: { price: 'json-ld' },
      }),
  })
  .meta({ id: 'Offer', description: 'One offer extracted from a page.', ...additiveObjectMeta });

/** Added within version 1, so optional: events from older scrapers lack it. */
const scrapeStartedAt = TimestampSchema.optional().meta({
  description:
    'When the scraper started working on this request (robots.txt, politeness waits and the fetch follow). Absent in older events.',
});

export const ScrapeRequestedSchema = z
  .object({
    runId: IdSchema,
    targetId: IdSchema,
    url: HttpUrlSchema,
    kind: TargetKindSchema,
    selectors: EventSelectorHintsSchema.optional(),
    etag: EtagSchema.optional(),
    lastModified: LastModifiedSchema.optional(),
    requestedAt: TimestampSchema,
    attempt: z.int().min(1).optional().meta({ description: '1 for the first try of this run.' }),
  })
  .meta({
    id: 'ScrapeRequested',
    description: 'Payload of scrape.requested: everything the scraper needs to fetch one target.',
    ...additiveObjectMeta,
  });

export const ObservationRecordedSchema = z
  .object({
    runId: IdSchema,
    targetId: IdSchema,
    url: HttpUrlSchema,
    finalUrl: HttpUrlSchema.meta({ description: 'URL after redirects.' }),
    startedAt: scrapeStartedAt,
    fetchedAt: TimestampSchema,
    httpStatus: z.int().min(100).max(599),
    notModified: z
      .boolean()
      .meta({ description: 'True when the origin answered 304; offers is then empty.' }),
    etag: EtagSchema.optional(),
    lastModified: LastModifiedSchema.optional(),
    offers: z.array(OfferSchema).max(MAX_OFFERS_PER_OBSERVATION),
    primaryOffer: z
      .int()
      .min(0)
      .max(MAX_OFFERS_PER_OBSERVATION - 1)
      .optional()
      .meta({
        description:
          'Index in offers of the offer the page is about: the variant its URL selects, else the one it shows as chosen, else the product as a whole. The other offers are its variants or other sellers, each tracked as a product of its own. Absent in older events: then the first offer.',
      }),
    confidence: z
      .number()
      .min(0)
      .max(1)
      .meta({ description: 'Extractor confidence in the offers, 0 to 1.' }),
  })
  .refine((data) => data.primaryOffer === undefined || data.primaryOffer < data.offers.length, {
    error: 'primaryOffer must index one of the offers',
    path: ['primaryOffer'],
  })
  .meta({
    id: 'ObservationRecorded',
    description: 'Payload of observation.recorded: what one fetch of a target found.',
    ...additiveObjectMeta,
  });

export const ScrapeErrorClassSchema = z
  .enum([
    'dns',
    'connect',
    'timeout',
    'tls',
    'http_4xx',
    'http_5xx',
    'too_large',
    'robots_disallowed',
    'blocked_address',
    'unsupported_content',
    'parse',
  ])
  .meta({ id: 'ScrapeErrorClass' });

export const ScrapeFailedSchema = z
  .object({
    runId: IdSchema,
    targetId: IdSchema,
    url: HttpUrlSchema,
    startedAt: scrapeStartedAt,
    failedAt: TimestampSchema,
    errorClass: ScrapeErrorClassSchema,
    retryable: z.boolean(),
    message: z
      .string()
      .max(2000)
      .meta({ description: 'Human-readable cause; never contains secrets or page bodies.' }),
    httpStatus: z.int().min(100).max(599).optional(),
    retryAfterSeconds: z.int().min(0).optional(),
  })
  .meta({
    id: 'ScrapeFailed',
    description:
      'Payload of scrape.failed: a fetch or extraction that did not produce an observation.',
    ...additiveObjectMeta,
  });

export const ProductsDiscoveredSchema = z
  .object({
    runId: IdSchema,
    sourceTargetId: IdSchema.meta({
      description: 'The listing or sitemap target the URLs were found on.',
    }),
    discoveredAt: TimestampSchema,
    urls: z.array(HttpUrlSchema).min(1).max(MAX_DISCOVERED_URLS),
  })
  .meta({
    id: 'ProductsDiscovered',
    description: 'Payload of products.discovered: product page URLs found on a listing or sitemap.',
    ...additiveObjectMeta,
  });

export const PriceChangeKindSchema = z.enum(['drop', 'rise']).meta({ id: 'PriceChangeKind' });

export const PriceChangedSchema = z
  .object({
    productId: IdSchema,
    targetId: IdSchema.optional(),
    url: HttpUrlSchema,
    previous: MoneySchema.nullable().meta({
      description: 'The price before; null when there was no comparable earlier price.',
    }),
    current: MoneySchema,
    changeKind: PriceChangeKindSchema,
    changePercent: DecimalStringSchema.nullable().meta({
      description:
        'Signed change relative to previous in percent, e.g. "-12.5"; null when previous is null or in another currency.',
      example: '-12.5',
    }),
    observedAt: TimestampSchema,
  })
  .meta({ id: 'PriceChanged', description: 'Payload of price.changed.', ...additiveObjectMeta });

export type Availability = z.infer<typeof AvailabilitySchema>;
export type OfferCondition = z.infer<typeof OfferConditionSchema>;
export type ExtractionSource = z.infer<typeof ExtractionSourceSchema>;
export type Offer = z.infer<typeof OfferSchema>;
export type ScrapeErrorClass = z.infer<typeof ScrapeErrorClassSchema>;
export type PriceChangeKind = z.infer<typeof PriceChangeKindSchema>;
export type ScrapeRequested = z.infer<typeof ScrapeRequestedSchema>;
export type ObservationRecorded = z.infer<typeof ObservationRecordedSchema>;
export type ScrapeFailed = z.infer<typeof ScrapeFailedSchema>;
export type ProductsDiscovered = z.infer<typeof ProductsDiscoveredSchema>;
export type PriceChanged = z.infer<typeof PriceChangedSchema>;
