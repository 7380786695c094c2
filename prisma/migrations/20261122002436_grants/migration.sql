-- CreateEnum
CREATE TYPE "SlaveAccountStatus" AS ENUM ('ACTIVE', 'LOCKED', 'DISABLED', 'DELETED');

-- CreateEnum
CREATE TYPE "SodRuleKind" AS ENUM ('ROLE_PAIR', 'PERMISSION_PAIR');

-- CreateEnum
CREATE TYPE "JobCategory" AS ENUM ('PRODUCT_RD', 'MARKETING_POLICY', 'BUSINESS_MANAGEMENT', 'OPERATIONS_SUPPORT', 'SERVICE_MARKETING_FRONT_LINE', 'SERVICE_MARKETING_OTHER', 'OPS_INFRASTRUCTURE_ADMIN', 'OPS_APPLICATION_ADMIN', 'DEV_TEST', 'PRODUCTION_OPERATIONS');

-- AlterTable
ALTER TABLE "person" ADD COLUMN     "contract_ends_on" DATE,
ADD COLUMN     "job_categories" "JobCategory"[] DEFAULT ARRAY[]::"JobCategory"[],
ADD COLUMN     "sponsor_id" UUID,
ADD COLUMN     "vendor_id" UUID;

-- CreateTable
CREATE TABLE "slave_account" (
    "id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "person_id" UUID,
    "login_name" TEXT NOT NULL,
    "status" "SlaveAccountStatus" NOT NULL DEFAULT 'ACTIVE',
    "basis" TEXT,
    "created_by_id" UUID,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slave_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_grant" (
    "id" UUID NOT NULL,
    "slave_account_id" UUID NOT NULL,
    "role_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),
    "reason" TEXT NOT NULL,
    "basis" TEXT,
    "granted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "revoke_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sod_rule" (
    "id" UUID NOT NULL,
    "kind" "SodRuleKind" NOT NULL,
    "left_role_id" UUID,
    "right_role_id" UUID,
    "left_permission_id" UUID,
    "right_permission_id" UUID,
    "description" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sod_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vendor" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "contact_name" TEXT,
    "contact_phone" TEXT,
    "contact_email" TEXT,
    "contract_starts_on" DATE NOT NULL,
    "contract_ends_on" DATE NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vendor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "slave_account_person_id_idx" ON "slave_account"("person_id");

-- CreateIndex
CREATE INDEX "slave_account_system_id_status_idx" ON "slave_account"("system_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "slave_account_system_id_login_name_key" ON "slave_account"("system_id", "login_name");

-- CreateIndex
CREATE INDEX "access_grant_slave_account_id_revoked_at_idx" ON "access_grant"("slave_account_id", "revoked_at");

-- CreateIndex
CREATE INDEX "access_grant_role_id_revoked_at_idx" ON "access_grant"("role_id", "revoked_at");

-- CreateIndex
CREATE INDEX "access_grant_ends_at_idx" ON "access_grant"("ends_at");

-- CreateIndex
CREATE INDEX "sod_rule_is_active_idx" ON "sod_rule"("is_active");

-- CreateIndex
CREATE UNIQUE INDEX "vendor_name_key" ON "vendor"("name");

-- CreateIndex
CREATE INDEX "person_vendor_id_idx" ON "person"("vendor_id");

-- CreateIndex
CREATE INDEX "person_sponsor_id_idx" ON "person"("sponsor_id");

-- AddForeignKey
ALTER TABLE "slave_account" ADD CONSTRAINT "slave_account_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slave_account" ADD CONSTRAINT "slave_account_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_slave_account_id_fkey" FOREIGN KEY ("slave_account_id") REFERENCES "slave_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "job_role"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_vendor_id_fkey" FOREIGN KEY ("vendor_id") REFERENCES "vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_sponsor_id_fkey" FOREIGN KEY ("sponsor_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written (Prisma cannot declare partial indexes; a generated migration will propose dropping
-- these: delete those statements).
-- R2: at most one live account per person per system.
CREATE UNIQUE INDEX "slave_account_person_system_live_key" ON "slave_account"("system_id", "person_id") WHERE "status" <> 'DELETED' AND "person_id" IS NOT NULL;
-- One live grant of a role to an account; expiry sets revoked_at, so expired grants leave this index.
CREATE UNIQUE INDEX "access_grant_live_key" ON "access_grant"("slave_account_id", "role_id") WHERE "revoked_at" IS NULL;
-- The roster and the expiry job read live grants only.
CREATE INDEX "access_grant_live_role_idx" ON "access_grant"("role_id", "slave_account_id") WHERE "revoked_at" IS NULL;
CREATE INDEX "access_grant_expiry_idx" ON "access_grant"("ends_at") WHERE "revoked_at" IS NULL AND "ends_at" IS NOT NULL;
