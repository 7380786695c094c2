-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "RequestKind" AS ENUM ('GRANT', 'ELEVATION', 'MATRIX_CHANGE');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "StageKind" AS ENUM ('DEPARTMENT_HEAD', 'SYSTEM_OWNER', 'SECURITY', 'SPONSOR', 'OWNER_LEADER', 'NAMED');

-- CreateEnum
CREATE TYPE "StageRule" AS ENUM ('ANY', 'ALL', 'N_OF_M');

-- CreateEnum
CREATE TYPE "StageStatus" AS ENUM ('WAITING', 'ACTIVE', 'APPROVED', 'REJECTED', 'SKIPPED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "DecisionOutcome" AS ENUM ('APPROVE', 'REJECT');

-- CreateEnum
CREATE TYPE "ApproverSource" AS ENUM ('RESOLVED', 'ROUTED_UP', 'DELEGATED', 'ESCALATED');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "VaultStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'CONSUMED', 'CANCELLED');

-- AlterTable
ALTER TABLE "access_grant" ADD COLUMN     "expiry_notice" TEXT,
ADD COLUMN     "request_id" UUID;

-- AlterTable
ALTER TABLE "master_account" ADD COLUMN     "preferred_locale" TEXT;

-- CreateTable
CREATE TABLE "api_token" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "system_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "operations" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "created_by_id" UUID,
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "link" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_outbox" (
    "id" UUID NOT NULL,
    "notification_id" UUID,
    "recipient_id" UUID,
    "to_address" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "link" TEXT,
    "status" "EmailStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_request" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "kind" "RequestKind" NOT NULL DEFAULT 'GRANT',
    "status" "RequestStatus" NOT NULL DEFAULT 'PENDING',
    "requester_id" UUID NOT NULL,
    "subject_id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "role_id" UUID,
    "justification" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "is_sensitive" BOOLEAN NOT NULL DEFAULT false,
    "is_administrative" BOOLEAN NOT NULL DEFAULT false,
    "renews_grant_id" UUID,
    "matrix_change" JSONB,
    "idempotency_key" TEXT,
    "current_stage" INTEGER NOT NULL DEFAULT 0,
    "grant_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "closing_note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "access_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_stage" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "StageKind" NOT NULL,
    "rule" "StageRule" NOT NULL DEFAULT 'ANY',
    "required_count" INTEGER NOT NULL DEFAULT 1,
    "named_approver_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "status" "StageStatus" NOT NULL DEFAULT 'WAITING',
    "activated_at" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),

    CONSTRAINT "request_stage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_approver" (
    "id" UUID NOT NULL,
    "stage_id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "approver_id" UUID NOT NULL,
    "on_behalf_of_id" UUID,
    "delegation_id" UUID,
    "source" "ApproverSource" NOT NULL DEFAULT 'RESOLVED',
    "is_open" BOOLEAN NOT NULL DEFAULT true,
    "request_created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stage_approver_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_decision" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "stage_id" UUID NOT NULL,
    "approver_id" UUID NOT NULL,
    "on_behalf_of_id" UUID,
    "outcome" "DecisionOutcome" NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_delegation" (
    "id" UUID NOT NULL,
    "delegator_id" UUID NOT NULL,
    "delegate_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "created_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_delegation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_chain" (
    "id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "definition" JSONB NOT NULL,
    "updated_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_chain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning_outbox" (
    "id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "operation" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "grant_id" UUID,
    "slave_account_id" UUID,
    "request_id" UUID,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provisioning_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vault_scenario" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT,
    "description" TEXT,
    "system_id" UUID,
    "approver_roles" "PortalRole"[] DEFAULT ARRAY[]::"PortalRole"[],
    "approver_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "valid_for_seconds" INTEGER NOT NULL DEFAULT 300,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vault_scenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vault_request" (
    "id" UUID NOT NULL,
    "scenario_id" UUID NOT NULL,
    "operator_id" UUID NOT NULL,
    "api_token_id" UUID,
    "approver_id" UUID NOT NULL,
    "operation" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "target_label" TEXT,
    "context" JSONB,
    "reason" TEXT NOT NULL,
    "status" "VaultStatus" NOT NULL DEFAULT 'PENDING',
    "decision_comment" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3),
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vault_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_token_prefix_key" ON "api_token"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "api_token_expires_at_idx" ON "api_token"("expires_at");

-- CreateIndex
CREATE INDEX "notification_recipient_id_created_at_idx" ON "notification"("recipient_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_recipient_id_read_at_idx" ON "notification"("recipient_id", "read_at");

-- CreateIndex
CREATE INDEX "email_outbox_status_next_attempt_at_idx" ON "email_outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "access_request_number_key" ON "access_request"("number");

-- CreateIndex
CREATE UNIQUE INDEX "access_request_grant_id_key" ON "access_request"("grant_id");

-- CreateIndex
CREATE INDEX "access_request_subject_id_created_at_idx" ON "access_request"("subject_id", "created_at");

-- CreateIndex
CREATE INDEX "access_request_requester_id_created_at_idx" ON "access_request"("requester_id", "created_at");

-- CreateIndex
CREATE INDEX "access_request_status_expires_at_idx" ON "access_request"("status", "expires_at");

-- CreateIndex
CREATE INDEX "access_request_system_id_status_idx" ON "access_request"("system_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "access_request_requester_id_idempotency_key_key" ON "access_request"("requester_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "request_stage_status_activated_at_idx" ON "request_stage"("status", "activated_at");

-- CreateIndex
CREATE UNIQUE INDEX "request_stage_request_id_position_key" ON "request_stage"("request_id", "position");

-- CreateIndex
CREATE INDEX "stage_approver_approver_id_is_open_request_created_at_reque_idx" ON "stage_approver"("approver_id", "is_open", "request_created_at", "request_id");

-- CreateIndex
CREATE INDEX "stage_approver_request_id_idx" ON "stage_approver"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "stage_approver_stage_id_approver_id_key" ON "stage_approver"("stage_id", "approver_id");

-- CreateIndex
CREATE INDEX "approval_decision_request_id_idx" ON "approval_decision"("request_id");

-- CreateIndex
CREATE INDEX "approval_decision_approver_id_created_at_idx" ON "approval_decision"("approver_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_decision_stage_id_approver_id_key" ON "approval_decision"("stage_id", "approver_id");

-- CreateIndex
CREATE INDEX "approval_delegation_delegator_id_ends_at_idx" ON "approval_delegation"("delegator_id", "ends_at");

-- CreateIndex
CREATE INDEX "approval_delegation_delegate_id_ends_at_idx" ON "approval_delegation"("delegate_id", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "approval_chain_system_id_key" ON "approval_chain"("system_id");

-- CreateIndex
CREATE INDEX "provisioning_outbox_status_next_attempt_at_idx" ON "provisioning_outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "provisioning_outbox_system_id_created_at_idx" ON "provisioning_outbox"("system_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "vault_scenario_code_key" ON "vault_scenario"("code");

-- CreateIndex
CREATE INDEX "vault_scenario_system_id_idx" ON "vault_scenario"("system_id");

-- CreateIndex
CREATE INDEX "vault_request_approver_id_status_created_at_idx" ON "vault_request"("approver_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "vault_request_operator_id_created_at_idx" ON "vault_request"("operator_id", "created_at");

-- CreateIndex
CREATE INDEX "vault_request_status_expires_at_idx" ON "vault_request"("status", "expires_at");

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "job_role"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_renews_grant_id_fkey" FOREIGN KEY ("renews_grant_id") REFERENCES "access_grant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "access_grant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_stage" ADD CONSTRAINT "request_stage_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "access_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_approver" ADD CONSTRAINT "stage_approver_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "request_stage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_approver" ADD CONSTRAINT "stage_approver_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "access_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_approver" ADD CONSTRAINT "stage_approver_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_approver" ADD CONSTRAINT "stage_approver_delegation_id_fkey" FOREIGN KEY ("delegation_id") REFERENCES "approval_delegation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_decision" ADD CONSTRAINT "approval_decision_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "access_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_decision" ADD CONSTRAINT "approval_decision_stage_id_fkey" FOREIGN KEY ("stage_id") REFERENCES "request_stage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_decision" ADD CONSTRAINT "approval_decision_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_delegation" ADD CONSTRAINT "approval_delegation_delegator_id_fkey" FOREIGN KEY ("delegator_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_delegation" ADD CONSTRAINT "approval_delegation_delegate_id_fkey" FOREIGN KEY ("delegate_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_chain" ADD CONSTRAINT "approval_chain_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provisioning_outbox" ADD CONSTRAINT "provisioning_outbox_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vault_scenario" ADD CONSTRAINT "vault_scenario_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "business_system"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vault_request" ADD CONSTRAINT "vault_request_scenario_id_fkey" FOREIGN KEY ("scenario_id") REFERENCES "vault_scenario"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vault_request" ADD CONSTRAINT "vault_request_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vault_request" ADD CONSTRAINT "vault_request_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
