import type { AddressGuard } from '@shelfwatch/address-guard';
import { buildOpenApiDocument, newId, type OpenApiDocument } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import {
  messagingReadiness,
  outboxRelayReadiness,
  pushRoutes,
  type Messaging,
  type OutboxRelay,
} from '@shelfwatch/messaging';
import { createHttpApp } from '@shelfwatch/runtime';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { apiKeysRouter } from './access/api-keys-router';
import { authenticate, requireOperator, requireScope, scopeByMethod } from './access/authenticate';
import { LoginThrottle, type LoginThrottleOptions } from './access/login-throttle';
import { rateLimits, type RateLimitOptions } from './access/rate-limits';
import { currentSessionRouter, signInRouter } from './access/sessions-router';
import { alertsRouter } from './alerts/alerts-router';
import type { ApiMail } from './email/api-mail';
import { UNSUBSCRIBE_PATH, emailLinksRouter } from './email/email-links-router';
import { emailRecipientsRouter } from './email/email-recipients-router';
import { idempotency } from './idempotency/idempotency';
import { methodNotAllowed } from './method-not-allowed';
import { productsRouter } from './products/products-router';
import { servedUnder } from './served-under';
import { runsRouter } from './runs/runs-router';
import type { SchedulerTick } from './scheduling/scheduler';
import { schedulerRouter, type TickAuthorizer } from './scheduling/scheduler-router';
import { scrapeNowRouter } from './scheduling/scrape-now-router';
import { targetsRouter } from './targets/targets-router';
import { watchesRouter } from './watches/watches-router';
import {
  webhooksRouter,
  webhooksUnconfigured,
  type WebhookRoutesDeps,
} from './webhooks/webhooks-router';
import { webAppRouter } from './web/web-app';

export interface AccessOptions {
  sessionTtlSeconds: number;
  loginThrottle: LoginThrottleOptions;
  rateLimits: RateLimitOptions;
}

export const defaultAccessOptions: AccessOptions = {
  sessionTtlSeconds: 7 * 24 * 3600,
  loginThrottle: {
    perEmail: { points: 5, durationSeconds: 900 },
    perAddress: { points: 50, durationSeconds: 900 },
  },
  rateLimits: {
    perKey: { points: 600, durationSeconds: 60 },
    perAccount: { points: 3000, durationSeconds: 60 },
  },
};

export interface ApiDeps {
  prisma: PrismaClient;
  logger: Logger;
  /**
   * A pg pool on the same database for what runs through the driver directly: the shared limit
   * counters (rate-limiter-flexible) and the hot reads, one statement each (ADR 0022).
   */
  pool: Pool;
  /**
   * Decides which URLs may be watched: the scraper's rules and allow-list (SCRAPER_ALLOW_HOSTS),
   * so a URL it would refuse is rejected with 422 when the watch or target is created.
   */
  addressGuard: AddressGuard;
  access?: AccessOptions;
  newId?: () => string;
  publicBaseUrl?: string;
  /** Gates readiness and, on Pub/Sub, serves the push endpoint. */
  messaging?: Messaging;
  /**
   * Publishes the api's outbox (scrape.requested); with it `POST /v1/targets/:id/scrape` is
   * served and readiness includes it. Without it the api serves reads and target CRUD only.
   */
  relay?: Pick<OutboxRelay, 'wake' | 'health'>;
  /**
   * `/v1/webhooks`: the sealing key and whether http is allowed (URLs pass `addressGuard`).
   * Without it (no WEBHOOK_SECRET_KEY) those routes answer 503.
   */
  webhooks?: Pick<WebhookRoutesDeps, 'sealingKey' | 'allowHttp'>;
  /** Mounted at `POST /internal/scheduler/tick` when given. */
  schedulerTick?: SchedulerTick;
  /**
   * Verifies the bearer token of every `/internal` call (the scheduler tick). Without it only
   * loopback callers get in (local runs); on Cloud Run the config makes it required.
   */
  authorizeTick?: TickAuthorizer;
  /** Mails confirmation links to new email recipients; without it they cannot be added. */
  mail?: ApiMail;
  /** The dashboard's production build (apps/web/dist), served under `/` when given. */
  webAppDir?: string;
}

export function createApp(deps: ApiDeps): Express {
  // Built by the first request that needs it, not at start (ADR 0027): building it loads
  // zod-openapi and walks every schema, which would delay `/ready` on every new instance.
  let document: OpenApiDocument | undefined;
  const openApiDocument = (): OpenApiDocument =>
    (document ??= buildOpenApiDocument({ serverUrl: deps.publicBaseUrl }));
  const ids = deps.newId ?? newId;
  const { messaging, prisma } = deps;
  const access = deps.access ?? defaultAccessOptions;
  const throttle = new LoginThrottle(deps.pool, access.loginThrottle);
  return createHttpApp({
    logger: deps.logger,
    internalCallers: deps.authorizeTick,
    readiness: {
      database: async () => {
        await deps.prisma.$queryRaw`SELECT 1`;
      },
      ...(messaging ? { messaging: messagingReadiness(messaging) } : {}),
      ...(deps.relay ? { outbox: outboxRelayReadiness(deps.relay) } : {}),
    },
    formBodyPaths: [UNSUBSCRIBE_PATH],
    routes: (app) => {
      app.get('/openapi.json', (_req, res) => {
        res.json(openApiDocument());
      });
      app.use(methodNotAllowed(openApiDocument));
      // Each route family's router only sees requests under its prefix (servedUnder).
      app.use(
        servedUnder(
          '/v1/sessions',
          signInRouter({
            prisma,
            newId: ids,
            throttle,
            sessionTtlSeconds: access.sessionTtlSeconds,
          }),
        ),
      );
      app.use(
        servedUnder(
          '/email',
          emailLinksRouter({ prisma, linkSecret: deps.mail?.linkSecret ?? null }),
        ),
      );
      // Everything else under /v1 needs a credential with the scope its method implies. Mounted
      // with servedUnder rather than a path: Express would cut /v1 off the URL and put it back
      // around each of them on every request, and none of them reads the URL (ADR 0042).
      app.use(
        ...[
          authenticate({ prisma, pool: deps.pool, rateLimits: access.rateLimits }),
          rateLimits(deps.pool, access.rateLimits),
          scopeByMethod,
          idempotency({ prisma }),
        ].map((handler) => servedUnder('/v1', handler)),
      );
      app.use(servedUnder('/v1/sessions', currentSessionRouter({ prisma })));
      app.use(servedUnder('/v1/api-keys', requireScope('admin')));
      app.use(servedUnder('/v1/api-keys', apiKeysRouter({ prisma, newId: ids })));
      app.use(
        servedUnder(
          '/v1/watches',
          watchesRouter({ prisma, pool: deps.pool, newId: ids, addressGuard: deps.addressGuard }),
        ),
      );
      app.use(
        servedUnder(
          '/v1/email-recipients',
          emailRecipientsRouter({ prisma, newId: ids, mail: deps.mail }),
        ),
      );
      app.use(servedUnder('/v1/targets', requireOperator));
      app.use(
        servedUnder(
          '/v1/targets',
          targetsRouter({ prisma, pool: deps.pool, newId: ids, addressGuard: deps.addressGuard }),
        ),
      );
      if (deps.relay)
        app.use(
          servedUnder(
            '/v1/targets',
            scrapeNowRouter({ prisma: deps.prisma, relay: deps.relay, newId: ids }),
          ),
        );
      app.use(
        servedUnder(
          '/v1/webhooks',
          deps.webhooks
            ? webhooksRouter({
                prisma,
                newId: ids,
                addressGuard: deps.addressGuard,
                ...deps.webhooks,
                ...(deps.relay ? { relay: deps.relay } : {}),
              })
            : webhooksUnconfigured(),
        ),
      );
      app.use(servedUnder('/v1/products', productsRouter({ prisma, pool: deps.pool })));
      app.use(servedUnder('/v1/runs', runsRouter({ prisma: deps.prisma })));
      app.use(servedUnder('/v1/alerts', alertsRouter({ pool: deps.pool })));
      if (deps.schedulerTick)
        app.use(
          schedulerRouter({
            tick: deps.schedulerTick,
            logger: deps.logger,
          }),
        );
      const push = messaging && pushRoutes(messaging);
      if (push) app.use(push);
      if (deps.webAppDir) app.use(webAppRouter(deps.webAppDir));
    },
  });
}
