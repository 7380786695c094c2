-- CreateEnum
CREATE TYPE "ConnectorKind" AS ENUM ('SCIM', 'MANUAL');

-- CreateEnum
CREATE TYPE "ConnectorAuth" AS ENUM ('BEARER', 'BASIC');

-- CreateEnum
CREATE TYPE "ConnectorRoleMapping" AS ENUM ('ROLES', 'ENTITLEMENTS');

-- CreateTable
CREATE TABLE "system_connector" (
    "system_id" UUID NOT NULL,
    "kind" "ConnectorKind" NOT NULL,
    "base_url" TEXT,
    "auth" "ConnectorAuth",
    "secret_enc" TEXT,
    "role_mapping" "ConnectorRoleMapping" NOT NULL DEFAULT 'ROLES',
    "max_attempts" INTEGER NOT NULL DEFAULT 8,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "circuit_open_until" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_failure_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "system_connector_pkey" PRIMARY KEY ("system_id")
);

-- CreateTable
CREATE TABLE "provisioning_attempt" (
    "id" BIGSERIAL NOT NULL,
    "outbox_id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "request" TEXT NOT NULL,
    "http_status" INTEGER,
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provisioning_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning_link" (
    "slave_account_id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "external_ref" TEXT NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provisioning_link_pkey" PRIMARY KEY ("slave_account_id")
);

-- CreateIndex
CREATE INDEX "provisioning_attempt_outbox_id_id_idx" ON "provisioning_attempt"("outbox_id", "id");

-- CreateIndex
CREATE INDEX "provisioning_attempt_system_id_id_idx" ON "provisioning_attempt"("system_id", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "provisioning_link_system_id_external_ref_key" ON "provisioning_link"("system_id", "external_ref");

-- CreateIndex
CREATE INDEX "provisioning_outbox_slave_account_id_id_idx" ON "provisioning_outbox"("slave_account_id", "id");

-- AddForeignKey
ALTER TABLE "system_connector" ADD CONSTRAINT "system_connector_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provisioning_attempt" ADD CONSTRAINT "provisioning_attempt_outbox_id_fkey" FOREIGN KEY ("outbox_id") REFERENCES "provisioning_outbox"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provisioning_link" ADD CONSTRAINT "provisioning_link_slave_account_id_fkey" FOREIGN KEY ("slave_account_id") REFERENCES "slave_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
