-- Offboarding as a tracked case (issue 11 §2).
CREATE TYPE "OffboardingStatus" AS ENUM ('SCHEDULED', 'COMPLETED', 'CANCELLED');
CREATE TYPE "OffboardingSource" AS ENUM ('HR', 'VENDOR', 'CONTRACT');
ALTER TYPE "ApproverSource" ADD VALUE 'REROUTED';

CREATE TABLE "offboarding_case" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "person_id" UUID NOT NULL,
    "source" "OffboardingSource" NOT NULL,
    "status" "OffboardingStatus" NOT NULL,
    "batch_id" UUID,
    "vendor_id" UUID,
    "last_working_day" DATE,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "requested_by_id" UUID,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "executed_at" TIMESTAMPTZ(3),
    "counts" JSONB,
    "last_error" TEXT,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancelled_by_id" UUID,
    CONSTRAINT "offboarding_case_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "offboarding_case_number_key" ON "offboarding_case"("number");
CREATE INDEX "offboarding_case_status_effective_at_idx" ON "offboarding_case"("status", "effective_at");
CREATE INDEX "offboarding_case_person_id_idx" ON "offboarding_case"("person_id");
CREATE INDEX "offboarding_case_batch_id_idx" ON "offboarding_case"("batch_id");
CREATE INDEX "offboarding_case_requested_at_id_idx" ON "offboarding_case"("requested_at" DESC, "id" DESC);
-- One case waiting per person: a second schedule is a conflict, not a duplicate.
CREATE UNIQUE INDEX "offboarding_case_one_scheduled" ON "offboarding_case"("person_id") WHERE "status" = 'SCHEDULED';
ALTER TABLE "offboarding_case" ADD CONSTRAINT "offboarding_case_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "provisioning_outbox" ADD COLUMN "offboarding_case_id" UUID;
CREATE INDEX "provisioning_outbox_offboarding_case_id_idx" ON "provisioning_outbox"("offboarding_case_id");
ALTER TABLE "provisioning_outbox" ADD CONSTRAINT "provisioning_outbox_offboarding_case_id_fkey" FOREIGN KEY ("offboarding_case_id") REFERENCES "offboarding_case"("id") ON DELETE SET NULL ON UPDATE CASCADE;
