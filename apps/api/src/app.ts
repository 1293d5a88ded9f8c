import { buildOpenApiDocument, newId } from '@shelfwatch/contracts';
import type { PrismaClient } from '@shelfwatch/db';
import type { Logger } from '@shelfwatch/logging';
import { createHttpApp } from '@shelfwatch/runtime';
import type { Express } from 'express';
import { alertsRouter } from './alerts/alerts-router';
import { productsRouter } from './products/products-router';
import { runsRouter } from './runs/runs-router';
import { targetsRouter } from './targets/targets-router';

export interface ApiDeps {
  prisma: PrismaClient;
  logger: Logger;
  newId?: () => string;
  publicBaseUrl?: string;
}

export function createApp(deps: ApiDeps): Express {
  const openApiDocument = buildOpenApiDocument({ serverUrl: deps.publicBaseUrl });
  return createHttpApp({
    logger: deps.logger,
    readiness: {
      database: async () => {
        await deps.prisma.$queryRaw`SELECT 1`;
      },
    },
    routes: (app) => {
      app.get('/openapi.json', (_req, res) => {
        res.json(openApiDocument);
      });
      app.use(targetsRouter({ prisma: deps.prisma, newId: deps.newId ?? newId }));
      app.use(productsRouter({ prisma: deps.prisma }));
      app.use(runsRouter({ prisma: deps.prisma }));
      app.use(alertsRouter({ prisma: deps.prisma }));
    },
  });
}
