-- CreateTable
CREATE TABLE "policy_finding" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "grant_id" UUID,
    "system_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "conflicts_with_grant_id" UUID,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_finding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_finding_system_id_person_id_idx" ON "policy_finding"("system_id", "person_id");

-- CreateIndex
CREATE INDEX "policy_finding_person_id_idx" ON "policy_finding"("person_id");

-- CreateIndex
CREATE INDEX "policy_finding_code_idx" ON "policy_finding"("code");

