-- Issue 14 §3: the audit trail finds a bulk event by any grant, account or person it touched
-- (lib/audit/queries.ts, subjectEventIds): each item names the person it belongs to, and the three
-- lookups are index range scans newest first, whatever the kind.
ALTER TABLE "audit_event_item" ADD COLUMN "person_id" TEXT;

DROP INDEX "audit_event_item_kind_subject_id_event_id_idx";

CREATE INDEX "audit_event_item_subject_id_event_id_idx" ON "audit_event_item"("subject_id", "event_id" DESC);

CREATE INDEX "audit_event_item_person_id_event_id_idx" ON "audit_event_item"("person_id", "event_id" DESC);

CREATE INDEX "audit_event_target_id_id_idx" ON "audit_event"("target_id", "id" DESC);
