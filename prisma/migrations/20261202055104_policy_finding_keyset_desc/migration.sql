-- DropIndex
DROP INDEX "policy_finding_detected_at_id_idx";

-- DropIndex
DROP INDEX "policy_finding_rule_detected_at_id_idx";

-- DropIndex
DROP INDEX "policy_finding_system_id_detected_at_id_idx";

-- CreateIndex
CREATE INDEX "policy_finding_detected_at_id_idx" ON "policy_finding"("detected_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "policy_finding_system_id_detected_at_id_idx" ON "policy_finding"("system_id", "detected_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "policy_finding_rule_detected_at_id_idx" ON "policy_finding"("rule", "detected_at" DESC, "id" DESC);
