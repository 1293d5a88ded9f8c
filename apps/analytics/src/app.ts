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

export interface AnalyticsDeps {
  prisma: PrismaClient;
  logger: Logger;
  /** Readiness follows the transport; on Pub/Sub the push endpoint is mounted. */
  messaging?: Messaging;
  /** Publishes the outbox; readiness fails while it is stopped or cannot reach the database. */
  relay?: Pick<OutboxRelay, 'health'>;
}

export function createApp(deps: AnalyticsDeps): Express {
  const messaging = deps.messaging;
  return createHttpApp({
    logger: deps.logger,
    readiness: {
      database: async () => {
        await deps.prisma.$queryRaw`SELECT 1`;
      },
      ...(messaging ? { messaging: messagingReadiness(messaging) } : {}),
      ...(deps.relay ? { outbox: outboxRelayReadiness(deps.relay) } : {}),
    },
    routes: (app) => {
      const push = messaging && pushRoutes(messaging);
      if (push) app.use(push);
    },
  });
}
