import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import {
  ObservationRecordedSchema,
  PriceChangedSchema,
  ProductsDiscoveredSchema,
  ScrapeFailedSchema,
  ScrapeRequestedSchema,
} from './events/payloads';
import { HealthStatusSchema } from './health';
import { IdSchema } from './ids';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from './problem';
import { AlertListSchema, ListAlertsQuerySchema } from './read/alerts';
import {
  ListPricesQuerySchema,
  ListProductsQuerySchema,
  PriceHistorySchema,
  ProductListSchema,
  ProductSchema,
} from './read/products';
import { ScrapeRunSchema } from './read/runs';
import {
  CreateTargetRequestSchema,
  ListTargetsQuerySchema,
  TargetListSchema,
  TargetSchema,
  UpdateTargetRequestSchema,
} from './targets';

export type OpenApiDocument = ReturnType<typeof createDocument>;

export const API_VERSION = '1.0.0';

const problem = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});

const json = (description: string, schema: z.ZodType): ZodOpenApiResponseObject => ({
  description,
  content: { 'application/json': { schema } },
});

const internalError = {
  '500': problem('Unexpected server error.'),
} satisfies ZodOpenApiResponsesObject;

const TargetPathParams = z.object({ id: IdSchema.meta({ description: 'Target id.' }) });
const ProductPathParams = z.object({ id: IdSchema.meta({ description: 'Product id.' }) });
const RunPathParams = z.object({ id: IdSchema.meta({ description: 'Scrape run id.' }) });

/**
 * The api's OpenAPI 3.1 document, generated from the same schemas that validate requests, so
 * the two cannot drift. Cheap enough to build once at start-up; callers should cache it.
 */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'shelfwatch API',
      version: API_VERSION,
      description:
        'Register product pages, listings and sitemaps to watch for price and stock changes. Errors are RFC 9457 application/problem+json.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: 'targets', description: 'URLs shelfwatch watches.' },
      { name: 'products', description: 'Products found on watched pages and their price history.' },
      { name: 'runs', description: 'Scrapes of targets and how they ended.' },
      { name: 'alerts', description: 'Detected price and stock changes.' },
      { name: 'operations', description: 'Liveness, readiness and this document.' },
    ],
    paths: {
      '/v1/targets': {
        post: {
          operationId: 'createTarget',
          tags: ['targets'],
          summary: 'Watch a URL',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: CreateTargetRequestSchema } },
          },
          responses: {
            '201': {
              ...json('The created target.', TargetSchema),
              headers: z.object({
                Location: z.string().meta({ description: 'URL of the created target.' }),
              }),
            },
            '400': problem(
              'The body is malformed JSON or fails validation (unknown fields included).',
            ),
            '409': problem('A target for this URL already exists.'),
            '413': problem('The body is larger than the server accepts.'),
            '415': problem('The body is not application/json.'),
            ...internalError,
          },
        },
        get: {
          operationId: 'listTargets',
          tags: ['targets'],
          summary: 'List targets, newest first',
          requestParams: { query: ListTargetsQuerySchema },
          responses: {
            '200': json('One page of targets.', TargetListSchema),
            '400': problem('Invalid query parameters or page token.'),
            ...internalError,
          },
        },
      },
      '/v1/targets/{id}': {
        get: {
          operationId: 'getTarget',
          tags: ['targets'],
          summary: 'Get one target',
          requestParams: { path: TargetPathParams },
          responses: {
            '200': json('The target.', TargetSchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('No target with this id.'),
            ...internalError,
          },
        },
        patch: {
          operationId: 'updateTarget',
          tags: ['targets'],
          summary: 'Change selectors, check interval or status',
          description: 'url and kind cannot be changed; create a new target instead.',
          requestParams: { path: TargetPathParams },
          requestBody: {
            required: true,
            content: { 'application/json': { schema: UpdateTargetRequestSchema } },
          },
          responses: {
            '200': json('The updated target.', TargetSchema),
            '400': problem('The id is not a UUID, or the body is malformed or fails validation.'),
            '404': problem('No target with this id.'),
            '413': problem('The body is larger than the server accepts.'),
            '415': problem('The body is not application/json.'),
            ...internalError,
          },
        },
        delete: {
          operationId: 'deleteTarget',
          tags: ['targets'],
          summary: 'Stop watching a target',
          requestParams: { path: TargetPathParams },
          responses: {
            '204': { description: 'Deleted.' },
            '400': problem('The id is not a UUID.'),
            '404': problem('No target with this id.'),
            ...internalError,
          },
        },
      },
      '/v1/targets/{id}/scrape': {
        post: {
          operationId: 'scrapeTarget',
          tags: ['targets', 'runs'],
          summary: 'Scrape a target now',
          description:
            'Queues a scrape of the target outside its schedule, paused targets included, and answers at once with the queued run; poll `Location` (`GET /v1/runs/{id}`) for how it ended.',
          requestParams: { path: TargetPathParams },
          responses: {
            '202': {
              description: 'The scrape was queued.',
              headers: z.object({
                Location: z.string().meta({ description: 'The run: `/v1/runs/{runId}`.' }),
              }),
              content: { 'application/json': { schema: ScrapeRunSchema } },
            },
            '400': problem('The id is not a UUID.'),
            '404': problem('No target with this id.'),
            '503': problem(
              'The message transport is unavailable; nothing was queued. Retry later.',
            ),
            ...internalError,
          },
        },
      },
      '/v1/products': {
        get: {
          operationId: 'listProducts',
          tags: ['products'],
          summary: 'List products, oldest first',
          requestParams: { query: ListProductsQuerySchema },
          responses: {
            '200': json('One page of products.', ProductListSchema),
            '400': problem('Invalid query parameters or page token.'),
            ...internalError,
          },
        },
      },
      '/v1/products/{id}': {
        get: {
          operationId: 'getProduct',
          tags: ['products'],
          summary: 'Get one product with its latest state',
          requestParams: { path: ProductPathParams },
          responses: {
            '200': json('The product.', ProductSchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('No product with this id.'),
            ...internalError,
          },
        },
      },
      '/v1/products/{id}/prices': {
        get: {
          operationId: 'listProductPrices',
          tags: ['products'],
          summary: 'Price history of a product by observation time',
          requestParams: { path: ProductPathParams, query: ListPricesQuerySchema },
          responses: {
            '200': json('One page of price points, oldest first.', PriceHistorySchema),
            '400': problem(
              'The id is not a UUID, or from/to, page_size or page_token is invalid (from after to included).',
            ),
            '404': problem('No product with this id.'),
            ...internalError,
          },
        },
      },
      '/v1/runs/{id}': {
        get: {
          operationId: 'getScrapeRun',
          tags: ['runs'],
          summary: 'Get one scrape run',
          requestParams: { path: RunPathParams },
          responses: {
            '200': json('The scrape run.', ScrapeRunSchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('No scrape run with this id.'),
            ...internalError,
          },
        },
      },
      '/v1/alerts': {
        get: {
          operationId: 'listAlerts',
          tags: ['alerts'],
          summary: 'List alerts, newest first',
          requestParams: { query: ListAlertsQuerySchema },
          responses: {
            '200': json('One page of alerts.', AlertListSchema),
            '400': problem('Invalid query parameters or page token.'),
            ...internalError,
          },
        },
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          tags: ['operations'],
          summary: 'Liveness',
          responses: { '200': json('The process is alive.', HealthStatusSchema) },
        },
      },
      '/ready': {
        get: {
          operationId: 'getReadiness',
          tags: ['operations'],
          summary: 'Readiness: dependencies reachable',
          responses: {
            '200': json('Ready to serve traffic.', HealthStatusSchema),
            '503': problem(
              'Not ready: a dependency is unreachable or the service is draining; `checks` names each outcome.',
            ),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          tags: ['operations'],
          summary: 'This OpenAPI document',
          responses: {
            '200': {
              description: 'OpenAPI 3.1 document.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      // Not used by any route: published so event consumers can generate types from one document.
      schemas: {
        ScrapeRequested: ScrapeRequestedSchema,
        ObservationRecorded: ObservationRecordedSchema,
        ScrapeFailed: ScrapeFailedSchema,
        ProductsDiscovered: ProductsDiscoveredSchema,
        PriceChanged: PriceChangedSchema,
      },
    },
  });
}
