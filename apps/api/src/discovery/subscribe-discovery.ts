import type { PrismaClient } from '@shelfwatch/db';
import type { Messaging } from '@shelfwatch/messaging';
import {
  PRODUCTS_DISCOVERED_CONSUMER,
  handleProductsDiscovered,
  type ProductsDiscoveredOptions,
} from './handle-products-discovered';

/** The api's subscription (named like its inbox consumer): listings and sitemaps become product targets. */
export function subscribeDiscovery(
  messaging: Messaging,
  prisma: PrismaClient,
  options: ProductsDiscoveredOptions & { maxConcurrent?: number } = {},
): void {
  messaging.subscribe(
    'products.discovered',
    async (event, context) => {
      const outcome = await handleProductsDiscovered(prisma, event, options);
      if (!outcome.duplicate && outcome.created > 0)
        context.logger.info(`Watching ${outcome.created} new product page(s)`);
    },
    {
      subscription: PRODUCTS_DISCOVERED_CONSUMER,
      maxConcurrent: options.maxConcurrent ?? 4,
      // A sitemap's worth of targets in one transaction; longer than that, the handler is stuck.
      handlerTimeoutSeconds: 120,
    },
  );
}
