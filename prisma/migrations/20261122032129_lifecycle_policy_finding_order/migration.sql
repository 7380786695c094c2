-- CreateIndex
CREATE INDEX "policy_finding_detected_at_id_idx" ON "policy_finding"("detected_at" DESC, "id");

-- CreateIndex
CREATE INDEX "policy_finding_system_id_detected_at_id_idx" ON "policy_finding"("system_id", "detected_at" DESC, "id");
