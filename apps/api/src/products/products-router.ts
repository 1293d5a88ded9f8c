import {
  decodePageToken,
  encodePageToken,
  IdSchema,
  ListPricesQuerySchema,
  ListProductsQuerySchema,
  type PriceHistory,
  type ProductList,
} from '@shelfwatch/contracts';
import type { Prisma, PrismaClient } from '@shelfwatch/db';
import { notFound, parseOrThrow } from '@shelfwatch/runtime';
import { Router } from 'express';
import type { Pool } from 'pg';
import { principalOf } from '../access/principal';
import { sendJsonText } from '../read/json-text';
import { invalidPageToken, pageOf } from '../read/page-cursor';
import { poolArrayRunner } from '../read/sql-runner';
import { priceHistoryCsv } from './price-history-csv';
import { priceHistoryJson } from './price-history-json';
import { readPriceHistory, toPricePoint } from './price-history-query';
import { productListing } from './product-listing';
import { toProductDto } from './product-mapper';

function productNotFound(id: string) {
  return notFound(`No product with id ${id}`);
}

/** Products an account sees: those last observed through a page it watches. */
export function visibleProducts(accountId: string): Prisma.ProductWhereInput {
  return { target: { watches: { some: { accountId } } } };
}

export function productsRouter(deps: { prisma: PrismaClient; pool: Pool }): Router {
  const { prisma } = deps;
  const sql = poolArrayRunner(deps.pool);
  const router = Router();

  router.get('/v1/products', async (req, res) => {
    const query = parseOrThrow(ListProductsQuerySchema, req.query, 'query');
    const listing = productListing(query, visibleProducts(principalOf(res).accountId));
    const rows = await prisma.product.findMany({
      where: listing.where,
      orderBy: listing.orderBy,
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const body: ProductList = {
      items: page.map(toProductDto),
      nextPageToken: last ? listing.tokenAfter(last) : null,
    };
    res.json(body);
  });

  router.get('/v1/products/:id', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const row = await prisma.product.findFirst({
      where: { id, ...visibleProducts(principalOf(res).accountId) },
    });
    if (!row) throw productNotFound(id);
    res.json(toProductDto(row));
  });

  router.get('/v1/products/:id/prices', async (req, res) => {
    const id = parseOrThrow(IdSchema, req.params.id, 'path');
    const query = parseOrThrow(ListPricesQuerySchema, req.query, 'query');
    // Points are ordered by (observed_at, id); the token names the last point of the page. A
    // token we did not issue is a 400, but only once the product is known to exist.
    const token = query.page_token;
    const afterId = token === undefined ? undefined : decodePageToken(token)?.id;
    const read = await readPriceHistory(sql, {
      productId: id,
      accountId: principalOf(res).accountId,
      ...(afterId ? { afterId } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      take: query.page_size + 1,
    });
    if (!read.found) throw productNotFound(id);
    if (token !== undefined && (afterId === undefined || !read.cursorValid))
      throw invalidPageToken();
    const { page, last } = pageOf(read.points, query.page_size);
    const nextPageToken = last ? encodePageToken({ id: last[0] }) : null;
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      const body: PriceHistory = { productId: id, items: page.map(toPricePoint), nextPageToken };
      // The next page's token travels in a header: a CSV body has no place for it.
      if (nextPageToken) res.setHeader('Next-Page-Token', nextPageToken);
      res.type('text/csv; charset=utf-8').send(priceHistoryCsv(body));
      return;
    }
    sendJsonText(res, priceHistoryJson(id, page, nextPageToken));
  });

  return router;
}
