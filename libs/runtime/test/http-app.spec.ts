import { createLogger } from '@shelfwatch/logging';
import type express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { HttpProblem, createHttpApp, lifecycleOf, parseOrThrow } from '../src';
import { captureStdout } from './capture-stdout';

const PROBLEM_JSON = /^application\/problem\+json/;
const logger = createLogger({
  service: 'runtime-test',
  format: 'json',
  env: { GOOGLE_CLOUD_PROJECT: 'shelfwatch-test' },
});

function buildApp(overrides: Partial<Parameters<typeof createHttpApp>[0]> = {}): express.Express {
  return createHttpApp({
    logger,
    bodyLimit: '1kb',
    routes: (app) => {
      app.post('/targets', (req, res) => {
        const body = parseOrThrow(z.strictObject({ url: z.url() }), req.body, 'body');
        res.status(201).json(body);
      });
      app.get('/targets/:id', (req) => {
        throw new HttpProblem({
          type: 'https://shelfwatch.dev/problems/target-gone',
          title: 'Target gone',
          status: 410,
          detail: `Target ${req.params.id} was deleted`,
          headers: { 'Cache-Control': 'no-store' },
        });
      });
      app.get('/boom', async () => {
        throw new Error('password=hunter2 leaked from pg at 10.0.0.5');
      });
      app.get('/zod', () => {
        z.object({ n: z.number() }).parse({ n: 'x' });
      });
    },
    ...overrides,
  });
}

let stdout: ReturnType<typeof captureStdout>;
beforeEach(() => {
  stdout = captureStdout();
});
afterEach(() => stdout.restore());

describe('health and readiness', () => {
  it('answers GET /health with ok', async () => {
    const res = await request(buildApp()).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers GET /ready with every check when all dependencies respond', async () => {
    const app = buildApp({
      readiness: { database: async () => undefined, pubsub: async () => undefined },
    });
    const res = await request(app).get('/ready').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', pubsub: 'ok' } });
  });

  it('answers 503 problem+json naming the failing and hanging checks, without their errors', async () => {
    const app = buildApp({
      readinessTimeoutMs: 100,
      readiness: {
        database: async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
        },
        cache: async () => undefined,
        pubsub: () => new Promise(() => undefined),
      },
    });
    const res = await request(app).get('/ready').expect(503);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      type: 'https://shelfwatch.dev/problems/service-unavailable',
      status: 503,
      detail: 'Not ready: database, pubsub are unavailable.',
      checks: { database: 'failed', cache: 'ok', pubsub: 'timed out' },
    });
    expect(res.text).not.toContain('ECONNREFUSED');
  });

  it('answers 503 on /ready once the service is draining', async () => {
    const app = buildApp();
    lifecycleOf(app).beginDrain();
    const res = await request(app).get('/ready').expect(503);
    expect(res.body.detail).toBe('The service is shutting down.');
    await request(app).get('/health').expect(200);
  });
});

describe('request bodies', () => {
  it('accepts JSON within the limit', async () => {
    await request(buildApp())
      .post('/targets')
      .send({ url: 'https://shop.example/p/1' })
      .expect(201, { url: 'https://shop.example/p/1' });
  });

  it('answers malformed JSON with a 400 malformed-json problem carrying the parser message', async () => {
    const res = await request(buildApp())
      .post('/targets')
      .set('Content-Type', 'application/json')
      .send('{"url": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      type: 'https://shelfwatch.dev/problems/malformed-json',
      title: 'Malformed JSON body',
      status: 400,
      instance: '/targets',
    });
    expect(res.body.detail).toMatch(/^The request body is not valid JSON: .*JSON/);
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(buildApp())
      .post('/targets')
      .send({ url: `https://shop.example/${'x'.repeat(2000)}` })
      .expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.type).toBe('https://shelfwatch.dev/problems/payload-too-large');
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await request(buildApp())
      .post('/targets')
      .set('Content-Type', 'text/plain')
      .send('url=https://shop.example')
      .expect(415);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body.type).toBe('https://shelfwatch.dev/problems/unsupported-media-type');
  });

  it('names invalid and unknown fields in a validation problem', async () => {
    const res = await request(buildApp())
      .post('/targets')
      .send({ url: 'nope', colour: 'red' })
      .expect(400);
    expect(res.body.type).toBe('https://shelfwatch.dev/problems/validation-failed');
    expect(res.body.errors).toEqual([
      { path: 'body.url', message: expect.any(String), code: 'invalid_format' },
      { path: 'body.colour', message: 'unknown field "colour"', code: 'unrecognized_keys' },
    ]);
  });
});

describe('errors', () => {
  it('answers an unknown route with a 404 route-not-found problem', async () => {
    const res = await request(buildApp()).get('/nowhere?x=1').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toEqual({
      type: 'https://shelfwatch.dev/problems/route-not-found',
      title: 'Route not found',
      status: 404,
      detail: 'No route matches GET /nowhere.',
      instance: '/nowhere',
    });
  });

  it('passes an HttpProblem through with its status, type and headers', async () => {
    const res = await request(buildApp()).get('/targets/7').expect(410);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      type: 'https://shelfwatch.dev/problems/target-gone',
      title: 'Target gone',
      status: 410,
      detail: 'Target 7 was deleted',
      instance: '/targets/7',
    });
  });

  it('answers an unexpected error with a generic 500 and logs it with its stack', async () => {
    const res = await request(buildApp())
      .get('/boom')
      .set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
      .expect(500);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      type: 'https://shelfwatch.dev/problems/internal',
      status: 500,
    });
    expect(res.text).not.toMatch(/hunter2|10\.0\.0\.5|at .*\.ts:\d+/);

    const logged = stdout
      .lines()
      .find((line) => String(line.message).startsWith('Unhandled error in GET /boom'));
    expect(logged).toMatchObject({
      severity: 'ERROR',
      'logging.googleapis.com/trace':
        'projects/shelfwatch-test/traces/0af7651916cd43dd8448eb211c80319c',
    });
    expect(logged?.message).toMatch(
      /Error: password=\[REDACTED\] leaked from pg at 10\.0\.0\.5\n\s+at /,
    );
  });

  it('answers malformed percent-encoding in a path parameter with 400, not 500', async () => {
    const res = await request(buildApp()).get('/targets/%E0%A4%A').expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({ status: 400, title: 'Bad request' });
    expect(res.body.detail).toMatch(/percent-encoding/);
  });

  it.each([
    ['a NUL in a path parameter', '/targets/%00'],
    ['a lone surrogate encoded in the path', '/targets/%ED%A0%80'],
    ['a NUL in the query', '/targets/1?host=%00'],
    ['malformed percent-encoding in the query', '/targets/1?host=%E0%A4%A'],
  ])('answers %s with 400 problem+json', async (_case, path) => {
    const res = await request(buildApp()).get(path).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({ status: 400, title: 'Bad request' });
  });

  it('answers a JSON body with a NUL or a lone surrogate in a string with 400 naming the field', async () => {
    for (const body of ['{"url":"https://a.example/\\u0000"}', '{"url":"\\ud800"}']) {
      const res = await request(buildApp())
        .post('/targets')
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body.detail).toMatch(/\$\.url/);
    }
  });

  it('answers an error that says the database is unreachable with 503 and Retry-After', async () => {
    const app = buildApp({
      routes: (routes) => {
        routes.get('/down', async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
            code: 'ECONNREFUSED',
          });
        });
      },
    });
    const res = await request(app).get('/down').expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|5432/);
  });

  it('logs a database outage at WARN with its reason, once per interval, never as an unhandled error', async () => {
    let now = 1_000_000;
    const app = buildApp({
      clock: () => now,
      routes: (routes) => {
        routes.get('/down', async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
            code: 'ECONNREFUSED',
          });
        });
      },
    });
    for (let i = 0; i < 3; i++) await request(app).get('/down').expect(503);
    now += 30_001;
    await request(app).get('/down').expect(503);

    const lines = stdout.lines();
    expect(lines.filter((line) => line.severity === 'ERROR')).toEqual([]);
    const warnings = lines.filter((line) => String(line.message).startsWith('Service unavailable'));
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        message: 'Service unavailable during GET /down: connect ECONNREFUSED 127.0.0.1:5432',
        metadata: { reason: 'connect ECONNREFUSED 127.0.0.1:5432' },
      }),
      expect.objectContaining({
        severity: 'WARNING',
        metadata: { reason: 'connect ECONNREFUSED 127.0.0.1:5432', repeatsNotLogged: 2 },
      }),
    ]);
  });

  it('logs a 503 problem a handler threw at WARN with its detail, not as an unhandled error', async () => {
    const app = buildApp({
      routes: (routes) => {
        routes.get('/dns', () => {
          throw HttpProblem.of('serviceUnavailable', {
            detail: 'The host name could not be resolved right now',
            headers: { 'Retry-After': '5' },
          });
        });
      },
    });
    await request(app).get('/dns').expect(503);
    const lines = stdout.lines();
    expect(lines.filter((line) => line.severity === 'ERROR')).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        severity: 'WARNING',
        metadata: { reason: 'The host name could not be resolved right now' },
      }),
    );
  });

  it('answers a zod error that escaped a handler with 400', async () => {
    const res = await request(buildApp()).get('/zod').expect(400);
    expect(res.body.type).toBe('https://shelfwatch.dev/problems/validation-failed');
    expect(res.body.errors[0]).toMatchObject({ path: 'n', code: 'invalid_type' });
  });
});
