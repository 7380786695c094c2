-- CreateEnum
CREATE TYPE "ReviewSchedule" AS ENUM ('ONCE', 'QUARTERLY', 'HALF_YEARLY');

-- CreateEnum
CREATE TYPE "ReviewGranularity" AS ENUM ('GRANT', 'ACCOUNT');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('KEEP', 'END', 'SHORTEN');

-- CreateEnum
CREATE TYPE "ReviewCampaignStatus" AS ENUM ('ACTIVE', 'CLOSED');

-- CreateEnum
CREATE TYPE "ReviewItemStatus" AS ENUM ('OPEN', 'DECIDED');

-- CreateEnum
CREATE TYPE "ReviewDecisionSource" AS ENUM ('REVIEWER', 'BULK', 'RECOMMENDATION', 'DEFAULT');

-- CreateEnum
CREATE TYPE "ReviewerSource" AS ENUM ('RESOLVED', 'ROUTED_UP', 'FALLBACK', 'TOP_OF_TREE', 'REASSIGNED', 'ESCALATED');

-- CreateEnum
CREATE TYPE "ReviewApplyState" AS ENUM ('NONE', 'PENDING', 'APPLIED');

-- CreateTable
CREATE TABLE "review_definition" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "scope" JSONB NOT NULL,
    "granularity" "ReviewGranularity" NOT NULL DEFAULT 'GRANT',
    "stages" JSONB NOT NULL,
    "schedule" "ReviewSchedule" NOT NULL DEFAULT 'ONCE',
    "duration_days" INTEGER NOT NULL,
    "next_start_at" TIMESTAMPTZ(3),
    "default_decision" "ReviewDecision" NOT NULL DEFAULT 'KEEP',
    "risky_default" "ReviewDecision" NOT NULL DEFAULT 'END',
    "apply_immediately" BOOLEAN NOT NULL DEFAULT false,
    "inactive_days" INTEGER NOT NULL DEFAULT 90,
    "contract_end_days" INTEGER NOT NULL DEFAULT 30,
    "remind_days_before" INTEGER NOT NULL DEFAULT 3,
    "escalate_after_days" INTEGER,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "review_definition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_campaign" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "definition_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "status" "ReviewCampaignStatus" NOT NULL DEFAULT 'ACTIVE',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "started_by_id" UUID,
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "item_count" INTEGER NOT NULL DEFAULT 0,
    "reminded_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closed_by_id" UUID,
    "close_counts" JSONB,

    CONSTRAINT "review_campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_campaign_role" (
    "campaign_id" UUID NOT NULL,
    "role_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,

    CONSTRAINT "review_campaign_role_pkey" PRIMARY KEY ("campaign_id","role_id")
);

-- CreateTable
CREATE TABLE "review_item" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "slave_account_id" UUID NOT NULL,
    "grant_id" UUID,
    "person_id" UUID,
    "system_id" UUID NOT NULL,
    "role_id" UUID,
    "is_sensitive" BOOLEAN NOT NULL,
    "is_third_party" BOOLEAN NOT NULL,
    "facts" JSONB NOT NULL,
    "recommendation" TEXT,
    "recommendation_params" JSONB,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "reviewer_id" UUID,
    "reviewer_source" "ReviewerSource" NOT NULL DEFAULT 'RESOLVED',
    "conflicted_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "routing" JSONB,
    "reviewer_assigned_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "ReviewItemStatus" NOT NULL DEFAULT 'OPEN',
    "decision" "ReviewDecision",
    "new_ends_at" TIMESTAMPTZ(3),
    "comment" TEXT,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_source" "ReviewDecisionSource",
    "apply_state" "ReviewApplyState" NOT NULL DEFAULT 'NONE',
    "applied_at" TIMESTAMPTZ(3),
    "apply_error" TEXT,

    CONSTRAINT "review_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_item_decision" (
    "id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "stage" INTEGER NOT NULL,
    "reviewer_id" UUID,
    "on_behalf_of_id" UUID,
    "decision" "ReviewDecision" NOT NULL,
    "new_ends_at" TIMESTAMPTZ(3),
    "comment" TEXT,
    "source" "ReviewDecisionSource" NOT NULL,
    "spent_ms" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "review_item_decision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "review_definition_number_key" ON "review_definition"("number");

-- CreateIndex
CREATE INDEX "review_definition_is_active_next_start_at_idx" ON "review_definition"("is_active", "next_start_at");

-- CreateIndex
CREATE UNIQUE INDEX "review_campaign_number_key" ON "review_campaign"("number");

-- CreateIndex
CREATE INDEX "review_campaign_status_deadline_at_idx" ON "review_campaign"("status", "deadline_at");

-- CreateIndex
CREATE INDEX "review_campaign_definition_id_idx" ON "review_campaign"("definition_id");

-- CreateIndex
CREATE INDEX "review_campaign_started_at_id_idx" ON "review_campaign"("started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "review_item_reviewer_id_status_id_idx" ON "review_item"("reviewer_id", "status", "id");

-- CreateIndex
CREATE INDEX "review_item_campaign_id_status_id_idx" ON "review_item"("campaign_id", "status", "id");

-- CreateIndex
CREATE INDEX "review_item_campaign_id_id_idx" ON "review_item"("campaign_id", "id");

-- CreateIndex
CREATE INDEX "review_item_campaign_id_apply_state_idx" ON "review_item"("campaign_id", "apply_state");

-- CreateIndex
CREATE INDEX "review_item_grant_id_idx" ON "review_item"("grant_id");

-- CreateIndex
CREATE INDEX "review_item_person_id_idx" ON "review_item"("person_id");

-- CreateIndex
CREATE INDEX "review_item_decision_campaign_id_created_at_idx" ON "review_item_decision"("campaign_id", "created_at");

-- CreateIndex
CREATE INDEX "review_item_decision_reviewer_id_created_at_idx" ON "review_item_decision"("reviewer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "review_item_decision_item_id_stage_key" ON "review_item_decision"("item_id", "stage");

-- AddForeignKey
ALTER TABLE "review_campaign" ADD CONSTRAINT "review_campaign_definition_id_fkey" FOREIGN KEY ("definition_id") REFERENCES "review_definition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_campaign_role" ADD CONSTRAINT "review_campaign_role_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "review_campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_item" ADD CONSTRAINT "review_item_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "review_campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_item_decision" ADD CONSTRAINT "review_item_decision_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "review_item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
