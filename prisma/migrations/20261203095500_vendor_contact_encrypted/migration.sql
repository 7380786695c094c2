-- AlterTable
ALTER TABLE "vendor" ADD COLUMN     "contact_email_enc" TEXT,
ADD COLUMN     "contact_phone_enc" TEXT;
