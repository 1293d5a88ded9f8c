import type { PrismaClient } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import { messagingReadiness, pushRoutes, type Messaging } from '@shelfwatch/messaging';
import { createHttpApp } from '@shelfwatch/runtime';
import type { Express } from 'express';

export interface NotifierDeps {
  logger: Logger;
  prisma: PrismaClient;
  /** Readiness follows the transport; on Pub/Sub the push endpoint is mounted. */
  messaging?: Messaging;
}

export function createApp(deps: NotifierDeps): Express {
  const messaging = deps.messaging;
  return createHttpApp({
    logger: deps.logger,
    readiness: {
      database: async () => {
        await deps.prisma.$queryRaw`SELECT 1`;
      },
      ...(messaging ? { messaging: messagingReadiness(messaging) } : {}),
    },
    routes: (app) => {
      const push = messaging && pushRoutes(messaging);
      if (push) app.use(push);
    },
  });
}
