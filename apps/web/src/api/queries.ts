/** The api reads the pages share, as TanStack Query hooks with one key per resource. */
import { useQuery } from '@tanstack/react-query';
import { allPages, api, unwrap } from './client';
import type { Alert, AlertKind, PricePoint, Product, Watch } from './types';

/** Lists refresh on their own: prices move while the page is open. */
const LIVE_MS = 15_000;

/** Every watch with its 30-day sparkline: one request per hundred watches, not one per row. */
export function useWatches() {
  return useQuery({
    queryKey: ['watches'],
    refetchInterval: LIVE_MS,
    queryFn: () =>
      allPages<Watch>((page_token) =>
        unwrap(
          api.GET('/v1/watches', {
            params: { query: { page_size: 100, page_token, include: 'sparkline' } },
          }),
          'Could not load your watches',
        ),
      ),
  });
}

export function useProducts() {
  return useQuery({
    queryKey: ['products'],
    refetchInterval: LIVE_MS,
    queryFn: () =>
      allPages<Product>((page_token) =>
        unwrap(
          api.GET('/v1/products', { params: { query: { page_size: 100, page_token } } }),
          'Could not load products',
        ),
      ),
  });
}

export function useProduct(id: string) {
  return useQuery({
    queryKey: ['product', id],
    refetchInterval: LIVE_MS,
    queryFn: () =>
      unwrap(
        api.GET('/v1/products/{id}', { params: { path: { id } } }),
        'Could not load this product',
      ),
  });
}

/** The whole history (or since `from`), 1000 points a page. */
export function usePriceHistory(productId: string | undefined, from?: string) {
  return useQuery({
    queryKey: ['prices', productId, from ?? 'all'],
    enabled: productId !== undefined,
    refetchInterval: LIVE_MS,
    queryFn: () =>
      allPages<PricePoint>(
        (page_token) =>
          unwrap(
            api.GET('/v1/products/{id}/prices', {
              params: { path: { id: productId! }, query: { page_size: 1000, page_token, from } },
            }),
            'Could not load the price history',
          ).then((page) => {
            // The operation also serves text/csv; this request asks for JSON.
            if (typeof page === 'string') throw new Error('The api answered CSV instead of JSON.');
            return page;
          }),
        200,
      ),
  });
}

export function useAlerts(filter: { kind?: AlertKind; productId?: string }) {
  return useQuery({
    queryKey: ['alerts', filter.kind ?? 'all', filter.productId ?? 'all'],
    refetchInterval: LIVE_MS,
    queryFn: () =>
      unwrap(
        api.GET('/v1/alerts', {
          params: {
            query: { page_size: 100, kind: filter.kind, product_id: filter.productId },
          },
        }),
        'Could not load alerts',
      ).then((page): Alert[] => page.items),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: ['api-keys'],
    queryFn: () =>
      unwrap(api.GET('/v1/api-keys'), 'Could not load your API keys').then((list) => list.items),
  });
}

/** Products by the target they were observed through: a watch's page and its variants. */
export function productsByTarget(products: readonly Product[]): Map<string, Product[]> {
  const byTarget = new Map<string, Product[]>();
  for (const product of products) {
    if (!product.targetId) continue;
    const list = byTarget.get(product.targetId) ?? [];
    list.push(product);
    byTarget.set(product.targetId, list);
  }
  return byTarget;
}
