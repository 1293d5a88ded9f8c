import {
  decodePageToken,
  encodePageToken,
  type ListProductsQuery,
  type ProductSortKey,
} from '@shelfwatch/contracts';
import { Prisma } from '@shelfwatch/db';
import type { Product } from '@shelfwatch/db';
import { invalidPageToken } from '../read/page-cursor';

type Direction = 'asc' | 'desc';
type SortColumn = 'name' | 'latestPrice' | 'lastChangedAt';

const COLUMN: Record<ProductSortKey, SortColumn> = {
  name: 'name',
  price: 'latestPrice',
  last_change: 'lastChangedAt',
};

const DECIMAL = /^\d+(\.\d+)?$/;

/** A sort value as the page token carries it, and back; undefined for a value we never wrote. */
const codec: Record<
  SortColumn,
  { write(row: Product): string | null; read(text: string): unknown }
> = {
  name: { write: (row) => row.name, read: (text) => text },
  latestPrice: {
    write: (row) => row.latestPrice?.toString() ?? null,
    read: (text) => (DECIMAL.test(text) ? new Prisma.Decimal(text) : undefined),
  },
  lastChangedAt: {
    write: (row) => row.lastChangedAt?.toISOString() ?? null,
    read: (text) => (Number.isNaN(Date.parse(text)) ? undefined : new Date(text)),
  },
};

/**
 * How one products listing reads: its filters, its order and where a page token resumes it.
 * Sorted lists order by (value, id) with products lacking the value last, and resume after the
 * last row's (value, id), which the token carries; a token is only valid for the sort and
 * direction it was issued with.
 */
export interface ProductListing {
  where: Prisma.ProductWhereInput;
  orderBy: Prisma.ProductOrderByWithRelationInput[];
  tokenAfter(row: Product): string;
}

/** `contains` becomes ILIKE '%…%' as it is: % and _ in the search must match themselves. */
function literalPattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function searchFilter(query: ListProductsQuery): Prisma.ProductWhereInput[] {
  const filters: Prisma.ProductWhereInput[] = [];
  if (query.q !== undefined) {
    const contains = { contains: literalPattern(query.q), mode: 'insensitive' as const };
    filters.push({
      OR: [{ name: contains }, { brand: contains }, { sku: contains }, { gtin: contains }],
    });
  }
  if (query.host !== undefined) filters.push({ host: query.host });
  if (query.availability !== undefined) filters.push({ latestAvailability: query.availability });
  if (query.min_price !== undefined || query.max_price !== undefined)
    filters.push({
      latestPrice: {
        ...(query.min_price === undefined ? {} : { gte: new Prisma.Decimal(query.min_price) }),
        ...(query.max_price === undefined ? {} : { lte: new Prisma.Decimal(query.max_price) }),
      },
    });
  return filters;
}

/** Rows after (value, id) in `direction`, nulls last. */
function after(column: SortColumn, direction: Direction, value: unknown, id: string) {
  if (value === null) return { [column]: null, id: { gt: id } } as Prisma.ProductWhereInput;
  return {
    OR: [
      { [column]: direction === 'asc' ? { gt: value } : { lt: value } },
      { [column]: value, id: { gt: id } },
      { [column]: null },
    ],
  } as Prisma.ProductWhereInput;
}

export function productListing(
  query: ListProductsQuery,
  visible: Prisma.ProductWhereInput,
): ProductListing {
  const filters = [visible, ...searchFilter(query)];
  const cursor = query.page_token === undefined ? undefined : decodePageToken(query.page_token);
  if (cursor === null) throw invalidPageToken();

  if (query.sort === undefined) {
    if (cursor?.sort !== undefined) throw invalidPageToken();
    return {
      where: { AND: [...filters, ...(cursor ? [{ id: { gt: cursor.id } }] : [])] },
      orderBy: [{ id: 'asc' }],
      tokenAfter: (row) => encodePageToken({ id: row.id }),
    };
  }

  const column = COLUMN[query.sort];
  const direction: Direction = query.order ?? (query.sort === 'last_change' ? 'desc' : 'asc');
  const sort = `${query.sort}:${direction}`;
  if (cursor) {
    if (cursor.sort !== sort || cursor.value === undefined) throw invalidPageToken();
    const value = cursor.value === null ? null : codec[column].read(cursor.value);
    if (value === undefined) throw invalidPageToken();
    filters.push(after(column, direction, value, cursor.id));
  }
  return {
    where: { AND: filters },
    orderBy: [{ [column]: { sort: direction, nulls: 'last' } }, { id: 'asc' }],
    tokenAfter: (row) => encodePageToken({ id: row.id, sort, value: codec[column].write(row) }),
  };
}
