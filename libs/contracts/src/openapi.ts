import { z } from 'zod';
import type {
  createDocument,
  ZodOpenApiOperationObject,
  ZodOpenApiResponseObject,
  ZodOpenApiResponsesObject,
} from 'zod-openapi';
import {
  ObservationRecordedSchema,
  PriceChangedSchema,
  ProductsDiscoveredSchema,
  ScrapeFailedSchema,
  ScrapeRequestedSchema,
} from './events/payloads';
import {
  ApiKeyListSchema,
  ApiKeySchema,
  CreateApiKeyRequestSchema,
  CreatedApiKeySchema,
  type ApiKeyScope,
} from './accounts/api-keys';
import {
  CSRF_HEADER,
  SESSION_COOKIE,
  SessionSchema,
  SignInRequestSchema,
} from './accounts/sessions';
import {
  CreateEmailRecipientRequestSchema,
  EmailLinkQuerySchema,
  EmailRecipientListSchema,
  EmailRecipientSchema,
  ListEmailRecipientsQuerySchema,
  UpdateEmailRecipientRequestSchema,
} from './email-recipients';
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
import { ListRunsQuerySchema, ScrapeRunListSchema, ScrapeRunSchema } from './read/runs';
import {
  CreateTargetRequestSchema,
  ListTargetsQuerySchema,
  TargetListSchema,
  TargetSchema,
  UpdateTargetRequestSchema,
} from './targets';
import {
  CreateWebhookRequestSchema,
  CreatedWebhookSchema,
  ListWebhookDeliveriesQuerySchema,
  ListWebhooksQuerySchema,
  RotateWebhookSecretRequestSchema,
  UpdateWebhookRequestSchema,
  WebhookDeliveryAttemptListSchema,
  WebhookDeliveryRequestedAnswerSchema,
  WebhookListSchema,
  WebhookPayloadSchema,
  WebhookSchema,
} from './webhooks';
import { AlertRaisedSchema } from './events/alert-raised';
import {
  CreateWatchRequestSchema,
  ListWatchesQuerySchema,
  UpdateWatchRequestSchema,
  WatchListSchema,
  WatchSchema,
} from './watches';

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

/** The two ways to authenticate; every /v1 operation accepts either. */
export const securitySchemeNames = { apiKey: 'apiKey', session: 'sessionCookie' } as const;

const retryAfterHeader = z.string().meta({ description: 'Seconds until a retry can succeed.' });

const retryLaterProblem = (description: string): ZodOpenApiResponseObject => ({
  ...problem(description),
  headers: z.object({ 'Retry-After': retryAfterHeader }),
});

const addressRefusedProblem = problem(
  'The URL points where the scraper may not go (type address-refused). The `reason` member names why: `loopback address`, `private address`, `link-local address`, `metadata address`, `unspecified address`, `multicast address`, `broadcast address`, `reserved address`, `unresolvable host`, ...; `detail` names the host and the address it resolved to.',
);

/** 401/403/429 of every authenticated operation. */
const accessResponses = {
  '401': {
    ...problem('No credential, or one that is unknown, expired or revoked.'),
    headers: z.object({
      'WWW-Authenticate': z.string().meta({
        description: 'The scheme to authenticate with: `Bearer realm="shelfwatch"`.',
      }),
    }),
  },
  '403': problem(
    `The credential lacks the scope this operation needs, or a cookie-authenticated write lacks a valid ${CSRF_HEADER}.`,
  ),
  '429': {
    ...problem('Too many requests for this key or account; wait Retry-After seconds.'),
    headers: z.object({
      'Retry-After': retryAfterHeader,
      RateLimit: z.string().meta({ description: 'IETF RateLimit: remaining quota and reset.' }),
      'RateLimit-Policy': z
        .string()
        .meta({ description: 'IETF RateLimit-Policy: quota and window.' }),
    }),
  },
} satisfies ZodOpenApiResponsesObject;

type Operation = ZodOpenApiOperationObject;

/** An operation that needs `scope`, with its access answers. */
function secured(scope: ApiKeyScope, operation: Operation): Operation {
  return {
    ...operation,
    security: [
      { [securitySchemeNames.apiKey]: [scope] },
      { [securitySchemeNames.session]: [scope] },
    ],
    responses: { ...operation.responses, ...accessResponses },
  };
}

const IdempotencyHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().meta({
    description:
      'Makes a retry safe: for 24 h a repeat with the same key, path and body gets the first answer again (status, headers, body; `Idempotent-Replayed: true`).',
  }),
});

/** A POST that needs `scope`: also accepts Idempotency-Key. */
function securedPost(scope: ApiKeyScope, operation: Operation): Operation {
  const requestParams = operation.requestParams ?? {};
  return secured(scope, {
    ...operation,
    requestParams: { ...requestParams, header: IdempotencyHeaders },
    responses: {
      ...operation.responses,
      '409': problem(
        `${(operation.responses?.['409'] as { description?: string } | undefined)?.description ?? 'Conflict.'} Also: a request with this Idempotency-Key is still in progress (Retry-After).`,
      ),
      '422': problem(
        `${(operation.responses?.['422'] as { description?: string } | undefined)?.description ?? ''} Also: the Idempotency-Key was used for a different request.`.trim(),
      ),
    },
  });
}

const TargetPathParams = z.object({ id: IdSchema.meta({ description: 'Target id.' }) });
const ProductPathParams = z.object({ id: IdSchema.meta({ description: 'Product id.' }) });
const RunPathParams = z.object({ id: IdSchema.meta({ description: 'Scrape run id.' }) });
const WatchPathParams = z.object({ id: IdSchema.meta({ description: 'Watch id.' }) });
const EmailRecipientPathParams = z.object({
  id: IdSchema.meta({ description: 'Email recipient id.' }),
});
const ApiKeyPathParams = z.object({ id: IdSchema.meta({ description: 'API key id.' }) });
const WebhookPathParams = z.object({ id: IdSchema.meta({ description: 'Webhook id.' }) });
const WebhookDeliveryPathParams = WebhookPathParams.extend({
  eventId: IdSchema.meta({ description: 'The event whose dead delivery to send again.' }),
});

const jsonBodyProblems = {
  '413': problem('The body is larger than the server accepts.'),
  '415': problem('The body is not application/json.'),
} satisfies ZodOpenApiResponsesObject;

/**
 * The api's OpenAPI 3.1 document, generated from the same schemas that validate requests, so
 * the two cannot drift. Cheap enough to build once at start-up; callers should cache it.
 */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): OpenApiDocument {
  // Loaded here: only the api builds the document, and zod-openapi is slow to load at every start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const openApi = require('zod-openapi') as { createDocument: typeof createDocument };
  return openApi.createDocument({
    openapi: '3.1.0',
    info: {
      title: 'shelfwatch API',
      version: API_VERSION,
      description:
        'Register product pages, listings and sitemaps to watch for price and stock changes. Errors are RFC 9457 application/problem+json.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      {
        name: 'watches',
        description: 'What your account watches, with your labels and alert rules.',
      },
      { name: 'access', description: 'API keys and sign-in sessions.' },
      {
        name: 'email',
        description:
          'Addresses your alerts are mailed to, and the public pages their mailed links open.',
      },
      {
        name: 'targets',
        description: 'Admin only: the shared, deduplicated pages behind all watches.',
      },
      { name: 'products', description: 'Products found on watched pages and their price history.' },
      { name: 'runs', description: 'Scrapes of targets and how they ended.' },
      { name: 'alerts', description: 'Detected price and stock changes.' },
      {
        name: 'webhooks',
        description:
          'Endpoints that receive alerts as signed Standard Webhooks POSTs (webhook-id, webhook-timestamp, webhook-signature), retried for about 16 h.',
      },
      { name: 'operations', description: 'Liveness, readiness and this document.' },
    ],
    paths: {
      '/v1/watches': {
        post: securedPost('write', {
          operationId: 'createWatch',
          tags: ['watches'],
          summary: 'Watch a URL',
          description:
            'The page becomes (or stays) one shared target, fetched once per interval however many accounts watch it, at the shortest interval among its watches. A URL the scraper would refuse (loopback, private, link-local or metadata addresses, in any spelling, or a host that does not resolve) is rejected with 422.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: CreateWatchRequestSchema } },
          },
          responses: {
            '201': {
              ...json('The created watch.', WatchSchema),
              headers: z.object({
                Location: z.string().meta({ description: 'URL of the created watch.' }),
              }),
            },
            '400': problem(
              'The body is malformed JSON or fails validation (unknown fields included).',
            ),
            '409': problem('Your account already watches this URL.'),
            ...jsonBodyProblems,
            '422': addressRefusedProblem,
            '503': retryLaterProblem(
              'DNS for the host failed in a way that may heal; retry after Retry-After.',
            ),
            ...internalError,
          },
        }),
        get: secured('read', {
          operationId: 'listWatches',
          tags: ['watches'],
          summary: 'List your watches, newest first',
          description:
            'With include=sparkline each watch carries the last 30 days of its price (at most 96 points), so a table of watches needs one request per page, not one per row.',
          requestParams: { query: ListWatchesQuerySchema },
          responses: {
            '200': json('One page of watches.', WatchListSchema),
            '400': problem('Invalid query parameters or page token.'),
            ...internalError,
          },
        }),
      },
      '/v1/watches/{id}': {
        get: secured('read', {
          operationId: 'getWatch',
          tags: ['watches'],
          summary: 'Get one watch with its health',
          requestParams: { path: WatchPathParams },
          responses: {
            '200': json('The watch.', WatchSchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no watch with this id.'),
            ...internalError,
          },
        }),
        patch: secured('write', {
          operationId: 'updateWatch',
          tags: ['watches'],
          summary: 'Change labels, interval or alert rules; pause or resume',
          description:
            'paused=true pauses the watch: its page is no longer scheduled for your account (a page no active watch needs is not checked at all) and it raises no alerts. paused=false resumes it and asks for a check at once.',
          requestParams: { path: WatchPathParams },
          requestBody: {
            required: true,
            content: { 'application/json': { schema: UpdateWatchRequestSchema } },
          },
          responses: {
            '200': json('The updated watch.', WatchSchema),
            '400': problem('The id is not a UUID, or the body is malformed or fails validation.'),
            '404': problem('Your account has no watch with this id.'),
            ...jsonBodyProblems,
            ...internalError,
          },
        }),
        delete: secured('write', {
          operationId: 'deleteWatch',
          tags: ['watches'],
          summary: 'Stop watching',
          description: 'The shared target is removed with its last watch.',
          requestParams: { path: WatchPathParams },
          responses: {
            '204': { description: 'Deleted.' },
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no watch with this id.'),
            ...internalError,
          },
        }),
      },
      '/v1/api-keys': {
        post: securedPost('admin', {
          operationId: 'createApiKey',
          tags: ['access'],
          summary: 'Create an API key (shown once)',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: CreateApiKeyRequestSchema } },
          },
          responses: {
            '201': json('The key, with its secret; store it now.', CreatedApiKeySchema),
            '400': problem('The body is malformed JSON or fails validation.'),
            ...jsonBodyProblems,
            ...internalError,
          },
        }),
        get: secured('admin', {
          operationId: 'listApiKeys',
          tags: ['access'],
          summary: "List the account's API keys (never their secrets)",
          responses: {
            '200': json('The keys, newest first.', ApiKeyListSchema),
            ...internalError,
          },
        }),
      },
      '/v1/api-keys/{id}': {
        delete: secured('admin', {
          operationId: 'revokeApiKey',
          tags: ['access'],
          summary: 'Revoke an API key',
          requestParams: { path: ApiKeyPathParams },
          responses: {
            '200': json('The revoked key.', ApiKeySchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no key with this id.'),
            ...internalError,
          },
        }),
      },
      '/v1/sessions': {
        post: {
          operationId: 'signIn',
          tags: ['access'],
          summary: 'Sign in with email and password',
          description: `Sets the ${SESSION_COOKIE} cookie (HttpOnly, Secure, SameSite=Lax). Writes made with it need the returned csrfToken in ${CSRF_HEADER}. Failed attempts are throttled per email and per client address.`,
          security: [],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: SignInRequestSchema } },
          },
          responses: {
            '201': json('Signed in.', SessionSchema),
            '400': problem('The body is malformed JSON or fails validation.'),
            '401': problem('Wrong email or password.'),
            ...jsonBodyProblems,
            '429': {
              ...problem('Too many failed sign-ins for this email or address; wait Retry-After.'),
              headers: z.object({ 'Retry-After': retryAfterHeader }),
            },
            ...internalError,
          },
        },
      },
      '/v1/sessions/current': {
        get: secured('read', {
          operationId: 'getSession',
          tags: ['access'],
          summary: 'Who is signed in',
          responses: { '200': json('The session.', SessionSchema), ...internalError },
        }),
        delete: secured('write', {
          operationId: 'signOut',
          tags: ['access'],
          summary: 'Sign out (revokes the session)',
          responses: { '204': { description: 'Signed out.' }, ...internalError },
        }),
      },
      '/v1/email-recipients': {
        post: securedPost('write', {
          operationId: 'createEmailRecipient',
          tags: ['email'],
          summary: 'Mail alerts to an address',
          description:
            'Mails a confirmation link to the address at once (valid for EMAIL_VERIFICATION_TTL_SECONDS, 48 h by default); no alert is mailed before the link is opened.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: CreateEmailRecipientRequestSchema } },
          },
          responses: {
            '201': {
              ...json('The recipient, pending verification.', EmailRecipientSchema),
              headers: z.object({
                Location: z.string().meta({ description: 'URL of the created recipient.' }),
              }),
            },
            '400': problem(
              'The body is malformed JSON or fails validation (unknown fields included).',
            ),
            '404': problem('Your account has no watch with this watchId.'),
            '409': problem('Your account already mails this address.'),
            ...jsonBodyProblems,
            '503': problem(
              'This server has no SMTP configured, or it refused the confirmation mail; nothing was stored.',
            ),
            ...internalError,
          },
        }),
        get: secured('read', {
          operationId: 'listEmailRecipients',
          tags: ['email'],
          summary: 'List email recipients, newest first',
          requestParams: { query: ListEmailRecipientsQuerySchema },
          responses: {
            '200': json('One page of recipients.', EmailRecipientListSchema),
            '400': problem('Invalid query parameters or page token.'),
            ...internalError,
          },
        }),
      },
      '/v1/email-recipients/{id}': {
        get: secured('read', {
          operationId: 'getEmailRecipient',
          tags: ['email'],
          summary: 'Get one email recipient',
          requestParams: { path: EmailRecipientPathParams },
          responses: {
            '200': json('The recipient.', EmailRecipientSchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no email recipient with this id.'),
            ...internalError,
          },
        }),
        patch: secured('write', {
          operationId: 'updateEmailRecipient',
          tags: ['email'],
          summary: 'Change what is mailed to a recipient, and how',
          requestParams: { path: EmailRecipientPathParams },
          requestBody: {
            required: true,
            content: { 'application/json': { schema: UpdateEmailRecipientRequestSchema } },
          },
          responses: {
            '200': json('The updated recipient.', EmailRecipientSchema),
            '400': problem('The id is not a UUID, or the body is malformed or fails validation.'),
            '404': problem('Your account has no email recipient (or watch) with this id.'),
            ...jsonBodyProblems,
            ...internalError,
          },
        }),
        delete: secured('write', {
          operationId: 'deleteEmailRecipient',
          tags: ['email'],
          summary: 'Stop mailing an address',
          requestParams: { path: EmailRecipientPathParams },
          responses: {
            '204': { description: 'Deleted.' },
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no email recipient with this id.'),
            ...internalError,
          },
        }),
      },
      '/email/verify': {
        get: {
          operationId: 'verifyEmailRecipient',
          tags: ['email'],
          summary: 'Confirm an address (the link in the confirmation mail; no sign-in)',
          requestParams: { query: EmailLinkQuerySchema },
          responses: {
            '200': {
              description:
                'Confirmed (or confirmed before): a small HTML page, or JSON for Accept: application/json.',
              content: {
                'text/html': { schema: z.string() },
                'application/json': { schema: EmailRecipientSchema },
              },
            },
            '400': problem('The token is missing or not one shelfwatch issued.'),
            '410': problem('The link expired; add the address again for a new one.'),
            ...internalError,
          },
        },
      },
      '/email/unsubscribe': {
        get: {
          operationId: 'showUnsubscribe',
          tags: ['email'],
          summary: 'The unsubscribe page of a mail (no sign-in)',
          description:
            'Shows a one-button form that posts back to this URL. Opening the link changes nothing, so link scanners cannot unsubscribe anyone.',
          requestParams: { query: EmailLinkQuerySchema },
          responses: {
            '200': {
              description: 'The unsubscribe form.',
              content: { 'text/html': { schema: z.string() } },
            },
            '400': problem('The token is missing, forged or not for unsubscribing.'),
            ...internalError,
          },
        },
        post: {
          operationId: 'unsubscribe',
          tags: ['email'],
          summary: 'Stop all mail to a recipient (RFC 8058 one-click; no sign-in)',
          description:
            'The target of the form and of `List-Unsubscribe-Post`: accepts an empty body or the form `List-Unsubscribe=One-Click`. Repeating it is harmless.',
          requestParams: { query: EmailLinkQuerySchema },
          responses: {
            '200': {
              description: 'Unsubscribed: an HTML page, or JSON for Accept: application/json.',
              content: {
                'text/html': { schema: z.string() },
                'application/json': { schema: EmailRecipientSchema },
              },
            },
            '400': problem('The token is missing, forged or not for unsubscribing.'),
            '404': problem('The recipient was deleted.'),
            ...internalError,
          },
        },
      },
      '/v1/runs': {
        get: secured('read', {
          operationId: 'listScrapeRuns',
          tags: ['runs'],
          summary: 'Scrape runs of your watches, newest first',
          requestParams: { query: ListRunsQuerySchema },
          responses: {
            '200': json('One page of runs.', ScrapeRunListSchema),
            '400': problem('Invalid query parameters or page token.'),
            '404': problem('Your account has no watch with this watch_id.'),
            ...internalError,
          },
        }),
      },
      '/v1/targets': {
        post: securedPost('admin', {
          operationId: 'createTarget',
          tags: ['targets'],
          summary: 'Create a shared target (admin)',
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
            '422': addressRefusedProblem,
            '503': retryLaterProblem(
              'DNS for the host failed in a way that may heal; retry after Retry-After.',
            ),
            ...internalError,
          },
        }),
        get: secured('admin', {
          operationId: 'listTargets',
          tags: ['targets'],
          summary: 'List targets, newest first',
          requestParams: { query: ListTargetsQuerySchema },
          responses: {
            '200': json('One page of targets.', TargetListSchema),
            '400': problem('Invalid query parameters or page token.'),
            ...internalError,
          },
        }),
      },
      '/v1/targets/{id}': {
        get: secured('admin', {
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
        }),
        patch: secured('admin', {
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
        }),
        delete: secured('admin', {
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
        }),
      },
      '/v1/targets/{id}/scrape': {
        post: securedPost('admin', {
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
        }),
      },
      '/v1/products': {
        get: secured('read', {
          operationId: 'listProducts',
          tags: ['products'],
          summary: 'Search, filter and sort the products of your watches',
          description:
            'Only products found through pages your account watches. `q` searches name, brand, SKU and GTIN (case-insensitive substring); `host`, `availability`, `min_price` and `max_price` filter; `sort` and `order` order the list (oldest first without them). A page token belongs to the sort and order it came with.',
          requestParams: { query: ListProductsQuerySchema },
          responses: {
            '200': json('One page of products.', ProductListSchema),
            '400': problem(
              'Invalid query parameters (an unknown sort, min_price above max_price, order without sort, ...) or a page token that is not from this listing and sort.',
            ),
            ...internalError,
          },
        }),
      },
      '/v1/products/{id}': {
        get: secured('read', {
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
        }),
      },
      '/v1/products/{id}/prices': {
        get: secured('read', {
          operationId: 'listProductPrices',
          tags: ['products'],
          summary: 'Price history of a product by observation time',
          requestParams: { path: ProductPathParams, query: ListPricesQuerySchema },
          responses: {
            '200': {
              description:
                'One page of price points, oldest first. With `Accept: text/csv`, the page as RFC 4180 CSV (observed_at, amount, currency, list_price, availability, not_modified, run_id) and the next page token in `Next-Page-Token`.',
              content: {
                'application/json': { schema: PriceHistorySchema },
                'text/csv': { schema: z.string() },
              },
            },
            '400': problem(
              'The id is not a UUID, or from/to, page_size or page_token is invalid (from after to included).',
            ),
            '404': problem('No product with this id.'),
            ...internalError,
          },
        }),
      },
      '/v1/runs/{id}': {
        get: secured('read', {
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
        }),
      },
      '/v1/alerts': {
        get: secured('read', {
          operationId: 'listAlerts',
          tags: ['alerts'],
          summary: 'List alerts, newest first',
          requestParams: { query: ListAlertsQuerySchema },
          responses: {
            '200': json('One page of alerts.', AlertListSchema),
            '400': problem('Invalid query parameters or page token.'),
            ...internalError,
          },
        }),
      },
      '/v1/webhooks': {
        post: securedPost('write', {
          operationId: 'createWebhook',
          tags: ['webhooks'],
          summary: 'Add a webhook endpoint (its signing secret is shown once)',
          description:
            'Alerts of the chosen kinds (optionally of one watch, or of watches with a label) are POSTed to the URL, signed with the returned secret. The URL must be https and resolve to public addresses only.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: CreateWebhookRequestSchema } },
          },
          responses: {
            '201': {
              ...json('The endpoint with its secret; store it now.', CreatedWebhookSchema),
              headers: z.object({
                Location: z.string().meta({ description: 'URL of the created webhook.' }),
              }),
            },
            '400': problem(
              'The body is malformed JSON or fails validation (unknown fields included).',
            ),
            ...jsonBodyProblems,
            '422': problem(
              'The URL is not https, or points at a loopback, private, link-local or metadata address (type address-refused, `reason` names which); or watchId is not one of your watches.',
            ),
            '503': problem('Webhooks are not configured, or DNS failed in a way that may heal.'),
            ...internalError,
          },
        }),
        get: secured('read', {
          operationId: 'listWebhooks',
          tags: ['webhooks'],
          summary: 'List your webhooks, newest first',
          requestParams: { query: ListWebhooksQuerySchema },
          responses: {
            '200': json('One page of webhooks.', WebhookListSchema),
            '400': problem('Invalid query parameters or page token.'),
            '503': problem('Webhooks are not configured on this server.'),
            ...internalError,
          },
        }),
      },
      '/v1/webhooks/{id}': {
        get: secured('read', {
          operationId: 'getWebhook',
          tags: ['webhooks'],
          summary: 'Get one webhook with its status',
          requestParams: { path: WebhookPathParams },
          responses: {
            '200': json('The webhook.', WebhookSchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no webhook with this id.'),
            '503': problem('Webhooks are not configured on this server.'),
            ...internalError,
          },
        }),
        patch: secured('write', {
          operationId: 'updateWebhook',
          tags: ['webhooks'],
          summary: 'Change URL, kinds or filters; pause or resume',
          requestParams: { path: WebhookPathParams },
          requestBody: {
            required: true,
            content: { 'application/json': { schema: UpdateWebhookRequestSchema } },
          },
          responses: {
            '200': json('The updated webhook.', WebhookSchema),
            '400': problem('The id is not a UUID, or the body is malformed or fails validation.'),
            '404': problem('Your account has no webhook with this id.'),
            ...jsonBodyProblems,
            '422': problem('The new URL is refused (see createWebhook), or watchId is not yours.'),
            '503': problem('Webhooks are not configured, or DNS failed in a way that may heal.'),
            ...internalError,
          },
        }),
        delete: secured('write', {
          operationId: 'deleteWebhook',
          tags: ['webhooks'],
          summary: 'Remove a webhook',
          requestParams: { path: WebhookPathParams },
          responses: {
            '204': { description: 'Deleted.' },
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no webhook with this id.'),
            '503': problem('Webhooks are not configured on this server.'),
            ...internalError,
          },
        }),
      },
      '/v1/webhooks/{id}/rotate-secret': {
        post: securedPost('write', {
          operationId: 'rotateWebhookSecret',
          tags: ['webhooks'],
          summary: 'Replace the signing secret (the new one is shown once)',
          description:
            'For graceSeconds (default 24 h) deliveries carry two signatures, one per secret (`v1,<new> v1,<old>`), so receivers can switch without missing one.',
          requestParams: { path: WebhookPathParams },
          requestBody: {
            required: false,
            content: { 'application/json': { schema: RotateWebhookSecretRequestSchema } },
          },
          responses: {
            '200': json('The webhook with its new secret.', CreatedWebhookSchema),
            '400': problem('The id is not a UUID, or the body is malformed or fails validation.'),
            '404': problem('Your account has no webhook with this id.'),
            ...jsonBodyProblems,
            '503': problem('Webhooks are not configured on this server.'),
            ...internalError,
          },
        }),
      },
      '/v1/webhooks/{id}/test': {
        post: securedPost('write', {
          operationId: 'testWebhook',
          tags: ['webhooks'],
          summary: 'Send a signed test ping',
          description:
            'The notifier delivers a `webhook.ping` shortly, signed and retried like an alert; follow it in …/deliveries.',
          requestParams: { path: WebhookPathParams },
          responses: {
            '202': json('The ping was queued.', WebhookDeliveryRequestedAnswerSchema),
            '400': problem('The id is not a UUID.'),
            '404': problem('Your account has no webhook with this id.'),
            '409': problem('The webhook is paused or disabled.'),
            '503': problem('Messaging or webhooks are unavailable; nothing was queued.'),
            ...internalError,
          },
        }),
      },
      '/v1/webhooks/{id}/deliveries': {
        get: secured('read', {
          operationId: 'listWebhookDeliveries',
          tags: ['webhooks'],
          summary: 'Delivery attempts, newest first',
          description:
            'Each attempt with its HTTP status, latency and the first bytes of the answer, and the outcome of its event on this endpoint (pending, delivered, dead).',
          requestParams: { path: WebhookPathParams, query: ListWebhookDeliveriesQuerySchema },
          responses: {
            '200': json('One page of attempts.', WebhookDeliveryAttemptListSchema),
            '400': problem('The id is not a UUID, or invalid query parameters or page token.'),
            '404': problem('Your account has no webhook with this id.'),
            '503': problem('Webhooks are not configured on this server.'),
            ...internalError,
          },
        }),
      },
      '/v1/webhooks/{id}/deliveries/{eventId}/resend': {
        post: securedPost('write', {
          operationId: 'resendWebhookDelivery',
          tags: ['webhooks'],
          summary: 'Send a dead delivery again',
          description:
            'The same body and webhook-id as before, freshly signed; retried like any delivery.',
          requestParams: { path: WebhookDeliveryPathParams },
          responses: {
            '202': json('The resend was queued.', WebhookDeliveryRequestedAnswerSchema),
            '400': problem('An id is not a UUID.'),
            '404': problem('No finished delivery of this event to this webhook.'),
            '409': problem('The delivery succeeded already, or the webhook is paused or disabled.'),
            '503': problem('Messaging or webhooks are unavailable; nothing was queued.'),
            ...internalError,
          },
        }),
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
      securitySchemes: {
        [securitySchemeNames.apiKey]: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key: `Authorization: Bearer sw_<prefix>_<secret>`.',
        },
        [securitySchemeNames.session]: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: `A sign-in session from POST /v1/sessions; writes also need ${CSRF_HEADER}.`,
        },
      },
      // Not used by any route: published so event consumers can generate types from one document.
      schemas: {
        ScrapeRequested: ScrapeRequestedSchema,
        ObservationRecorded: ObservationRecordedSchema,
        ScrapeFailed: ScrapeFailedSchema,
        ProductsDiscovered: ProductsDiscoveredSchema,
        PriceChanged: PriceChangedSchema,
        AlertRaised: AlertRaisedSchema,
        WebhookPayload: WebhookPayloadSchema,
      },
    },
  });
}
