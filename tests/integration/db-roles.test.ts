// Issue 9 §2: the app connects as a role that owns nothing and is not a superuser; on the audit tables it
// may only INSERT and SELECT, and it cannot switch the triggers off in any way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { getDb } from "@/lib/db";
import { JOB_SCHEMA } from "@/lib/jobs/catalog";
import { APPEND_ONLY_TABLES, JOB_QUEUE_SCHEMA, NEVER_DELETED_TABLES } from "../../scripts/lib/db-roles";

describe("the app's database role", () => {
  let app: pg.Client;
  beforeAll(async () => {
    app = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end();
  });

  // Each statement in its own transaction so one failure does not hide the next.
  async function refused(sql: string): Promise<string> {
    await app.query("BEGIN");
    try {
      await app.query(sql);
      return "accepted";
    } catch (error) {
      return (error as Error).message;
    } finally {
      await app.query("ROLLBACK");
    }
  }

  it("is not a superuser, cannot create roles or databases, and is not the owner role", async () => {
    const { rows } = await app.query<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean; rolbypassrls: boolean; u: string }>(
      "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, current_user AS u FROM pg_roles WHERE rolname = current_user",
    );
    expect(rows[0]).toMatchObject({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });
    expect(rows[0]!.u).not.toBe(new URL(process.env.DATABASE_OWNER_URL!).username);
  });

  it("owns nothing: no table, sequence, function, type, schema or database", async () => {
    const { rows } = await app.query<{ n: number }>(`
      SELECT (SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole)
           + (SELECT count(*) FROM pg_proc WHERE proowner = current_user::regrole)
           + (SELECT count(*) FROM pg_type WHERE typowner = current_user::regrole)
           + (SELECT count(*) FROM pg_namespace WHERE nspowner = current_user::regrole)
           + (SELECT count(*) FROM pg_database WHERE datdba = current_user::regrole) AS n`);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("may change but never delete the review records kept three years (R12)", async () => {
    for (const table of NEVER_DELETED_TABLES) {
      const privileges = await app.query<{ p: string; has: boolean }>(
        `SELECT p, has_table_privilege(current_user, $1, p) AS has FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) AS p`,
        [table],
      );
      expect(Object.fromEntries(privileges.rows.map((r) => [r.p, r.has])), table).toEqual({
        SELECT: true,
        INSERT: true,
        UPDATE: true,
        DELETE: false,
        TRUNCATE: false,
      });
    }
  });

  it("has INSERT and SELECT, and nothing else, on every audit table", async () => {
    for (const table of APPEND_ONLY_TABLES) {
      const exists = await app.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = $1", [table]);
      if (!exists.rowCount) continue;
      const privileges = await app.query<{ p: string; has: boolean }>(
        `SELECT p, has_table_privilege(current_user, $1, p) AS has
         FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) AS p`,
        [table],
      );
      expect(Object.fromEntries(privileges.rows.map((r) => [r.p, r.has])), table).toEqual({
        SELECT: true,
        INSERT: true,
        UPDATE: false,
        DELETE: false,
        TRUNCATE: false,
        REFERENCES: false,
        TRIGGER: false,
      });
    }
  });

  it("cannot UPDATE, DELETE or TRUNCATE audit_event, disable its triggers, alter or drop it, or replicate around the triggers", async () => {
    await getDb().$executeRaw`INSERT INTO audit_event (actor_name, action) VALUES ('db-roles test', 'settings.updated')`;
    expect(await refused("UPDATE audit_event SET reason = 'forged'")).toMatch(/permission denied for table audit_event/);
    expect(await refused("DELETE FROM audit_event")).toMatch(/permission denied for table audit_event/);
    expect(await refused("TRUNCATE audit_event")).toMatch(/permission denied for table audit_event/);
    expect(await refused("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete")).toMatch(
      /must be owner of table audit_event/,
    );
    expect(await refused("ALTER TABLE audit_event DISABLE TRIGGER ALL")).toMatch(/must be owner of table audit_event/);
    expect(await refused("DROP TRIGGER audit_event_chain ON audit_event")).toMatch(/must be owner of (table|relation) audit_event/);
    expect(await refused("DROP TABLE audit_event")).toMatch(/must be owner of table audit_event/);
    expect(
      await refused(
        "CREATE OR REPLACE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
      ),
    ).toMatch(/must be owner of function|permission denied for schema public/);
    expect(await refused("SET session_replication_role = replica")).toMatch(
      /permission denied to set parameter "session_replication_role"/,
    );
    expect(await refused("SET LOCAL session_replication_role = replica")).toMatch(
      /permission denied to set parameter "session_replication_role"/,
    );
    expect(await refused("CREATE TABLE sneaky (id int)")).toMatch(/permission denied for schema public/);
    expect(await refused("UPDATE _prisma_migrations SET checksum = 'x'")).toMatch(/permission denied for table _prisma_migrations/);
  });

  it("still does its work: reads and writes the ordinary tables and appends to the audit trail", async () => {
    expect(await refused("INSERT INTO audit_event (actor_name, action) VALUES ('db-roles test', 'settings.updated')")).toBe("accepted");
    expect(await refused("UPDATE setting SET updated_at = updated_at")).toBe("accepted");
    expect(await refused("DELETE FROM sign_in_throttle WHERE false")).toBe("accepted");
  });

  it("reads and writes the job queue's tables but runs no DDL in its schema (the owner installed it at migrate time)", async () => {
    expect(JOB_QUEUE_SCHEMA).toBe(JOB_SCHEMA);
    const owner = await app.query<{ o: string }>("SELECT nspowner::regrole::text AS o FROM pg_namespace WHERE nspname = $1", [JOB_SCHEMA]);
    expect(owner.rows[0]!.o).toBe(new URL(process.env.DATABASE_OWNER_URL!).username);
    expect(await refused("SELECT count(*) FROM pgboss.job")).toBe("accepted");
    expect(await refused("UPDATE pgboss.queue SET updated_on = updated_on")).toBe("accepted");
    expect(await refused("CREATE TABLE pgboss.sneaky (id int)")).toMatch(/permission denied for schema pgboss/);
    expect(await refused("ALTER TABLE pgboss.job ADD COLUMN sneaky int")).toMatch(/must be owner of (table|relation) job/);
    expect(await refused("DROP TABLE pgboss.version")).toMatch(/must be owner of table version/);
  });
});
