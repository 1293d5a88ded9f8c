-- CreateEnum
CREATE TYPE "availability" AS ENUM ('InStock', 'OutOfStock', 'PreOrder', 'BackOrder', 'LimitedAvailability', 'Discontinued', 'Unknown');

-- CreateEnum
CREATE TYPE "alert_kind" AS ENUM ('price_drop', 'price_rise', 'back_in_stock', 'out_of_stock', 'new_product');

-- AlterTable
ALTER TABLE "targets" ADD COLUMN     "alert_min_change_amount" DECIMAL NOT NULL DEFAULT 0,
ADD COLUMN     "alert_min_change_percent" DECIMAL NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "products" (
    "id" UUID NOT NULL,
    "target_id" UUID,
    "url" TEXT NOT NULL,
    "canonical_url" TEXT NOT NULL,
    "variant_key" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "name" TEXT,
    "brand" TEXT,
    "sku" TEXT,
    "gtin" TEXT,
    "mpn" TEXT,
    "image" TEXT,
    "attributes" JSONB,
    "currency" TEXT,
    "latest_price" DECIMAL,
    "latest_list_price" DECIMAL,
    "latest_availability" "availability" NOT NULL DEFAULT 'Unknown',
    "latest_observed_at" TIMESTAMPTZ(6) NOT NULL,
    "first_seen_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "price_points" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "observed_at" TIMESTAMPTZ(6) NOT NULL,
    "amount" DECIMAL,
    "currency" TEXT,
    "list_price" DECIMAL,
    "availability" "availability" NOT NULL,
    "not_modified" BOOLEAN NOT NULL DEFAULT false,
    "source_event_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_points_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "target_id" UUID,
    "kind" "alert_kind" NOT NULL,
    "previous_amount" DECIMAL,
    "previous_currency" TEXT,
    "current_amount" DECIMAL,
    "current_currency" TEXT,
    "previous_availability" "availability",
    "current_availability" "availability" NOT NULL,
    "change_percent" DECIMAL,
    "observed_at" TIMESTAMPTZ(6) NOT NULL,
    "source_event_id" UUID NOT NULL,
    "event_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "target_health" (
    "target_id" UUID NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "consecutive_gone" INTEGER NOT NULL DEFAULT 0,
    "last_success_at" TIMESTAMPTZ(6),
    "last_failure_at" TIMESTAMPTZ(6),
    "last_error_class" TEXT,
    "last_http_status" INTEGER,
    "last_error_message" TEXT,
    "paused_at" TIMESTAMPTZ(6),
    "pause_reason" TEXT,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "target_health_pkey" PRIMARY KEY ("target_id")
);

-- CreateTable
CREATE TABLE "processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "products_host_idx" ON "products"("host");

-- CreateIndex
CREATE INDEX "products_latest_availability_idx" ON "products"("latest_availability");

-- CreateIndex
CREATE INDEX "products_target_id_idx" ON "products"("target_id");

-- CreateIndex
CREATE UNIQUE INDEX "products_canonical_url_variant_key_key" ON "products"("canonical_url", "variant_key");

-- CreateIndex
CREATE INDEX "price_points_product_id_observed_at_idx" ON "price_points"("product_id", "observed_at");

-- CreateIndex
CREATE UNIQUE INDEX "price_points_product_id_source_event_id_key" ON "price_points"("product_id", "source_event_id");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_event_id_key" ON "alerts"("event_id");

-- CreateIndex
CREATE INDEX "alerts_source_event_id_idx" ON "alerts"("source_event_id");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_product_id_source_event_id_kind_key" ON "alerts"("product_id", "source_event_id", "kind");

-- AddForeignKey
ALTER TABLE "products" ADD CONSTRAINT "products_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "targets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "price_points" ADD CONSTRAINT "price_points_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "target_health" ADD CONSTRAINT "target_health_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
