import { buildOpenApiDocument, newId } from '@shelfwatch/contracts';
import { createOutboxStore } from '@shelfwatch/db';
import {
  createMessaging,
  createOutboxRelay,
  type Messaging,
  type OutboxRelay,
} from '@shelfwatch/messaging';
import {
  emulatorAvailability,
  reportMissingEmulator,
  secretsInLogs,
  startPubSubEmulator,
  type PubSubEmulator,
} from '@shelfwatch/testing';
import fc from 'fast-check';
import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '@shelfwatch/logging';
import { defaultAccessOptions } from '../src/app';
import { API_OUTBOX_PUBLISHER } from '../src/index';
import { subscribeDiscovery } from '../src/discovery/subscribe-discovery';
import { PRODUCTS_DISCOVERED_CONSUMER } from '../src/discovery/handle-products-discovered';
import {
  createTestAccount,
  startApiHarness,
  testWebhookOptions,
  type ApiHarness,
} from './api-harness';

/*
 * A fuzz pass generated from the OpenAPI document: for every documented operation, fast-check
 * builds requests whose path ids, query parameters and body fields are valid or hostile
 * (malformed percent-encoding, NUL, lone surrogates, huge strings, wrong types, unknown fields,
 * year 0000, negative numbers), sent with a real API key, plus pushes to the api's push
 * endpoint. None may answer 5xx, and nothing the api logs may hold the key.
 */
const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;
type Method = (typeof METHODS)[number];
const TOTAL_CASES = 1_200;
const PUSH_CASES = 200;

interface SchemaView {
  type?: string | string[];
  properties?: Record<string, SchemaView>;
  items?: SchemaView;
  enum?: unknown[];
  $ref?: string;
  anyOf?: SchemaView[];
  oneOf?: SchemaView[];
}
interface OperationView {
  operationId: string;
  parameters?: Array<{ in: string; name: string; schema?: SchemaView }>;
  requestBody?: { content?: Record<string, { schema?: SchemaView }> };
}
interface DocumentView {
  paths: Record<string, Partial<Record<Method, OperationView>>>;
  components?: { schemas?: Record<string, SchemaView> };
}

// Raw (already encoded) path and query pieces: what a hostile client puts on the wire.
const rawHostile = fc.constantFrom(
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%ED%A0%80', // a lone surrogate, UTF-8 encoded
  '%C0%AF',
  '..%2F..%2Fetc',
  '0000-01-01T00:00:00Z',
  '-1',
  '1e309',
  'null',
  '%FF%FE',
);
const hostileStringUpTo = (hugeLength: number) =>
  fc.oneof(
    fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfffy',
      '\u001b[31m',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-02-30T00:00:00Z',
      '-1',
      'NaN',
      '',
      ' ',
      'http://127.0.0.1:1/',
      'javascript:alert(1)',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.nat({ max: hugeLength }).map((length) => 'a'.repeat(length)),
  );
// Bodies get megabyte-scale strings; URLs stay near the 16 KiB header limit (431 beyond it).
const hostileString = hostileStringUpTo(300_000);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.constantFrom(-1, 0, 1.5, Number.MAX_SAFE_INTEGER, 1e308, true, false, null),
  fc.array(fc.oneof(hostileString, fc.integer()), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 3 }),
);
const id = fc.oneof(
  fc.uuid().map((uuid) => encodeURIComponent(uuid)),
  rawHostile,
);

/** A query value on the wire: encoded hostile text, or a raw malformed piece. */
const queryValue = fc.oneof(
  hostileStringUpTo(20_000).map((text) => {
    try {
      return encodeURIComponent(text);
    } catch {
      return '%ED%A0%80';
    }
  }),
  rawHostile,
  fc.uuid(),
  fc.integer({ min: -5, max: 1000 }).map(String),
);

function resolveSchema(document: DocumentView, schema: SchemaView | undefined): SchemaView {
  if (!schema?.$ref) return schema ?? {};
  return document.components?.schemas?.[schema.$ref.split('/').pop()!] ?? {};
}

/** A body from the operation's schema: each documented field valid-looking or hostile, maybe an unknown one. */
function bodyFor(document: DocumentView, operation: OperationView): fc.Arbitrary<unknown> {
  const schema = resolveSchema(
    document,
    operation.requestBody?.content?.['application/json']?.schema,
  );
  const fields = Object.keys(schema.properties ?? {});
  const plausible = (name: string): fc.Arbitrary<unknown> => {
    const field = resolveSchema(document, schema.properties![name]);
    if (field.enum) return fc.constantFrom(...field.enum);
    if (name === 'url')
      return fc.constantFrom('https://shop.example.com/p/1', 'ftp://x', 'http://[::1]/');
    if (field.type === 'array') return fc.array(hostileString, { maxLength: 3 });
    if (field.type === 'integer' || field.type === 'number')
      return fc.integer({ min: -10, max: 100_000 });
    if (field.type === 'boolean') return fc.boolean();
    return hostileString;
  };
  const record = fc.record(
    Object.fromEntries(fields.map((name) => [name, fc.oneof(plausible(name), hostileValue)])),
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: record },
    {
      weight: 2,
      arbitrary: fc
        .tuple(record, fc.string({ minLength: 1, maxLength: 12 }), hostileValue)
        .map(([body, key, value]) => ({ ...(body as object), [`x${key}`]: value })),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

describe('a fuzz pass over every documented route and the push endpoint', () => {
  reportMissingEmulator('the api fuzz pass');
  if (!emulatorAvailability.available) return;

  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as DocumentView;
  const operations = Object.entries(document.paths).flatMap(([template, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      method,
      template,
      operation: item[method]!,
    })),
  );
  const logLines: string[] = [];
  // The real logger with its redaction; every entry is kept instead of printed.
  const logger = createLogger({ service: 'api-fuzz', level: 'debug', format: 'pretty' });
  for (const transport of logger.transports) transport.silent = true;
  logger.on('data', (entry: unknown) => logLines.push(JSON.stringify(entry)));
  let harness: ApiHarness | undefined;
  let emulator: PubSubEmulator;
  let messaging: Messaging;
  let relay: OutboxRelay;
  let app: Express;
  let key: string;
  const statuses = new Map<number, number>();
  const fiveXx: string[] = [];
  let tried = 0;

  const noAnswer: string[] = [];

  /** Sends one case and counts its answer; a request that got no answer at all is counted too. */
  const send = async (what: string, call: PromiseLike<request.Response>) => {
    tried += 1;
    try {
      const { status } = await call;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) fiveXx.push(`${status} ${what.slice(0, 200)}`);
    } catch (error) {
      noAnswer.push(`${(error as Error).message}: ${what.slice(0, 200)}`);
    }
  };

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    harness = await startApiHarness(({ prisma }) => {
      messaging = createMessaging({
        transport: 'pubsub',
        projectId: emulator.projectId,
        emulatorHost: emulator.host,
        delivery: 'push',
        provision: true,
        pushEndpoint: 'http://127.0.0.1:9',
        logger,
        source: 'shelfwatch/api',
      });
      subscribeDiscovery(messaging, prisma);
      return { messaging, logger };
    });
    await messaging.start();
    // Mounts POST /v1/targets/{id}/scrape too: every documented route is served.
    relay = createOutboxRelay({
      source: createOutboxStore(harness.prisma, API_OUTBOX_PUBLISHER),
      messaging,
      logger,
      pollIntervalMs: 60_000,
    });
    relay.start();
    app = harness.appWith({
      relay,
      webhooks: testWebhookOptions(),
      access: {
        ...defaultAccessOptions,
        rateLimits: {
          perKey: { points: 1_000_000, durationSeconds: 60 },
          perAccount: { points: 1_000_000, durationSeconds: 60 },
        },
      },
    });
    key = (await createTestAccount(harness.prisma, { operator: true })).apiKey.key;
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(
      `FAULT-FIGURES ${JSON.stringify({
        scenario: 'fuzz pass over the OpenAPI document and the push endpoint',
        tried,
        survived: tried - fiveXx.length,
        fiveXx: fiveXx.length,
        notes: {
          noAnswer: noAnswer.length,
          operations: operations.length,
          statuses: JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b))),
        },
      })}\n`,
    );
    await relay?.stop();
    await messaging?.stop({ timeoutMs: 2_000 });
    await emulator?.stop();
    await harness?.close();
  });

  it(`answers ${TOTAL_CASES} or more generated requests over every operation without a 5xx`, async () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    const perOperation = Math.ceil(TOTAL_CASES / operations.length);
    for (const { method, template, operation } of operations) {
      const queryNames = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name);
      const query = fc.array(
        fc.tuple(fc.oneof(fc.constantFrom(...queryNames, 'unknown'), rawHostile), queryValue),
        { maxLength: 4 },
      );
      const body = operation.requestBody ? bodyFor(document, operation) : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(id, query, body, async (pathId, pairs, payload) => {
          const path = template.replace(/\{[^}]+\}/g, pathId);
          const search = pairs.map(([name, value]) => `${name}=${value}`).join('&');
          const url = search ? `${path}?${search}` : path;
          let call = request(app)[method](url).set('Authorization', `Bearer ${key}`);
          // As JSON text: superagent sends no bare numbers or booleans, a hostile client does.
          if (payload !== undefined)
            call = call.set('Content-Type', 'application/json').send(JSON.stringify(payload));
          await send(`${method.toUpperCase()} ${url} ${JSON.stringify(payload) ?? ''}`, call);
        }),
        // Every case runs and is counted; the 5xx are asserted together below.
        { numRuns: perOperation, seed: 1616 },
      );
    }
    expect({ fiveXx, noAnswer }).toEqual({ fiveXx: [], noAnswer: [] });
    expect(tried).toBeGreaterThanOrEqual(TOTAL_CASES);
  }, 600_000);

  it(`answers ${PUSH_CASES} generated pushes without a 5xx`, async () => {
    const data = fc.oneof(
      // A products.discovered event with hostile fields, or any bytes at all.
      fc
        .record({
          urls: fc.array(fc.oneof(hostileString, fc.webUrl()), { maxLength: 3 }),
          extra: hostileValue,
        })
        .map(({ urls, extra }) => ({
          id: newId(),
          type: 'products.discovered',
          version: 1,
          source: 'shelfwatch/scraper',
          occurredAt: new Date().toISOString(),
          data: {
            runId: newId(),
            sourceTargetId: newId(),
            discoveredAt: new Date().toISOString(),
            urls,
            extra,
          },
        })),
      hostileValue,
    );
    const envelope = fc.oneof(
      {
        weight: 4,
        arbitrary: data.map((value) => ({
          message: {
            data: Buffer.from(JSON.stringify(value) ?? 'null').toString('base64'),
            messageId: newId(),
          },
          subscription: 'x',
        })),
      },
      { weight: 1, arbitrary: hostileValue },
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (body) => {
        await send(
          `push ${JSON.stringify(body)}`,
          request(app)
            .post(`/pubsub/push/${PRODUCTS_DISCOVERED_CONSUMER}`)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body) ?? 'null'),
        );
      }),
      { numRuns: PUSH_CASES, seed: 1616 },
    );
    expect({ fiveXx, noAnswer }).toEqual({ fiveXx: [], noAnswer: [] });
  }, 300_000);

  it('logs no credential while being fuzzed', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(secretsInLogs(logLines, [key])).toEqual([]);
  });
});
