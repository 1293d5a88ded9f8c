import express from 'express';
import type { AddressInfo } from 'node:net';
import { catalog, type CatalogProduct } from './catalog';
import { quoteAt } from './market';
import { listingPage, productPage, sitemap } from './pages';

export interface DemoShopOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  host?: string;
  /**
   * Real milliseconds per epoch of the shop's clock: prices and stock may change from one epoch to
   * the next. Default 20 s, so a few minutes of watching shows drops, rises and restocks.
   */
  epochMs?: number;
  /** Products per listing page. */
  pageSize?: number;
  now?: () => number;
}

export interface DemoShop {
  /** `http://127.0.0.1:<port>` */
  url: string;
  products: readonly CatalogProduct[];
  /** The clock's current epoch. */
  epoch(): number;
  /** Moves the clock on by whole epochs at once (tests). */
  advance(epochs?: number): void;
  /** How many requests a path has had (tests count fetches with it). */
  requests(path: string): number;
  close(): Promise<void>;
}

/** Every response carries it, so a launcher can tell the demo shop from whatever else holds a port. */
export const demoShopHeader = 'X-Shelfwatch-Demo-Shop';

/** A small web shop on loopback whose prices and stock move on an accelerated clock. */
export async function startDemoShop(options: DemoShopOptions = {}): Promise<DemoShop> {
  const host = options.host ?? '127.0.0.1';
  const epochMs = options.epochMs ?? 20_000;
  const pageSize = options.pageSize ?? 12;
  const now = options.now ?? Date.now;
  const startedAt = now();
  let offset = 0;
  const epoch = () => Math.floor((now() - startedAt) / epochMs) + offset;
  const bySlug = new Map(catalog.map((product) => [product.slug, product]));
  const pages = Math.ceil(catalog.length / pageSize);
  let baseUrl = '';

  const app = express();
  app.disable('x-powered-by');
  const requestCounts = new Map<string, number>();
  app.use((req, res, next) => {
    requestCounts.set(req.path, (requestCounts.get(req.path) ?? 0) + 1);
    res.set('Cache-Control', 'no-store');
    res.set(demoShopHeader, '1');
    next();
  });
  app.get('/robots.txt', (_req, res) => {
    res.type('text/plain').send(`User-agent: *\nAllow: /\n\nSitemap: ${baseUrl}/sitemap.xml\n`);
  });
  app.get('/sitemap.xml', (_req, res) => {
    res.type('application/xml').send(
      sitemap(
        baseUrl,
        catalog.map((product) => product.slug),
      ),
    );
  });
  app.get(['/', '/products'], (req, res) => {
    const page = Number(req.query.page ?? 1);
    if (!Number.isInteger(page) || page < 1 || page > pages) {
      res.status(404).type('text/plain').send('No such page');
      return;
    }
    res
      .type('html')
      .send(listingPage(catalog.slice((page - 1) * pageSize, page * pageSize), page, pages));
  });
  app.get('/products/:slug', (req, res) => {
    const product = bySlug.get(req.params.slug);
    if (!product) {
      res.status(404).type('text/plain').send('No such product');
      return;
    }
    const url = `${baseUrl}/products/${product.slug}`;
    res.type('html').send(productPage(product, quoteAt(product, epoch()), url));
  });

  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    products: catalog,
    epoch,
    advance(epochs = 1) {
      offset += epochs;
    },
    requests: (path) => requestCounts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
