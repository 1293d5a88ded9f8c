import { buildOpenApiDocument } from '@shelfwatch/contracts';
import { createOutboxStore } from '@shelfwatch/db';
import type { Express } from 'express';
import request from 'supertest';
import {
  createOutboxRelay,
  createPostgresMessaging,
  type Messaging,
  type OutboxRelay,
} from '@shelfwatch/messaging';
import { defaultAccessOptions } from '../src/app';
import { API_OUTBOX_PUBLISHER } from '../src/index';
import {
  createTestAccount,
  startApiHarness,
  testLogger,
  testWebhookOptions,
  type ApiHarness,
} from './api-harness';

const PROBLEM_JSON = /application\/problem\+json/;
const SOME_ID = '01970f3c-5f8e-7c1a-9d2b-3f4e5a6b7c8d';
const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

interface Operation {
  operationId: string;
  requestBody?: unknown;
  parameters?: Array<{ in: string; name: string }>;
}

/** Every /v1 operation of the served document: the walk below must miss none. */
function v1Operations() {
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(document.paths)
    .filter(([template]) => template.startsWith('/v1/'))
    .flatMap(([template, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({
        method,
        template,
        operation: item[method]!,
        path: (id: string) => template.replace(/\{[^}]+\}/g, id),
      })),
    );
}

describe('bad input on every /v1 route is a specific 4xx problem+json', () => {
  let harness: ApiHarness;
  let app: Express;
  let key: string;
  let messaging: Messaging;
  let relay: OutboxRelay;
  const operations = v1Operations();

  beforeAll(async () => {
    harness = await startApiHarness(async ({ database }) => {
      // With the outbox relay, POST /v1/targets/{id}/scrape is mounted too: every documented route is.
      messaging = createPostgresMessaging({
        transport: 'postgres',
        databaseUrl: database.url,
        logger: testLogger,
        source: 'shelfwatch/api',
      });
      await messaging.start();
      relay = createOutboxRelay({
        source: createOutboxStore(database.prisma, API_OUTBOX_PUBLISHER),
        messaging,
        logger: testLogger,
        // Only mounts the scrape route here: nothing needs publishing quickly.
        pollIntervalMs: 60_000,
      });
      relay.start();
      return {
        messaging,
        relay,
        webhooks: testWebhookOptions(),
        access: {
          ...defaultAccessOptions,
          rateLimits: {
            perKey: { points: 100_000, durationSeconds: 60 },
            perAccount: { points: 100_000, durationSeconds: 60 },
          },
        },
      };
    });
    app = harness.app;
    key = (await createTestAccount(harness.prisma, { operator: true })).apiKey.key;
  });

  afterAll(async () => {
    await relay.stop();
    await messaging.stop();
    await harness.close();
  });

  const call = (method: (typeof METHODS)[number], path: string) =>
    request(app)[method](path).set('Authorization', `Bearer ${key}`);

  function expectProblem(response: request.Response, status: number, type: string, at: string) {
    expect({ at, status: response.status, type: response.body.type }).toEqual({
      at,
      status,
      type: `https://shelfwatch.dev/problems/${type}`,
    });
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  }

  it('walks a document with every kind of operation', () => {
    expect(operations.filter((op) => op.operation.requestBody).length).toBeGreaterThanOrEqual(6);
    expect(operations.filter((op) => op.template.includes('{')).length).toBeGreaterThanOrEqual(9);
  });

  it('answers a malformed id in the path with 400 naming it', async () => {
    for (const { method, path, operation } of operations.filter((op) =>
      op.template.includes('{'),
    )) {
      const response = await call(method, path('not-a-uuid')).send(
        operation.requestBody ? {} : undefined,
      );
      expectProblem(response, 400, 'validation-failed', operation.operationId);
      expect(response.body.errors[0].path).toBe('path');
    }
  });

  it('answers malformed JSON, a body of the wrong type, an unknown field and an oversize body', async () => {
    for (const { method, path, operation } of operations.filter((op) => op.operation.requestBody)) {
      const at = operation.operationId;
      const target = path(SOME_ID);
      const malformed = await call(method, target)
        .set('Content-Type', 'application/json')
        .send('{"url": ');
      expectProblem(malformed, 400, 'malformed-json', `${at} malformed`);

      const wrongType = await call(method, target).send([1, 2, 3]);
      expectProblem(wrongType, 400, 'validation-failed', `${at} wrong type`);

      const unknown = await call(method, target).send({ surelyNotAField: true });
      expectProblem(unknown, 400, 'validation-failed', `${at} unknown field`);
      expect(unknown.body.errors.map((error: { path: string }) => error.path)).toContain(
        'body.surelyNotAField',
      );

      const oversize = await call(method, target).send({
        url: `https://x.example/${'a'.repeat(200_000)}`,
      });
      expectProblem(oversize, 413, 'payload-too-large', `${at} oversize`);

      const notJson = await call(method, target).set('Content-Type', 'text/plain').send('url=x');
      expectProblem(notJson, 415, 'unsupported-media-type', `${at} not json`);
    }
  });

  it('answers an unknown query parameter and a forged page token with 400', async () => {
    const lists = operations.filter((op) =>
      op.operation.parameters?.some((parameter) => parameter.in === 'query'),
    );
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const { method, path, operation } of lists) {
      const at = operation.operationId;
      const unknown = await call(method, path(SOME_ID)).query({ colour: 'red' });
      expectProblem(unknown, 400, 'validation-failed', `${at} unknown parameter`);
      if (operation.parameters!.some((parameter) => parameter.name === 'page_token')) {
        const forged = await call(method, path(SOME_ID)).query({ page_token: 'forged' });
        // Under an unknown parent (a product's prices) the 404 for the parent comes first.
        if (operation.parameters!.some((parameter) => parameter.in === 'path'))
          expectProblem(forged, 404, 'not-found', `${at} page token`);
        else expectProblem(forged, 400, 'invalid-page-token', `${at} page token`);
      }
    }
  });

  it('answers a known path with an unsupported method 405 with Allow, credentials or not', async () => {
    const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [template, item] of Object.entries(document.paths)) {
      const path = template.replace(/\{[^}]+\}/g, SOME_ID);
      const documented = METHODS.filter((method) => item[method]).map((m) => m.toUpperCase());
      const response = await request(app).put(path).send({});
      expect({ template, status: response.status }).toEqual({ template, status: 405 });
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      const allow = String(response.headers['allow']).split(', ');
      expect(allow).toEqual(expect.arrayContaining(documented));
      expect(allow).not.toContain('PUT');
    }
    const unknown = await call('put', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
  });

  it('answers a bad page size and a wrong type in a query with 400 naming it', async () => {
    const response = await call('get', '/v1/alerts').query({ page_size: 'many' });
    expectProblem(response, 400, 'validation-failed', 'listAlerts');
    expect(response.body.errors[0].path).toBe('query.page_size');
  });
});
