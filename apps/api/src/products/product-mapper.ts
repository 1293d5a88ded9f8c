import type { Product as ProductDto } from '@shelfwatch/contracts';
import type { Product as ProductRow } from '@shelfwatch/db';
import { toMoney } from '../read/money';

export function toProductDto(row: ProductRow): ProductDto {
  return {
    id: row.id,
    targetId: row.targetId,
    url: row.url,
    canonicalUrl: row.canonicalUrl,
    host: row.host,
    name: row.name,
    brand: row.brand,
    sku: row.sku,
    gtin: row.gtin,
    mpn: row.mpn,
    image: row.image,
    attributes: (row.attributes as Record<string, string> | null) ?? null,
    price: toMoney(row.latestPrice, row.currency),
    listPrice: toMoney(row.latestListPrice, row.currency),
    availability: row.latestAvailability,
    firstSeenAt: row.firstSeenAt.toISOString(),
    latestObservedAt: row.latestObservedAt.toISOString(),
    lastChangedAt: row.lastChangedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
