-- CreateTable
CREATE TABLE "policy_recheck_queue" (
    "id" BIGSERIAL NOT NULL,
    "person_id" UUID,
    "reason" TEXT NOT NULL,
    "enqueued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tx_id" xid8 NOT NULL DEFAULT pg_current_xact_id(),

    CONSTRAINT "policy_recheck_queue_pkey" PRIMARY KEY ("id")
);


-- Issue 14 §2 (decision 0029): every change of a person's policy facts queues that person, in the
-- transaction of the change, whichever code path makes it. The facts are what lib/policy/policy-facts.ts
-- loads: the person (employment type, status, job categories), their master account, their slave
-- accounts (owner, system, deleted or not) and live grants, each granted role (name, administrative,
-- system), the role's system (name, environment, kind), the role's current matrix cells and each cell's
-- permission, the active SoD pairs, and the classification setting (which applies to everyone, so it
-- queues one "everyone" row, person_id NULL, that the incremental job answers with a full check).
-- Statement-level triggers with transition tables: a bulk change queues its people with one
-- INSERT … SELECT, never a row at a time. Updates that touch none of the facts (expiry notices, last
-- login, encrypted PII) queue nothing.

-- The people holding (unrevoked) grants of these roles: the holders a role-level change concerns.
CREATE FUNCTION policy_recheck_enqueue_role_holders(role_ids uuid[], why text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO policy_recheck_queue (person_id, reason)
  SELECT DISTINCT sa.person_id, why
  FROM access_grant g JOIN slave_account sa ON sa.id = g.slave_account_id
  WHERE g.role_id = ANY(role_ids) AND g.revoked_at IS NULL AND sa.person_id IS NOT NULL
$$;

CREATE FUNCTION policy_recheck_on_access_grant() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO policy_recheck_queue (person_id, reason)
    SELECT DISTINCT sa.person_id, 'grant.created'
    FROM slave_account sa WHERE sa.id IN (SELECT slave_account_id FROM new_rows) AND sa.person_id IS NOT NULL;
  ELSIF TG_OP = 'UPDATE' THEN
    WITH changed AS (
      SELECT n.slave_account_id AS now_on, o.slave_account_id AS was_on
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.slave_account_id, n.role_id, n.starts_at, n.ends_at, n.revoked_at)
            IS DISTINCT FROM (o.slave_account_id, o.role_id, o.starts_at, o.ends_at, o.revoked_at)
    )
    INSERT INTO policy_recheck_queue (person_id, reason)
    SELECT DISTINCT sa.person_id, 'grant.changed'
    FROM slave_account sa
    WHERE sa.id IN (SELECT now_on FROM changed UNION SELECT was_on FROM changed) AND sa.person_id IS NOT NULL;
  ELSE
    INSERT INTO policy_recheck_queue (person_id, reason)
    SELECT DISTINCT sa.person_id, 'grant.deleted'
    FROM slave_account sa WHERE sa.id IN (SELECT slave_account_id FROM old_rows) AND sa.person_id IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_access_grant_insert AFTER INSERT ON access_grant
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_access_grant();
CREATE TRIGGER policy_recheck_access_grant_update AFTER UPDATE ON access_grant
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_access_grant();
CREATE TRIGGER policy_recheck_access_grant_delete AFTER DELETE ON access_grant
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_access_grant();

-- A slave account's owner, system or deletion (locking or disabling it is not a policy fact), for the
-- accounts that carry an unrevoked grant: the old owner and the new one.
CREATE FUNCTION policy_recheck_on_slave_account() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    WITH changed AS (
      SELECT n.id, n.person_id AS now_of, o.person_id AS was_of
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.person_id, n.system_id, n.status = 'DELETED') IS DISTINCT FROM (o.person_id, o.system_id, o.status = 'DELETED')
    ), people AS (
      SELECT now_of AS person_id FROM changed c WHERE EXISTS (SELECT 1 FROM access_grant g WHERE g.slave_account_id = c.id AND g.revoked_at IS NULL)
      UNION
      SELECT was_of FROM changed c WHERE EXISTS (SELECT 1 FROM access_grant g WHERE g.slave_account_id = c.id AND g.revoked_at IS NULL)
    )
    INSERT INTO policy_recheck_queue (person_id, reason)
    SELECT person_id, 'account.changed' FROM people WHERE person_id IS NOT NULL;
  ELSE
    INSERT INTO policy_recheck_queue (person_id, reason)
    SELECT DISTINCT o.person_id, 'account.deleted' FROM old_rows o WHERE o.person_id IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_slave_account_update AFTER UPDATE ON slave_account
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_slave_account();
CREATE TRIGGER policy_recheck_slave_account_delete AFTER DELETE ON slave_account
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_slave_account();

-- The person's own facts: employment type, status, job categories.
CREATE FUNCTION policy_recheck_on_person() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO policy_recheck_queue (person_id, reason)
  SELECT n.id, 'person.changed'
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.employment_type, n.status, n.job_categories) IS DISTINCT FROM (o.employment_type, o.status, o.job_categories);
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_person_update AFTER UPDATE ON person
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_person();

-- Having a master account at all (R2): created, removed or handed to another person.
CREATE FUNCTION policy_recheck_on_master_account() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO policy_recheck_queue (person_id, reason) SELECT DISTINCT person_id, 'master-account.created' FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO policy_recheck_queue (person_id, reason)
    SELECT p, 'master-account.changed' FROM (
      SELECT n.person_id AS p FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.person_id IS DISTINCT FROM o.person_id
      UNION
      SELECT o.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.person_id IS DISTINCT FROM o.person_id
    ) moved;
  ELSE
    INSERT INTO policy_recheck_queue (person_id, reason) SELECT DISTINCT person_id, 'master-account.deleted' FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_master_account_insert AFTER INSERT ON master_account
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_master_account();
CREATE TRIGGER policy_recheck_master_account_update AFTER UPDATE ON master_account
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_master_account();
CREATE TRIGGER policy_recheck_master_account_delete AFTER DELETE ON master_account
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_master_account();

-- A role's name (in the findings' texts), administrative flag or system: its holders.
CREATE FUNCTION policy_recheck_on_job_role() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM policy_recheck_enqueue_role_holders(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.name, n.is_administrative, n.system_id) IS DISTINCT FROM (o.name, o.is_administrative, o.system_id)
  ), 'role.changed');
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_job_role_update AFTER UPDATE ON job_role
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_job_role();

-- A system's name, environment or kind: the holders of its roles.
CREATE FUNCTION policy_recheck_on_business_system() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM policy_recheck_enqueue_role_holders(ARRAY(
    SELECT r.id FROM job_role r WHERE r.system_id IN (
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.name, n.environment, n.kind) IS DISTINCT FROM (o.name, o.environment, o.kind))
  ), 'system.changed');
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_business_system_update AFTER UPDATE ON business_system
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_business_system();

-- A matrix cell added, ended or removed: the holders of its role.
CREATE FUNCTION policy_recheck_on_role_permission() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM policy_recheck_enqueue_role_holders(ARRAY(SELECT DISTINCT role_id FROM new_rows), 'matrix.changed');
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM policy_recheck_enqueue_role_holders(ARRAY(
      SELECT n.role_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.role_id, n.permission_id, n.ends_at) IS DISTINCT FROM (o.role_id, o.permission_id, o.ends_at)
      UNION
      SELECT o.role_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.role_id, n.permission_id, n.ends_at) IS DISTINCT FROM (o.role_id, o.permission_id, o.ends_at)
    ), 'matrix.changed');
  ELSE
    PERFORM policy_recheck_enqueue_role_holders(ARRAY(SELECT DISTINCT role_id FROM old_rows), 'matrix.changed');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_role_permission_insert AFTER INSERT ON role_permission
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_role_permission();
CREATE TRIGGER policy_recheck_role_permission_update AFTER UPDATE ON role_permission
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_role_permission();
CREATE TRIGGER policy_recheck_role_permission_delete AFTER DELETE ON role_permission
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_role_permission();

-- A permission's attributes the rules read (or name): the holders of the roles with a current cell on it.
CREATE FUNCTION policy_recheck_on_permission() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM policy_recheck_enqueue_role_holders(ARRAY(
    SELECT DISTINCT rp.role_id FROM role_permission rp WHERE rp.ends_at IS NULL AND rp.permission_id IN (
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.code, n.name, n.system_id, n.data_kind, n.sensitivity, n.operation, n.is_log_management, n.is_account_creation, n.is_active)
            IS DISTINCT FROM (o.code, o.name, o.system_id, o.data_kind, o.sensitivity, o.operation, o.is_log_management, o.is_account_creation, o.is_active))
  ), 'permission.changed');
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_permission_update AFTER UPDATE ON permission
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_permission();

-- An incompatible pair added, changed, switched on or off: it can only concern people who hold its
-- left side (a role, or a role with a current cell on the left permission), so those are queued.
CREATE FUNCTION policy_recheck_on_sod_rule() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM policy_recheck_enqueue_role_holders(ARRAY(
      SELECT left_role_id FROM new_rows WHERE left_role_id IS NOT NULL
      UNION SELECT rp.role_id FROM role_permission rp WHERE rp.ends_at IS NULL AND rp.permission_id IN (SELECT left_permission_id FROM new_rows)
    ), 'sod-rule.changed');
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM policy_recheck_enqueue_role_holders(ARRAY(
      SELECT left_role_id FROM (SELECT left_role_id FROM new_rows UNION SELECT left_role_id FROM old_rows) s WHERE left_role_id IS NOT NULL
      UNION SELECT rp.role_id FROM role_permission rp WHERE rp.ends_at IS NULL
        AND rp.permission_id IN (SELECT left_permission_id FROM new_rows UNION SELECT left_permission_id FROM old_rows)
    ), 'sod-rule.changed');
  ELSE
    PERFORM policy_recheck_enqueue_role_holders(ARRAY(
      SELECT left_role_id FROM old_rows WHERE left_role_id IS NOT NULL
      UNION SELECT rp.role_id FROM role_permission rp WHERE rp.ends_at IS NULL AND rp.permission_id IN (SELECT left_permission_id FROM old_rows)
    ), 'sod-rule.changed');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_sod_rule_insert AFTER INSERT ON sod_rule
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_sod_rule();
CREATE TRIGGER policy_recheck_sod_rule_update AFTER UPDATE ON sod_rule
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_sod_rule();
CREATE TRIGGER policy_recheck_sod_rule_delete AFTER DELETE ON sod_rule
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION policy_recheck_on_sod_rule();

-- The classification setting applies to every sensitive permission: one "everyone" row.
CREATE FUNCTION policy_recheck_on_classification() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO policy_recheck_queue (person_id, reason) VALUES (NULL, 'classification.changed');
  RETURN NULL;
END $$;

CREATE TRIGGER policy_recheck_classification_write AFTER INSERT OR UPDATE ON setting
  FOR EACH ROW WHEN (NEW.key = 'classification') EXECUTE FUNCTION policy_recheck_on_classification();
CREATE TRIGGER policy_recheck_classification_delete AFTER DELETE ON setting
  FOR EACH ROW WHEN (OLD.key = 'classification') EXECUTE FUNCTION policy_recheck_on_classification();
