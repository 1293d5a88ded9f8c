-- CreateTable
CREATE TABLE "email_digest_entries" (
    "event_id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "alert" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "queued_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(6),

    CONSTRAINT "email_digest_entries_pkey" PRIMARY KEY ("event_id","recipient_id")
);

-- CreateIndex
CREATE INDEX "email_digest_entries_recipient_id_status_queued_at_idx" ON "email_digest_entries"("recipient_id", "status", "queued_at");
