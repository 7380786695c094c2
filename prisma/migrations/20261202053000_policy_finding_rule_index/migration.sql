-- The policy page filters findings by rule, newest first.
CREATE INDEX "policy_finding_rule_detected_at_id_idx" ON "policy_finding"("rule", "detected_at" DESC, "id");
