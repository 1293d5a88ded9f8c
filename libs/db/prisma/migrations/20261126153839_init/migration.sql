-- CreateEnum
CREATE TYPE "target_kind" AS ENUM ('product', 'listing', 'sitemap');

-- CreateEnum
CREATE TYPE "target_status" AS ENUM ('active', 'paused');

-- CreateEnum
CREATE TYPE "scrape_run_status" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "targets" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "kind" "target_kind" NOT NULL,
    "selectors" JSONB,
    "check_interval_seconds" INTEGER NOT NULL,
    "status" "target_status" NOT NULL,
    "next_check_at" TIMESTAMPTZ(6),
    "last_checked_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scrape_runs" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "status" "scrape_run_status" NOT NULL,
    "requested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    "http_status" INTEGER,
    "error_class" TEXT,
    "error_message" TEXT,

    CONSTRAINT "scrape_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "targets_host_idx" ON "targets"("host");

-- CreateIndex
CREATE INDEX "targets_status_next_check_at_idx" ON "targets"("status", "next_check_at");

-- CreateIndex
CREATE UNIQUE INDEX "targets_url_kind_key" ON "targets"("url", "kind");

-- CreateIndex
CREATE INDEX "scrape_runs_target_id_idx" ON "scrape_runs"("target_id");

-- AddForeignKey
ALTER TABLE "scrape_runs" ADD CONSTRAINT "scrape_runs_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
