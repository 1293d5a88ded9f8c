-- AlterTable
ALTER TABLE "target_health" ADD COLUMN     "primary_observed_at" TIMESTAMPTZ(6),
ADD COLUMN     "primary_product_id" UUID;
