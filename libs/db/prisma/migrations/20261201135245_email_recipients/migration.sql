-- CreateEnum
CREATE TYPE "email_delivery_mode" AS ENUM ('each_alert', 'digest');

-- CreateTable
CREATE TABLE "email_recipients" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "alert_kinds" "alert_kind"[],
    "watch_id" UUID,
    "label" TEXT,
    "delivery_mode" "email_delivery_mode" NOT NULL,
    "digest_interval_minutes" INTEGER,
    "verified_at" TIMESTAMPTZ(6),
    "verification_token_hash" TEXT,
    "verification_expires_at" TIMESTAMPTZ(6),
    "verification_sent_at" TIMESTAMPTZ(6),
    "unsubscribed_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "email_recipients_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "email_recipients_verification_token_hash_key" ON "email_recipients"("verification_token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "email_recipients_account_id_address_key" ON "email_recipients"("account_id", "address");

-- AddForeignKey
ALTER TABLE "email_recipients" ADD CONSTRAINT "email_recipients_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
