import type { PrismaClient } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import { createHttpApp } from '@shelfwatch/runtime';
import type { Express } from 'express';

export interface AnalyticsDeps {
  prisma: PrismaClient;
  logger: Logger;
}

export function createApp(deps: AnalyticsDeps): Express {
  return createHttpApp({
    logger: deps.logger,
    readiness: {
      database: async () => {
        await deps.prisma.$queryRaw`SELECT 1`;
      },
    },
    routes: () => undefined,
  });
}
