/**
 * The demo shop on its own: `npx tsx tools/demo-shop/main.ts [--port 8090] [--epoch-ms 20000]`.
 * `npm start` runs it beside the services.
 */
import { parseArgs } from 'node:util';
import { startDemoShop } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.DEMO_SHOP_PORT ?? '8090' },
      'epoch-ms': { type: 'string', default: process.env.DEMO_SHOP_EPOCH_MS ?? '20000' },
    },
  });
  const shop = await startDemoShop({
    port: Number(values.port),
    epochMs: Number(values['epoch-ms']),
  });
  console.log(
    `demo shop on ${shop.url} (${shop.products.length} products, sitemap ${shop.url}/sitemap.xml)`,
  );
  const stop = () => void shop.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
