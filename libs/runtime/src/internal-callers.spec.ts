import { createLogger } from '@shelfwatch/logging';
import type { Request } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { baseConfigSchema } from './config';
import { createHttpApp } from './http-app';
import { HttpProblem } from './http-problem';
import { internalCallerRule, internalCallersOnly, type CallerVerifier } from './internal-callers';

const logger = createLogger({ service: 'runtime-test', level: 'error' });

function appWith(options: { verify?: CallerVerifier; cloudRun: boolean }) {
  return createHttpApp({
    logger,
    internalCallers: options.verify,
    cloudRun: options.cloudRun,
    routes: (app) => {
      app.post('/internal/work', (_req, res) => {
        res.json({ worked: true });
      });
      app.post('/v1/public', (_req, res) => {
        res.json({ public: true });
      });
    },
  });
}

/** What the guard decides for a request from `remoteAddress`, without a socket. */
function decide(remoteAddress: string, cloudRun: boolean): Promise<unknown> {
  const guard = internalCallersOnly({ cloudRun, logger });
  const req = {
    socket: { remoteAddress },
    method: 'POST',
    path: '/work',
    get: () => undefined,
  } as unknown as Request;
  return new Promise((resolve) => guard(req, {} as never, (error?: unknown) => resolve(error)));
}

describe('/internal routes', () => {
  it('answer loopback callers when no identity is configured (local runs)', async () => {
    const response = await request(appWith({ cloudRun: false })).post('/internal/work');
    expect(response.status).toBe(200);
  });

  it.each(['10.0.0.8', '192.168.1.20', '::ffff:172.16.0.3', '2001:db8::1'])(
    'refuse %s when no identity is configured',
    async (address) => {
      const refusal = await decide(address, false);
      expect(refusal).toBeInstanceOf(HttpProblem);
      expect((refusal as HttpProblem).status).toBe(403);
    },
  );

  it('refuse everyone, loopback too, on Cloud Run without an identity', async () => {
    const app = appWith({ cloudRun: true });
    const response = await request(app).post('/internal/work');
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await decide('127.0.0.1', true)).toBeInstanceOf(HttpProblem);
    expect((await request(app).post('/v1/public')).status).toBe(200);
  });

  it('answer 401 with a Bearer challenge or 403 as the verifier says, and 200 for its yes', async () => {
    const verify: CallerVerifier = async (authorization) =>
      authorization === 'Bearer right'
        ? { ok: true }
        : authorization === 'Bearer other'
          ? { ok: false, status: 403, reason: 'another caller' }
          : { ok: false, status: 401, reason: 'no valid token' };
    const app = appWith({ verify, cloudRun: true });
    const call = (token?: string) => {
      const post = request(app).post('/internal/work');
      return token ? post.set('authorization', `Bearer ${token}`) : post;
    };

    const missing = await call();
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect((await call('other')).status).toBe(403);
    expect((await call('right')).body).toEqual({ worked: true });
  });
});

describe('the config rule for an /internal caller identity', () => {
  const schema = baseConfigSchema
    .extend({
      MODE: z.enum(['on', 'off']).default('on'),
      WORK_AUDIENCE: z.string().optional(),
      WORK_SERVICE_ACCOUNT: z.string().optional(),
    })
    .superRefine(
      internalCallerRule(
        'WORK_AUDIENCE',
        'WORK_SERVICE_ACCOUNT',
        'POST /internal/work',
        (config) => config.MODE === 'on',
      ),
    );
  const issuesOf = (env: Record<string, string>) => {
    const result = schema.safeParse(env);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };

  it('needs both settings on Cloud Run, naming each missing one', () => {
    expect(issuesOf({ K_SERVICE: 'svc' })).toEqual(['WORK_AUDIENCE', 'WORK_SERVICE_ACCOUNT']);
    expect(schema.safeParse({ K_SERVICE: 'svc' }).error?.issues[0]?.message).toMatch(
      /required on Cloud Run \(K_SERVICE is set\): POST \/internal\/work/,
    );
  });

  it('needs them together anywhere', () => {
    expect(issuesOf({ WORK_AUDIENCE: 'aud' })).toEqual(['WORK_SERVICE_ACCOUNT']);
  });

  it('passes locally without them, on Cloud Run with both, and when the routes are off', () => {
    expect(issuesOf({})).toEqual([]);
    expect(
      issuesOf({ K_SERVICE: 'svc', WORK_AUDIENCE: 'aud', WORK_SERVICE_ACCOUNT: 'sa@x.test' }),
    ).toEqual([]);
    expect(issuesOf({ K_SERVICE: 'svc', MODE: 'off' })).toEqual([]);
  });
});
