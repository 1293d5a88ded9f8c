import { isStorableText, storableTextError } from './text';
import { z } from 'zod';
import { ScrapeErrorClassSchema } from './events/payloads';
import { IdSchema } from './ids';
import { MoneySchema } from './money';
import { AlertKindSchema } from './read/alerts';
import {
  nextPageTokenField,
  pageSizeParameter,
  pageTokenParameter,
  unknownQueryParameters,
} from './read/list-query';
import {
  CheckIntervalSecondsSchema,
  DEFAULT_CHECK_INTERVAL_SECONDS,
  SelectorHintsSchema,
  TargetKindSchema,
  TargetStatusSchema,
  TargetUrlSchema,
} from './targets';
import { TimestampSchema } from './time';
import { unknownFieldsError } from './unknown-fields';

const NonNegativeDecimalSchema = z
  .string({ error: 'must be a decimal string' })
  .max(40, { error: 'must be at most 40 characters' })
  .regex(/^\d+(\.\d+)?$/, {
    error: 'must be a non-negative decimal string such as "5" or "2.50"',
  });

export const ALL_ALERT_KINDS = AlertKindSchema.options;

const minChangeAmount = NonNegativeDecimalSchema.meta({
  description:
    'Least price change, in the product\'s currency, that raises price_drop or price_rise. "0": any change.',
});
const minChangePercent = NonNegativeDecimalSchema.refine((value) => Number(value) <= 100, {
  error: 'must be at most 100',
}).meta({
  description:
    'Least price change, in percent of the previous price, that raises price_drop or price_rise. "0": any change.',
});
const targetPrice = NonNegativeDecimalSchema.nullable().meta({
  description:
    'Raise target_price_reached when the price falls to this or below (in the product currency); null: none.',
});
const kinds = z
  .array(AlertKindSchema, { error: 'must be an array of alert kinds' })
  .refine((list) => new Set(list).size === list.length, { error: 'must not repeat a kind' })
  .meta({ description: 'The alert kinds to raise; all of them when absent.' });

export const AlertRulesSchema = z
  .strictObject(
    {
      minChangeAmount: minChangeAmount.default('0'),
      minChangePercent: minChangePercent.default('0'),
      targetPrice: targetPrice.default(null),
      kinds: kinds.default([...ALL_ALERT_KINDS]),
    },
    { error: unknownFieldsError() },
  )
  .meta({
    id: 'AlertRules',
    description:
      'When a watch raises alerts. A price change must reach both minimums; unknown fields are rejected.',
    example: { minChangePercent: '5', targetPrice: '79.00', kinds: ['price_drop'] },
  });

/** Rule changes: only the fields sent change; no defaults are filled in. */
export const AlertRulesUpdateSchema = z
  .strictObject(
    {
      minChangeAmount: minChangeAmount.optional(),
      minChangePercent: minChangePercent.optional(),
      targetPrice: targetPrice.optional(),
      kinds: kinds.optional(),
    },
    { error: unknownFieldsError() },
  )
  .meta({ id: 'AlertRulesUpdate', description: 'Changes to alert rules, field by field.' });

const LabelSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .refine(isStorableText, storableTextError);

const LabelsSchema = z
  .array(LabelSchema, { error: 'must be an array of labels' })
  .max(20, { error: 'must have at most 20 labels' })
  .meta({ description: 'Your own labels, e.g. "kitchen".' });

export const CreateWatchRequestSchema = z
  .strictObject(
    {
      url: TargetUrlSchema,
      kind: TargetKindSchema.default('product'),
      selectors: SelectorHintsSchema.optional().meta({
        description:
          'Extraction hints; used when this watch creates the target (a target already watched keeps its hints).',
      }),
      labels: LabelsSchema.default([]),
      checkIntervalSeconds: CheckIntervalSecondsSchema.default(DEFAULT_CHECK_INTERVAL_SECONDS),
      rules: AlertRulesSchema.default({
        minChangeAmount: '0',
        minChangePercent: '0',
        targetPrice: null,
        kinds: [...ALL_ALERT_KINDS],
      }),
    },
    { error: unknownFieldsError() },
  )
  .meta({
    id: 'CreateWatchRequest',
    description: 'A URL to watch with your labels, interval and alert rules.',
    example: {
      url: 'https://shop.example.com/products/espresso-machine',
      labels: ['kitchen'],
      checkIntervalSeconds: 3600,
      rules: { minChangePercent: '5', targetPrice: '399.00' },
    },
  });

const IMMUTABLE_WATCH_FIELDS = ['url', 'kind', 'selectors'] as const;

export const UpdateWatchRequestSchema = z
  .strictObject(
    {
      labels: LabelsSchema.optional(),
      checkIntervalSeconds: CheckIntervalSecondsSchema.optional(),
      rules: AlertRulesUpdateSchema.optional(),
      paused: z.boolean({ error: 'must be true or false' }).optional().meta({
        description:
          'true pauses the watch: the page is no longer checked for you and your watch raises no alerts (it is still checked while another active watch needs it). false resumes it: checked again at once.',
      }),
    },
    { error: unknownFieldsError(IMMUTABLE_WATCH_FIELDS, 'delete the watch and create a new one') },
  )
  .refine((update) => Object.keys(update).length > 0, {
    error: 'must contain at least one of: labels, checkIntervalSeconds, rules, paused',
    when: (payload) => payload.issues.length === 0,
  })
  .meta({
    id: 'UpdateWatchRequest',
    description:
      'Changes to a watch; at least one field. rules are merged field by field; paused pauses or resumes it. url and kind cannot be changed.',
    minProperties: 1,
    example: { rules: { minChangePercent: '10' } },
  });

export const WatchHealthSchema = z
  .object({
    status: TargetStatusSchema,
    lastCheckedAt: TimestampSchema.nullable().meta({
      description: 'When the page was last fetched.',
    }),
    lastOutcome: z
      .enum(['succeeded', 'failed'])
      .nullable()
      .meta({ description: 'How the newest finished check ended; null before the first.' }),
    lastSuccessAt: TimestampSchema.nullable(),
    lastFailureAt: TimestampSchema.nullable(),
    lastErrorClass: ScrapeErrorClassSchema.nullable(),
    lastErrorMessage: z.string().nullable(),
    consecutiveFailures: z.int(),
    pauseReason: z.string().nullable().meta({ description: 'Why the page is no longer checked.' }),
  })
  .meta({
    id: 'WatchHealth',
    description: "The watched page's health, shared by all its watchers.",
  });

/** How far back a watch list's sparklines reach, and how many points each carries at most. */
export const SPARKLINE_DAYS = 30;
export const SPARKLINE_MAX_POINTS = 96;

export const WatchSparklineSchema = z
  .object({
    productId: IdSchema.nullable().meta({
      description:
        "The page's product (its primary offer) the points belong to; null before its first check.",
    }),
    from: TimestampSchema.meta({ description: `${SPARKLINE_DAYS} days before the request.` }),
    points: z
      .array(
        z.object({
          observedAt: TimestampSchema,
          price: MoneySchema.nullable().meta({ description: 'null: no price on the page.' }),
        }),
      )
      .max(SPARKLINE_MAX_POINTS)
      .meta({
        description: `Oldest first; the last two are the two newest checks. With more than ${SPARKLINE_MAX_POINTS} points since \`from\`, the older ones are cut into ${SPARKLINE_MAX_POINTS - 2} equal runs and each run gives its newest point.`,
      }),
  })
  .meta({
    id: 'WatchSparkline',
    description: `The last ${SPARKLINE_DAYS} days of the watched page's price, for a small chart; GET /v1/products/{id}/prices has every point.`,
  });

export const WatchSchema = z
  .object({
    id: IdSchema,
    targetId: IdSchema,
    url: TargetUrlSchema,
    kind: TargetKindSchema,
    labels: z.array(z.string()),
    checkIntervalSeconds: CheckIntervalSecondsSchema,
    rules: AlertRulesSchema,
    paused: z.boolean().meta({
      description:
        'You paused this watch (PATCH paused): not checked for you, no alerts; false: active.',
    }),
    pausedAt: TimestampSchema.nullable().meta({ description: 'When you paused it; null: active.' }),
    health: WatchHealthSchema,
    sparkline: WatchSparklineSchema.optional().meta({
      description: 'Only in the list, with include=sparkline.',
    }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Watch', description: 'A page your account watches, with your rules.' });

export const WatchListSchema = z
  .object({ items: z.array(WatchSchema), nextPageToken: nextPageTokenField })
  .meta({ id: 'WatchList', description: 'One page of watches, newest first.' });

export const ListWatchesQuerySchema = z.strictObject(
  {
    page_size: pageSizeParameter(),
    page_token: pageTokenParameter,
    label: LabelSchema.optional().meta({ description: 'Only watches with this label.' }),
    include: z
      .enum(['sparkline'], { error: 'must be "sparkline"' })
      .optional()
      .meta({
        description: `sparkline: each watch also carries the last ${SPARKLINE_DAYS} days of its price (read in one statement for the whole page).`,
      }),
  },
  unknownQueryParameters,
);

export type AlertRules = z.infer<typeof AlertRulesSchema>;
export type CreateWatchRequest = z.infer<typeof CreateWatchRequestSchema>;
export type UpdateWatchRequest = z.infer<typeof UpdateWatchRequestSchema>;
export type Watch = z.infer<typeof WatchSchema>;
export type WatchHealth = z.infer<typeof WatchHealthSchema>;
export type WatchList = z.infer<typeof WatchListSchema>;
export type WatchSparkline = z.infer<typeof WatchSparklineSchema>;
export type ListWatchesQuery = z.infer<typeof ListWatchesQuerySchema>;
