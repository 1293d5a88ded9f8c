import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

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
  close(): Promise<void>;
}

/** Serves `products` generated product pages on 127.0.0.1, gzip-encoded when the client asks. */
export async function startShop(products: number): Promise<Shop> {
  const cache = new Map<number, { plain: Buffer; gzip: Buffer }>();
  let origin = '';
  const server: Server = createServer((req, res) => {
    const match = /^\/products\/(\d+)$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const id = Number(match[1]);
    let page = cache.get(id);
    if (!page) {
      const plain = Buffer.from(productPage(id, origin));
      page = { plain, gzip: gzipSync(plain) };
      cache.set(id, page);
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      etag: `"p${id}"`,
    });
    res.end(gzip ? page.gzip : page.plain);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    productUrls: Array.from({ length: products }, (_, id) => `${origin}/products/${id}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
