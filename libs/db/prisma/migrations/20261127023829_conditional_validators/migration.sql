-- AlterTable
ALTER TABLE "target_health" ADD COLUMN     "etag" TEXT,
ADD COLUMN     "last_modified" TEXT,
ADD COLUMN     "validators_at" TIMESTAMPTZ(6);
