import { buildOpenApiDocument } from './openapi';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface ParameterView {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema: unknown;
}
interface ResponseView {
  description?: string;
  content?: Record<string, { schema: unknown }>;
}
interface OperationView {
  operationId?: string;
  parameters?: ParameterView[];
  responses: Record<string, ResponseView>;
}
interface DocumentView {
  openapi: string;
  info: unknown;
  servers?: unknown;
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, OperationView>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

// Through JSON first, as clients see it: the walker below then checks what is actually served.
const json = JSON.parse(
  JSON.stringify(buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:3000' })),
) as Json;
const document = json as unknown as DocumentView;
const schemas = document.components.schemas;

/** Every `$ref` in the document with the JSON path where it appears. */
function collectRefs(node: Json, path: string, found: Array<{ at: string; ref: string }> = []) {
  if (Array.isArray(node)) node.forEach((child, i) => collectRefs(child, `${path}/${i}`, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push({ at: path, ref: value });
      else collectRefs(value, `${path}/${key}`, found);
    }
  }
  return found;
}

/** Resolves a local JSON pointer (RFC 6901) against the document, or undefined. */
function resolvePointer(ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: Json | undefined = json;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || Array.isArray(node) || !(key in node))
      return undefined;
    node = node[key];
  }
  return node;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operations() {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}

const responseOf = (path: string, method: string, status: string) =>
  document.paths[path]?.[method]?.responses[status];

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1 document with info, tags and the given server', () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.info).toMatchObject({ title: 'shelfwatch API', version: expect.any(String) });
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:3000' }]);
    expect(document.tags.map((tag) => tag.name)).toEqual(expect.arrayContaining(['targets']));
  });

  it('leaves servers out when no server URL is given', () => {
    expect(buildOpenApiDocument()).not.toHaveProperty('servers');
  });

  it('documents every route of the api', () => {
    expect(
      operations()
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
        .sort(),
    ).toEqual([
      'DELETE /v1/api-keys/{id}',
      'DELETE /v1/email-recipients/{id}',
      'DELETE /v1/sessions/current',
      'DELETE /v1/targets/{id}',
      'DELETE /v1/watches/{id}',
      'DELETE /v1/webhooks/{id}',
      'GET /email/unsubscribe',
      'GET /email/verify',
      'GET /health',
      'GET /openapi.json',
      'GET /ready',
      'GET /v1/alerts',
      'GET /v1/api-keys',
      'GET /v1/email-recipients',
      'GET /v1/email-recipients/{id}',
      'GET /v1/products',
      'GET /v1/products/{id}',
      'GET /v1/products/{id}/prices',
      'GET /v1/runs',
      'GET /v1/runs/{id}',
      'GET /v1/sessions/current',
      'GET /v1/targets',
      'GET /v1/targets/{id}',
      'GET /v1/watches',
      'GET /v1/watches/{id}',
      'GET /v1/webhooks',
      'GET /v1/webhooks/{id}',
      'GET /v1/webhooks/{id}/deliveries',
      'PATCH /v1/email-recipients/{id}',
      'PATCH /v1/targets/{id}',
      'PATCH /v1/watches/{id}',
      'PATCH /v1/webhooks/{id}',
      'POST /email/unsubscribe',
      'POST /v1/api-keys',
      'POST /v1/email-recipients',
      'POST /v1/sessions',
      'POST /v1/targets',
      'POST /v1/targets/{id}/scrape',
      'POST /v1/watches',
      'POST /v1/webhooks',
      'POST /v1/webhooks/{id}/deliveries/{eventId}/resend',
      'POST /v1/webhooks/{id}/rotate-secret',
      'POST /v1/webhooks/{id}/test',
    ]);
  });

  it('declares both security schemes and requires one of them on every /v1 operation but sign-in', () => {
    const schemes = (json as { components: { securitySchemes: Record<string, unknown> } })
      .components.securitySchemes;
    expect(schemes).toEqual({
      apiKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      sessionCookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sw_session' }),
    });
    for (const { method, path, operation } of operations()) {
      if (!path.startsWith('/v1/') || operation.operationId === 'signIn') continue;
      const security = (operation as { security?: Array<Record<string, string[]>> }).security;
      const at = `${method.toUpperCase()} ${path}`;
      expect({ at, schemes: security?.map((entry) => Object.keys(entry)[0]) }).toEqual({
        at,
        schemes: ['apiKey', 'sessionCookie'],
      });
      expect({ at, statuses: Object.keys(operation.responses) }).toEqual({
        at,
        statuses: expect.arrayContaining(['401', '403', '429']),
      });
    }
  });

  it('documents the status codes of each target operation', () => {
    const statuses = (path: string, method: string) =>
      Object.keys(document.paths[path]?.[method]?.responses ?? {}).sort();
    expect(statuses('/v1/targets', 'post')).toEqual(
      expect.arrayContaining(['201', '400', '409', '413', '415']),
    );
    expect(statuses('/v1/targets', 'get')).toEqual(expect.arrayContaining(['200', '400']));
    expect(statuses('/v1/targets/{id}', 'get')).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
    expect(statuses('/v1/targets/{id}', 'patch')).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
    expect(statuses('/v1/targets/{id}', 'delete')).toEqual(
      expect.arrayContaining(['204', '400', '404']),
    );
    expect(statuses('/ready', 'get')).toEqual(['200', '503']);
    expect(responseOf('/v1/targets', 'post', '201')?.content?.['application/json']?.schema).toEqual(
      { $ref: '#/components/schemas/Target' },
    );
    expect(responseOf('/v1/targets', 'get', '200')?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/TargetList',
    });
  });

  it('serves every error response as application/problem+json referencing the Problem component', () => {
    expect(schemas['Problem']).toMatchObject({
      type: 'object',
      required: ['type', 'title', 'status'],
    });
    const errors = operations().flatMap(({ path, method, operation }) =>
      Object.keys(operation.responses)
        .filter((status) => /^4|^5/.test(status) && !(path === '/ready' && status === '503'))
        .map((status) => responseOf(path, method, status)),
    );
    expect(errors.length).toBeGreaterThan(10);
    for (const response of errors) {
      expect(response?.content).toEqual({
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      });
    }
  });

  it('documents list query parameters, including the page_size maximum', () => {
    const parameters = document.paths['/v1/targets']?.['get']?.parameters ?? [];
    expect(parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'query:kind',
      'query:page_size',
      'query:page_token',
      'query:status',
    ]);
    const pageSize = parameters.find((p) => p.name === 'page_size');
    expect(pageSize?.description).toMatch(/100/);
    expect(pageSize?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
    });
  });

  it('documents the read side: list filters, price history bounds and their schemas', () => {
    const names = (path: string) =>
      (document.paths[path]?.['get']?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(names('/v1/products')).toEqual([
      'query:availability',
      'query:host',
      'query:max_price',
      'query:min_price',
      'query:order',
      'query:page_size',
      'query:page_token',
      'query:q',
      'query:sort',
    ]);
    expect(names('/v1/products/{id}/prices')).toEqual([
      'path:id',
      'query:from',
      'query:page_size',
      'query:page_token',
      'query:to',
    ]);
    expect(names('/v1/alerts')).toEqual([
      'query:kind',
      'query:page_size',
      'query:page_token',
      'query:product_id',
    ]);
    expect(responseOf('/v1/products/{id}', 'get', '200')?.content?.['application/json']).toEqual({
      schema: { $ref: '#/components/schemas/Product' },
    });
    expect(responseOf('/v1/runs/{id}', 'get', '404')).toBeDefined();
    expect(schemas['Product']?.['properties']).toMatchObject({
      price: { anyOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }] },
    });
  });

  it('declares every path template variable as a required path parameter', () => {
    for (const { path, operation } of operations()) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort()).toEqual(names.sort());
      for (const parameter of declared) expect(parameter.required).toBe(true);
    }
  });

  it('gives every operation a unique operationId and a description for each response', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { operation } of operations()) {
      for (const response of Object.values(operation.responses)) {
        expect(typeof response.description).toBe('string');
      }
    }
  });

  it('rejects unknown fields in request bodies, as the api does', () => {
    expect(schemas['CreateTargetRequest']).toMatchObject({
      additionalProperties: false,
      required: ['url'],
    });
    expect(schemas['UpdateTargetRequest']).toMatchObject({
      additionalProperties: false,
      minProperties: 1,
    });
  });

  it('publishes the event payloads without closing them to additive fields', () => {
    for (const name of [
      'ScrapeRequested',
      'ObservationRecorded',
      'ScrapeFailed',
      'ProductsDiscovered',
      'PriceChanged',
      'Offer',
      'Money',
    ]) {
      expect(schemas[name]).toMatchObject({ type: 'object' });
      expect(schemas[name]).not.toHaveProperty('additionalProperties');
    }
  });

  it('resolves every $ref it contains', () => {
    const refs = collectRefs(json, '#');
    expect(refs.length).toBeGreaterThan(20);
    const unresolved = refs.filter(({ ref }) => resolvePointer(ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('has no unused components', () => {
    const names = Object.keys(schemas);
    const referenced = new Set(collectRefs(json, '#').map(({ ref }) => ref));
    const published = [
      'ScrapeRequested',
      'ObservationRecorded',
      'ScrapeFailed',
      'ProductsDiscovered',
      'PriceChanged',
      'AlertRaised',
      'WebhookPayload',
    ];
    expect(
      names.filter(
        (name) => !published.includes(name) && !referenced.has(`#/components/schemas/${name}`),
      ),
    ).toEqual([]);
  });
});
