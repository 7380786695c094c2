-- CreateEnum
CREATE TYPE "ReconciliationKind" AS ENUM ('MISSING_IN_SYSTEM', 'UNKNOWN_IN_SYSTEM', 'OWNERLESS', 'STATUS_DRIFT', 'ROLE_DRIFT');

-- CreateEnum
CREATE TYPE "ReconciliationFindingStatus" AS ENUM ('OPEN', 'RESOLVED');

-- CreateTable
CREATE TABLE "reconciliation_run" (
    "id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "counts" JSONB NOT NULL,
    "error" TEXT,
    "started_by_id" UUID,

    CONSTRAINT "reconciliation_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_finding" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "kind" "ReconciliationKind" NOT NULL,
    "slave_account_id" UUID,
    "external_ref" TEXT,
    "login_name" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "status" "ReconciliationFindingStatus" NOT NULL DEFAULT 'OPEN',
    "resolution" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" UUID,

    CONSTRAINT "reconciliation_finding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reconciliation_run_system_id_started_at_idx" ON "reconciliation_run"("system_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "reconciliation_finding_system_id_status_id_idx" ON "reconciliation_finding"("system_id", "status", "id");

-- CreateIndex
CREATE INDEX "reconciliation_finding_run_id_idx" ON "reconciliation_finding"("run_id");

-- CreateIndex
CREATE INDEX "reconciliation_finding_slave_account_id_idx" ON "reconciliation_finding"("slave_account_id");

-- AddForeignKey
ALTER TABLE "reconciliation_finding" ADD CONSTRAINT "reconciliation_finding_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "reconciliation_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
