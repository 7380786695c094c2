/*
  Warnings:

  - A unique constraint on "email_bidx" of "person" is added. This fails if there are duplicates.

*/
-- DropIndex
DROP INDEX "person_email_key";

-- AlterTable
ALTER TABLE "person" ADD COLUMN     "email_bidx" TEXT,
ADD COLUMN     "email_enc" TEXT,
ADD COLUMN     "id_number_bidx" TEXT,
ADD COLUMN     "id_number_enc" TEXT,
ADD COLUMN     "phone_enc" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "person_email_bidx_key" ON "person"("email_bidx");

-- CreateIndex
CREATE INDEX "person_id_number_bidx_idx" ON "person"("id_number_bidx");
