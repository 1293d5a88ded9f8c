import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Deterministic pseudo-random numbers, so every run serves the same shop. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS =
  'espresso grinder kettle toaster blender stainless matte ceramic compact professional barista milk frother steam pressure burr dual wall programmable timer warranty descaling cup tray drip filter carafe glass'.split(
    ' ',
  );
const AVAILABILITY = ['InStock', 'InStock', 'InStock', 'OutOfStock', 'PreOrder'];

function words(random: () => number, count: number): string {
  return Array.from({ length: count }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

/** A product page shaped like a real shop's: head metadata, JSON-LD, navigation, gallery, reviews. */
export function productPage(id: number, origin: string): string {
  const random = seeded(id + 1);
  const name = `${words(random, 3)} ${id}`.replace(/^\w/, (c) => c.toUpperCase());
  const price = (10 + random() * 990).toFixed(2);
  const availability = AVAILABILITY[id % AVAILABILITY.length];
  const url = `${origin}/products/${id}`;
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name,
    sku: `SKU-${id}`,
    gtin13: String(4006381000000 + id).padStart(13, '0'),
    brand: { '@type': 'Brand', name: 'Benchco' },
    image: [`${origin}/img/${id}-1.jpg`, `${origin}/img/${id}-2.jpg`],
    description: words(random, 40),
    offers: {
      '@type': 'Offer',
      url,
      price,
      priceCurrency: 'EUR',
      availability: `https://schema.org/${availability}`,
      itemCondition: 'https://schema.org/NewCondition',
    },
    aggregateRating: {
      '@type': 'AggregateRating',
      ratingValue: (3 + random() * 2).toFixed(1),
      reviewCount: 12,
    },
  };
  const nav = Array.from(
    { length: 60 },
    (_, i) => `<li><a href="/category/${i}">${words(random, 2)}</a></li>`,
  ).join('');
  const related = Array.from(
    { length: 12 },
    (_, i) =>
      `<div class="tile"><a href="/products/${(id + i + 1) % 100000}"><img src="/img/${i}.jpg" alt=""><span>${words(random, 3)}</span><span class="price">€${(random() * 500).toFixed(2)}</span></a></div>`,
  ).join('');
  const reviews = Array.from(
    { length: 8 },
    () =>
      `<article class="review"><h4>${words(random, 4)}</h4><p>${words(random, 60)}</p></article>`,
  ).join('');
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${name} | Benchco Shop</title>
<link rel="canonical" href="${url}"><meta property="og:type" content="product"><meta property="og:title" content="${name}">
<meta property="og:url" content="${url}"><meta property="product:price:amount" content="${price}"><meta property="product:price:currency" content="EUR">
<link rel="stylesheet" href="/assets/site.css"><script src="/assets/site.js" defer></script>
<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>
<style>${'.x{color:#333;margin:0 auto;padding:4px}'.repeat(80)}</style></head>
<body><header><nav><ul>${nav}</ul></nav></header>
<main><h1 class="product-title">${name}</h1><div class="gallery">${[1, 2, 3, 4].map((i) => `<img src="/img/${id}-${i}.jpg" alt="${name}">`).join('')}</div>
<div class="buy-box"><span class="price">€${price.replace('.', ',')}</span><span class="stock">${availability}</span><button>In den Warenkorb</button></div>
<section class="description"><p>${words(random, 200)}</p></section><section class="reviews">${reviews}</section>
<section class="related">${related}</section></main><footer>${words(random, 80)}</footer></body></html>`;
}

export interface Shop {
  origin: string;
  productUrls: string[];
  /** Bytes of one pass over every product URL, as decoded pages. */
  pageBytes: number;
  close(): Promise<void>;
}

interface ServedPage {
  plain: Buffer;
  gzip: Buffer;
  contentType: string;
}

/**
 * Serves pages on 127.0.0.1 from memory, gzip-encoded when the client asks, so that neither
 * side of the benchmark waits for page generation or the disk. `pageFor` maps a request path to
 * its page; every product URL's page is ready before the shop answers.
 */
async function serve(
  paths: string[],
  pageFor: (path: string, origin: string) => ServedPage,
): Promise<Shop> {
  const pages = new Map<string, ServedPage>();
  const server: Server = createServer((req, res) => {
    const page = pages.get(req.url ?? '');
    if (!page) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      'content-type': page.contentType,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      etag: `"${req.url?.length ?? 0}-${page.plain.length}"`,
    });
    res.end(gzip ? page.gzip : page.plain);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let pageBytes = 0;
  for (const path of paths) {
    const page = pageFor(path, origin);
    pages.set(path, page);
    pageBytes += page.plain.length;
  }
  return {
    origin,
    productUrls: paths.map((path) => `${origin}${path}`),
    pageBytes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `products` generated product pages (about 16 KB each) on 127.0.0.1. */
export function startShop(products: number): Promise<Shop> {
  return serve(
    Array.from({ length: products }, (_, id) => `/products/${id}`),
    (path, origin) => {
      const plain = Buffer.from(productPage(Number(path.slice('/products/'.length)), origin));
      return { plain, gzip: gzipSync(plain), contentType: 'text/html; charset=utf-8' };
    },
  );
}

/**
 * Serves the labelled real pages beside the repository (`../shared/corpus/real-pages`, read at
 * run time, never copied into the repo) as `count` product URLs, going round the corpus: each
 * URL is distinct (crawlers fetch a URL once), its page one of the real ones, as stored. Pages
 * go out without a charset in the header, so each side reads it from the markup as it would
 * from a shop that sends none.
 */
export function startRealPageShop(dir: string, count: number): Promise<Shop> {
  const ids = readdirSync(join(dir, 'pages'))
    .filter((file) => file.endsWith('.html.gz'))
    .map((file) => file.slice(0, -'.html.gz'.length))
    .sort();
  if (ids.length === 0) throw new Error(`no pages in ${dir}/pages`);
  const stored = new Map<string, ServedPage>();
  return serve(
    Array.from({ length: count }, (_, index) => `/real/${ids[index % ids.length]}?copy=${index}`),
    (path) => {
      const id = path.slice('/real/'.length, path.indexOf('?'));
      let page = stored.get(id);
      if (!page) {
        const gzip = readFileSync(join(dir, 'pages', `${id}.html.gz`));
        page = { plain: gunzipSync(gzip), gzip, contentType: 'text/html' };
        stored.set(id, page);
      }
      return page;
    },
  );
}
