import type { Prisma } from '@shelfwatch/db';

/**
 * Sets `products.last_changed_at` from the product's price history: the observation time of its
 * latest change of price, currency or availability (its first point when nothing changed).
 * Computed over the whole history in observation order, so a late observation that splits or
 * undoes a change moves it too. The history of one product is read through its
 * (product_id, observed_at) index; the product row is already locked by the caller.
 */
export async function refreshLastChange(
  tx: Prisma.TransactionClient,
  productId: string,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE products
    SET last_changed_at = (
      SELECT max(observed_at)
      FROM (
        SELECT observed_at,
          ROW(amount, currency, availability) IS DISTINCT FROM
            lag(ROW(amount, currency, availability)) OVER (ORDER BY observed_at, id) AS changed
        FROM price_points
        WHERE product_id = ${productId}::uuid
      ) AS history
      WHERE changed
    )
    WHERE id = ${productId}::uuid`;
}
