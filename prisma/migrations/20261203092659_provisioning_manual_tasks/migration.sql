-- CreateEnum
CREATE TYPE "ProvisioningTaskStatus" AS ENUM ('OPEN', 'DONE', 'VERIFIED');

-- CreateTable
CREATE TABLE "provisioning_task" (
    "id" UUID NOT NULL,
    "outbox_id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    "slave_account_id" UUID,
    "operation" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "status" "ProvisioningTaskStatus" NOT NULL DEFAULT 'OPEN',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "done_at" TIMESTAMPTZ(3),
    "done_by_id" UUID,
    "note" TEXT,
    "verified_at" TIMESTAMPTZ(3),

    CONSTRAINT "provisioning_task_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "provisioning_task_outbox_id_key" ON "provisioning_task"("outbox_id");

-- CreateIndex
CREATE INDEX "provisioning_task_system_id_status_id_idx" ON "provisioning_task"("system_id", "status", "id");

-- CreateIndex
CREATE INDEX "provisioning_task_slave_account_id_idx" ON "provisioning_task"("slave_account_id");

-- AddForeignKey
ALTER TABLE "provisioning_task" ADD CONSTRAINT "provisioning_task_outbox_id_fkey" FOREIGN KEY ("outbox_id") REFERENCES "provisioning_outbox"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
