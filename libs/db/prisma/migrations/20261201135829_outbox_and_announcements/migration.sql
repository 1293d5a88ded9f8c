-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "announced_at" TIMESTAMPTZ(6);

-- CreateTable
CREATE TABLE "alert_announcements" (
    "product_id" UUID NOT NULL,
    "watch_key" UUID NOT NULL,
    "observed_at" TIMESTAMPTZ(6) NOT NULL,
    "alert_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "alert_announcements_pkey" PRIMARY KEY ("product_id","watch_key")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "publisher" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(6),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("publisher","event_id")
);

-- CreateIndex
CREATE INDEX "outbox_events_publisher_published_at_next_attempt_at_idx" ON "outbox_events"("publisher", "published_at", "next_attempt_at");
