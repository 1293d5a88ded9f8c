import {
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
import { principalOf } from '../access/principal';
import { cursorIdFrom, invalidPageToken, pageOf } from '../read/page-cursor';
import { priceHistoryCsv } from './price-history-csv';
import { productListing } from './product-listing';
import { toPricePointDto, toProductDto } from './product-mapper';

function productNotFound(id: string) {
  return notFound(`No product with id ${id}`);
}

/** Products an account sees: those last observed through a page it watches. */
export function visibleProducts(accountId: string): Prisma.ProductWhereInput {
  return { target: { watches: { some: { accountId } } } };
}

export function productsRouter(deps: { prisma: PrismaClient }): Router {
  const { prisma } = deps;
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
    const product = await prisma.product.findFirst({
      where: { id, ...visibleProducts(principalOf(res).accountId) },
      select: { id: true },
    });
    if (!product) throw productNotFound(id);

    // Points are ordered by (observed_at, id); the token names the last point of the page.
    const afterId = cursorIdFrom(query.page_token);
    let after: Prisma.PricePointWhereInput = {};
    if (afterId) {
      const cursor = await prisma.pricePoint.findFirst({
        where: { id: afterId, productId: id },
        select: { id: true, observedAt: true },
      });
      if (!cursor) throw invalidPageToken();
      after = {
        OR: [
          { observedAt: { gt: cursor.observedAt } },
          { observedAt: cursor.observedAt, id: { gt: cursor.id } },
        ],
      };
    }
    const rows = await prisma.pricePoint.findMany({
      where: {
        productId: id,
        ...(query.from || query.to
          ? {
              observedAt: {
                ...(query.from ? { gte: new Date(query.from) } : {}),
                ...(query.to ? { lte: new Date(query.to) } : {}),
              },
            }
          : {}),
        ...after,
      },
      orderBy: [{ observedAt: 'asc' }, { id: 'asc' }],
      take: query.page_size + 1,
    });
    const { page, last } = pageOf(rows, query.page_size);
    const body: PriceHistory = {
      productId: id,
      items: page.map(toPricePointDto),
      nextPageToken: last ? encodePageToken({ id: last.id }) : null,
    };
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      // The next page's token travels in a header: a CSV body has no place for it.
      if (body.nextPageToken) res.setHeader('Next-Page-Token', body.nextPageToken);
      res.type('text/csv; charset=utf-8').send(priceHistoryCsv(body));
      return;
    }
    res.json(body);
  });

  return router;
}
