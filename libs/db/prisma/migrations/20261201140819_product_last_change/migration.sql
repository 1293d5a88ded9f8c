-- AlterTable
ALTER TABLE "products" ADD COLUMN     "last_changed_at" TIMESTAMPTZ(6);

-- CreateIndex
CREATE INDEX "products_last_changed_at_id_idx" ON "products"("last_changed_at", "id");

-- CreateIndex
CREATE INDEX "products_latest_price_id_idx" ON "products"("latest_price", "id");

-- CreateIndex
CREATE INDEX "products_name_id_idx" ON "products"("name", "id");

-- Backfill (hand-written): each product's latest change of price, currency or availability in
-- its price history by observation time, as analytics maintains it from now on.
UPDATE "products" AS product
SET "last_changed_at" = changes.last_changed_at
FROM (
    SELECT product_id, max(observed_at) AS last_changed_at
    FROM (
        SELECT product_id, observed_at,
            ROW(amount, currency, availability) IS DISTINCT FROM
                lag(ROW(amount, currency, availability))
                    OVER (PARTITION BY product_id ORDER BY observed_at, id) AS changed
        FROM "price_points"
    ) AS history
    WHERE changed
    GROUP BY product_id
) AS changes
WHERE changes.product_id = product.id;
