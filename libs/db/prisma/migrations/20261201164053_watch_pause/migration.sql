-- AlterTable
ALTER TABLE "watches" ADD COLUMN     "paused_at" TIMESTAMPTZ(6);
