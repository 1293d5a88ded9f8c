import type { CatalogProduct } from './catalog';
import { decimalPrice, formatPrice, type Quote } from './market';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function layout(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} | Demo Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${head}
</head>
<body>
<header class="site-header"><a href="/">Demo Shop</a> <nav><a href="/products">All products</a></nav></header>
<main>
${body}
</main>
<footer class="site-footer">Prices change on an accelerated clock. Nothing here is for sale.</footer>
</body>
</html>
`;
}

const schemaAvailability = (quote: Quote) => `https://schema.org/${quote.availability}`;
const stockLabel = (quote: Quote) =>
  quote.availability === 'OutOfStock'
    ? 'Out of stock'
    : quote.availability === 'LimitedAvailability'
      ? 'Only a few left'
      : 'In stock';

function jsonLdPage(product: CatalogProduct, quote: Quote, url: string): string {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.name,
    brand: { '@type': 'Brand', name: product.brand },
    sku: product.sku,
    gtin13: product.gtin,
    url,
    offers: {
      '@type': 'Offer',
      price: decimalPrice(quote.priceMinor),
      priceCurrency: product.currency,
      availability: schemaAvailability(quote),
      url,
    },
  };
  return layout(
    product.name,
    `<link rel="canonical" href="${url}">
<script type="application/ld+json">${JSON.stringify(data)}</script>`,
    `<h1>${escapeHtml(product.brand)} ${escapeHtml(product.name)}</h1>
<p class="price">${formatPrice(quote.priceMinor, product.currency)}</p>
<p class="stock">${stockLabel(quote)}</p>
<button type="button" class="add-to-cart">Add to cart</button>`,
  );
}

function microdataPage(product: CatalogProduct, quote: Quote, url: string): string {
  return layout(
    product.name,
    `<link rel="canonical" href="${url}">`,
    `<article itemscope itemtype="https://schema.org/Product">
  <h1 itemprop="name">${escapeHtml(product.name)}</h1>
  <p>by <span itemprop="brand">${escapeHtml(product.brand)}</span> · SKU <span itemprop="sku">${product.sku}</span></p>
  <meta itemprop="gtin13" content="${product.gtin}">
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <meta itemprop="priceCurrency" content="${product.currency}">
    <span class="price" itemprop="price" content="${decimalPrice(quote.priceMinor)}">${formatPrice(quote.priceMinor, product.currency)}</span>
    ${quote.listPriceMinor === null ? '' : `<s class="was-price">${formatPrice(quote.listPriceMinor, product.currency)}</s>`}
    <link itemprop="availability" href="${schemaAvailability(quote)}">
    <span class="stock">${stockLabel(quote)}</span>
  </div>
  <button type="button" class="add-to-cart">Add to cart</button>
</article>`,
  );
}

function openGraphPage(product: CatalogProduct, quote: Quote, url: string): string {
  const availability =
    quote.availability === 'OutOfStock'
      ? 'oos'
      : quote.availability === 'InStock'
        ? 'instock'
        : 'pending';
  return layout(
    product.name,
    `<meta property="og:type" content="product">
<meta property="og:title" content="${escapeHtml(`${product.brand} ${product.name}`)}">
<meta property="og:url" content="${url}">
<meta property="product:price:amount" content="${decimalPrice(quote.priceMinor)}">
<meta property="product:price:currency" content="${product.currency}">
<meta property="product:availability" content="${availability}">
<meta property="product:retailer_item_id" content="${product.sku}">`,
    `<h1>${escapeHtml(product.brand)} ${escapeHtml(product.name)}</h1>
<div class="product-price">${formatPrice(quote.priceMinor, product.currency)}</div>
<p class="stock">${stockLabel(quote)}</p>
<button type="button" class="add-to-cart">Add to cart</button>`,
  );
}

function plainPage(product: CatalogProduct, quote: Quote): string {
  return layout(
    product.name,
    '',
    `<div class="product-detail">
  <h1 class="product-title">${escapeHtml(product.brand)} ${escapeHtml(product.name)}</h1>
  <div class="price-box">
    ${quote.listPriceMinor === null ? '' : `<span class="old-price">Was ${formatPrice(quote.listPriceMinor, product.currency)}</span>`}
    <span class="current-price">${formatPrice(quote.priceMinor, product.currency)}</span>
  </div>
  <p class="availability">${stockLabel(quote)}</p>
  <p class="sku">Item no. ${product.sku}</p>
  <button type="submit" name="add-to-cart" ${quote.availability === 'OutOfStock' ? 'disabled' : ''}>Add to cart</button>
</div>`,
  );
}

export function productPage(product: CatalogProduct, quote: Quote, url: string): string {
  switch (product.markup) {
    case 'json-ld':
      return jsonLdPage(product, quote, url);
    case 'microdata':
      return microdataPage(product, quote, url);
    case 'opengraph':
      return openGraphPage(product, quote, url);
    case 'plain':
      return plainPage(product, quote);
  }
}

export function listingPage(
  products: readonly CatalogProduct[],
  page: number,
  pages: number,
): string {
  const items = products
    .map(
      (product) =>
        `<li class="product-card"><a href="/products/${product.slug}">${escapeHtml(product.brand)} ${escapeHtml(product.name)}</a></li>`,
    )
    .join('\n');
  const next = page < pages ? `<a rel="next" href="/products?page=${page + 1}">Next page</a>` : '';
  const previous =
    page > 1 ? `<a rel="prev" href="/products?page=${page - 1}">Previous page</a>` : '';
  return layout(
    `All products, page ${page} of ${pages}`,
    page < pages ? `<link rel="next" href="/products?page=${page + 1}">` : '',
    `<h1>All products</h1>\n<ul class="product-grid">\n${items}\n</ul>\n<nav class="pagination">${previous} ${next}</nav>`,
  );
}

export function sitemap(baseUrl: string, slugs: readonly string[]): string {
  const urls = slugs
    .map(
      (slug) =>
        `  <url><loc>${baseUrl}/products/${slug}</loc><changefreq>hourly</changefreq></url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls}
</urlset>
`;
}
