-- Issue 9 §2 and issue 14 §3 (docs/decisions/0025-audit-seals-and-checkpoints.md).

-- A keyed seal of each audit row: HMAC-SHA256(AUDIT_SIGNING_KEY, 'audit-seal-v1|' || id || '|' || hash),
-- computed by the app (the key never reaches the database) and inserted in the same transaction as the
-- row. A superuser who alters a row and recomputes the unkeyed chain cannot recompute the seals.
CREATE TABLE "audit_event_seal" (
    "event_id" BIGINT NOT NULL,
    "key_id" TEXT NOT NULL,
    "mac" TEXT NOT NULL,

    CONSTRAINT "audit_event_seal_pkey" PRIMARY KEY ("event_id")
);

-- What one bulk audit event touched: one row per grant, account or person, in the event's transaction.
-- The event's summary holds the items' count and digest, so the chain (and the seal) covers them.
CREATE TABLE "audit_event_item" (
    "event_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "audit_event_item_pkey" PRIMARY KEY ("event_id","position")
);

-- "Every event that touched grant X": one index range scan, newest first.
CREATE INDEX "audit_event_item_kind_subject_id_event_id_idx" ON "audit_event_item"("kind", "subject_id", "event_id" DESC);

ALTER TABLE "audit_event_seal" ADD CONSTRAINT "audit_event_seal_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "audit_event"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "audit_event_item" ADD CONSTRAINT "audit_event_item_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "audit_event"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Hand-written: append-only like audit_event (the app role has INSERT and SELECT only as well).
CREATE OR REPLACE FUNCTION audit_table_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END
$fn$;

CREATE TRIGGER audit_event_seal_no_update_delete BEFORE UPDATE OR DELETE ON audit_event_seal
  FOR EACH ROW EXECUTE FUNCTION audit_table_reject_change();
CREATE TRIGGER audit_event_seal_no_truncate BEFORE TRUNCATE ON audit_event_seal
  FOR EACH STATEMENT EXECUTE FUNCTION audit_table_reject_change();
CREATE TRIGGER audit_event_item_no_update_delete BEFORE UPDATE OR DELETE ON audit_event_item
  FOR EACH ROW EXECUTE FUNCTION audit_table_reject_change();
CREATE TRIGGER audit_event_item_no_truncate BEFORE TRUNCATE ON audit_event_item
  FOR EACH STATEMENT EXECUTE FUNCTION audit_table_reject_change();
