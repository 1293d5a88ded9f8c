-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "operator" BOOLEAN NOT NULL DEFAULT false;
