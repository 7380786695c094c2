-- The hand-written audit-chain SQL of the initial migration, as it was applied there
-- (prisma/migrations/20261121234531_init/migration.sql names this file). Migrations are applied, not
-- this file: it is the readable copy, kept identical to that migration by tests/unit/audit-chain-sql.test.ts.
-- Later migrations may replace these functions; read them for the current definition.

-- Each row's hash = sha256(prev_hash || '|' || canonical(row)). Rows are chained in id order: the id
-- and the time are assigned under a transaction-scoped advisory lock, so concurrent writers queue
-- at the audit insert and the chain never forks.

CREATE OR REPLACE FUNCTION audit_event_canonical(e audit_event) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT jsonb_build_array(
    e.id::text,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_id::text, e.actor_name, e.action, e.target_type, e.target_id,
    e.summary, e.reason, e.basis, e.request_id, e.ip, e.user_agent
  )::text
$fn$;

CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  previous text;
BEGIN
  PERFORM pg_advisory_xact_lock(4040404);
  NEW.id := nextval(pg_get_serial_sequence('audit_event', 'id'));
  NEW.occurred_at := clock_timestamp();
  SELECT hash INTO previous FROM audit_event ORDER BY id DESC LIMIT 1;
  NEW.prev_hash := previous;
  NEW.hash := encode(sha256(convert_to(coalesce(previous, '') || '|' || audit_event_canonical(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END
$fn$;

CREATE OR REPLACE FUNCTION audit_event_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % rejected', TG_OP USING ERRCODE = '42501';
END
$fn$;

CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_chain();
CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_reject_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_reject_change();
