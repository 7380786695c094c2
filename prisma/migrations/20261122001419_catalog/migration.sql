-- CreateEnum
CREATE TYPE "DataKind" AS ENUM ('NONE', 'IDENTITY', 'USER_DATA', 'SERVICE_DATA');

-- CreateEnum
CREATE TYPE "Sensitivity" AS ENUM ('EXTREME', 'SENSITIVE', 'RELATIVE', 'LOW');

-- CreateEnum
CREATE TYPE "PermissionOperation" AS ENUM ('QUERY', 'ADD', 'DELETE', 'MODIFY', 'BULK_IMPORT', 'BULK_EXPORT', 'BULK_SERVICE', 'BULK_DOWNLOAD', 'SCREEN_COPY');

-- AlterTable
ALTER TABLE "business_system" ADD COLUMN     "description" TEXT,
ADD COLUMN     "is_active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "is_connected" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "permission" (
    "id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT,
    "description" TEXT,
    "data_kind" "DataKind" NOT NULL,
    "sensitivity" "Sensitivity" NOT NULL,
    "operation" "PermissionOperation" NOT NULL,
    "is_log_management" BOOLEAN NOT NULL DEFAULT false,
    "is_account_creation" BOOLEAN NOT NULL DEFAULT false,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "permission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_role" (
    "id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT,
    "description" TEXT,
    "is_administrative" BOOLEAN NOT NULL DEFAULT false,
    "is_requestable" BOOLEAN NOT NULL DEFAULT true,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_permission" (
    "id" UUID NOT NULL,
    "role_id" UUID NOT NULL,
    "permission_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),
    "added_by_id" UUID,
    "removed_by_id" UUID,

    CONSTRAINT "role_permission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "permission_sensitivity_idx" ON "permission"("sensitivity");

-- CreateIndex
CREATE UNIQUE INDEX "permission_system_id_code_key" ON "permission"("system_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "job_role_system_id_code_key" ON "job_role"("system_id", "code");

-- CreateIndex
CREATE INDEX "role_permission_role_id_ends_at_idx" ON "role_permission"("role_id", "ends_at");

-- CreateIndex
CREATE INDEX "role_permission_permission_id_ends_at_idx" ON "role_permission"("permission_id", "ends_at");

-- AddForeignKey
ALTER TABLE "permission" ADD CONSTRAINT "permission_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_role" ADD CONSTRAINT "job_role_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_permission" ADD CONSTRAINT "role_permission_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "job_role"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_permission" ADD CONSTRAINT "role_permission_permission_id_fkey" FOREIGN KEY ("permission_id") REFERENCES "permission"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: one open matrix cell per role and permission.
CREATE UNIQUE INDEX "role_permission_open_key" ON "role_permission"("role_id", "permission_id") WHERE "ends_at" IS NULL;
