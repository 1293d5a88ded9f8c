-- CreateEnum
CREATE TYPE "delivery_channel" AS ENUM ('webhook', 'email');

-- CreateEnum
CREATE TYPE "delivery_outcome" AS ENUM ('delivered', 'dead');

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "kinds" "alert_kind"[],
    "watch_id" UUID,
    "label" TEXT,
    "secret_sealed" TEXT NOT NULL,
    "previous_secret_sealed" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(6),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "enabled_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_deliveries" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "channel" "delivery_channel" NOT NULL,
    "channel_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "webhook_id" TEXT,
    "payload" TEXT NOT NULL,
    "outcome" "delivery_outcome" NOT NULL,
    "attempts" INTEGER NOT NULL,
    "finished_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "channel" "delivery_channel" NOT NULL,
    "channel_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "webhook_id" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "status" INTEGER,
    "succeeded" BOOLEAN NOT NULL,
    "response_excerpt" TEXT,
    "error" TEXT,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_endpoint_states" (
    "endpoint_id" UUID NOT NULL,
    "failing_since" TIMESTAMPTZ(6),
    "last_success_at" TIMESTAMPTZ(6),
    "last_failure_at" TIMESTAMPTZ(6),
    "last_error" TEXT,
    "disabled_at" TIMESTAMPTZ(6),
    "disabled_reason" TEXT,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "webhook_endpoint_states_pkey" PRIMARY KEY ("endpoint_id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoints_account_id_id_idx" ON "webhook_endpoints"("account_id", "id");

-- CreateIndex
CREATE INDEX "channel_deliveries_channel_channel_id_id_idx" ON "channel_deliveries"("channel", "channel_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_deliveries_event_id_channel_channel_id_key" ON "channel_deliveries"("event_id", "channel", "channel_id");

-- CreateIndex
CREATE INDEX "delivery_attempts_channel_channel_id_id_idx" ON "delivery_attempts"("channel", "channel_id", "id");

-- CreateIndex
CREATE INDEX "delivery_attempts_event_id_idx" ON "delivery_attempts"("event_id");

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
