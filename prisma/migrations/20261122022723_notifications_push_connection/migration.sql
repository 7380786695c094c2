-- CreateTable
CREATE TABLE "push_connection" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "process_id" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "push_connection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "push_connection_person_id_seen_at_idx" ON "push_connection"("person_id", "seen_at");

-- CreateIndex
CREATE INDEX "push_connection_process_id_idx" ON "push_connection"("process_id");

-- CreateIndex
CREATE INDEX "push_connection_seen_at_idx" ON "push_connection"("seen_at");

