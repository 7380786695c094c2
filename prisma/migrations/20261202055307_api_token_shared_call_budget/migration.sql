-- AlterTable
ALTER TABLE "api_token" ADD COLUMN     "rate_window_calls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rate_window_start" TIMESTAMPTZ(3);

