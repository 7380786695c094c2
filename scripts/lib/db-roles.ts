/**
 * The two database roles the portal runs with (docs/decisions/0024-database-roles.md):
 *
 *  - the owner (`portal_owner` on the embedded server, DATABASE_OWNER_URL otherwise) owns the database,
 *    its schema and every object the migrations create; migrations run as it;
 *  - the app (`portal_app`, DATABASE_URL) owns nothing and is not a superuser. It gets SELECT, INSERT,
 *    UPDATE, DELETE on the tables and USAGE on the sequences, except on the append-only audit tables,
 *    where it has INSERT and SELECT only (no UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER). It cannot
 *    ALTER a table (not the owner), so it cannot disable the audit triggers, and it cannot set
 *    session_replication_role (superuser only).
 *
 * The job queue's schema `pgboss` is the owner's too (installed at migrate time); the app reads and
 * writes its tables only.
 *
 * grantAppPrivileges() runs as the owner after every migration; default privileges make tables of
 * later migrations readable/writable by the app at once, and the explicit REVOKE on APPEND_ONLY_TABLES
 * is repeated each time so a new audit table is never left writable.
 */
import pg from "pg";

export const EMBEDDED_OWNER_ROLE = "portal_owner";
export const EMBEDDED_APP_ROLE = "portal_app";
// The embedded server listens on 127.0.0.1 only; like its superuser's, these passwords are not secrets.
export const EMBEDDED_OWNER_PASSWORD = "portal_owner";
export const EMBEDDED_APP_PASSWORD = "portal_app";

/** pg-boss's schema, JOB_SCHEMA of lib/jobs/catalog.ts (not imported: that module pulls in every job's code). */
export const JOB_QUEUE_SCHEMA = "pgboss";

/** Tables the app may only INSERT into and SELECT from. */
export const APPEND_ONLY_TABLES = ["audit_event", "audit_event_seal", "audit_event_item", "review_item_decision"] as const;

/** Tables whose rows are records kept at least three years (R12): the app may change them but never delete them. */
export const NEVER_DELETED_TABLES = ["review_definition", "review_campaign", "review_campaign_role", "review_item"] as const;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The role name of a connection string. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** `url` with another user and password. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Creates (or resets) the embedded server's owner and app roles: LOGIN, no superuser, no CREATEDB/CREATEROLE. */
export async function ensureEmbeddedRoles(adminServerUrl: string): Promise<void> {
  await withClient(adminServerUrl, async (client) => {
    for (const [role, password] of [
      [EMBEDDED_OWNER_ROLE, EMBEDDED_OWNER_PASSWORD],
      [EMBEDDED_APP_ROLE, EMBEDDED_APP_PASSWORD],
    ] as const) {
      const id = client.escapeIdentifier(role);
      const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`;
      try {
        await client.query(`${exists.rowCount ? "ALTER" : "CREATE"} ROLE ${id} WITH ${attributes}`);
      } catch (error) {
        if ((error as { code?: string }).code !== "42710") throw error; // created concurrently
      }
    }
  });
}

/**
 * As the superuser, hands the database at `adminDbUrl`, its public schema and everything in it to the
 * owner role. Databases migrated before the roles existed (everything owned by `postgres`) are taken over.
 */
export async function handDatabaseToOwner(adminDbUrl: string, owner: string): Promise<void> {
  await withClient(adminDbUrl, async (client) => {
    const o = client.escapeIdentifier(owner);
    const db = (await client.query<{ d: string }>("SELECT current_database() AS d")).rows[0]!.d;
    await client.query(`ALTER DATABASE ${client.escapeIdentifier(db)} OWNER TO ${o}`);
    await client.query(`ALTER SCHEMA public OWNER TO ${o}`);
    await client.query(`
      DO $$
      DECLARE r record; target regrole := ${client.escapeLiteral(owner)}::regrole;
      BEGIN
        FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relowner <> target AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        LOOP EXECUTE format('ALTER TABLE %s OWNER TO %I', r.name, target); END LOOP;
        FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relowner <> target AND c.relkind = 'S'
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
        LOOP EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.name, target); END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'public' AND p.proowner <> target
        LOOP EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.name, target); END LOOP;
        FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'public' AND t.typowner <> target AND t.typtype IN ('e', 'd')
        LOOP EXECUTE format('ALTER TYPE %s OWNER TO %I', r.name, target); END LOOP;
      END $$`);
  });
}

/** As the owner (`ownerDbUrl`): the app role's privileges on everything in the public schema, now and later. */
export async function grantAppPrivileges(ownerDbUrl: string, app: string): Promise<void> {
  await withClient(ownerDbUrl, async (client) => {
    const a = client.escapeIdentifier(app);
    const statements = [
      "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
      `GRANT USAGE ON SCHEMA public TO ${a}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${a}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${a}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${a}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${a}`,
    ];
    await client.query("BEGIN");
    try {
      for (const s of statements) await client.query(s);
      const tables = new Set(
        (await client.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.t),
      );
      if (tables.has("_prisma_migrations")) {
        await client.query(`REVOKE ALL ON TABLE _prisma_migrations FROM ${a}`);
        await client.query(`GRANT SELECT ON TABLE _prisma_migrations TO ${a}`);
      }
      for (const t of APPEND_ONLY_TABLES) {
        if (!tables.has(t)) continue;
        await client.query(`REVOKE ALL ON TABLE ${client.escapeIdentifier(t)} FROM ${a}`);
        await client.query(`GRANT SELECT, INSERT ON TABLE ${client.escapeIdentifier(t)} TO ${a}`);
      }
      for (const t of NEVER_DELETED_TABLES) {
        if (tables.has(t)) await client.query(`REVOKE DELETE, TRUNCATE ON TABLE ${client.escapeIdentifier(t)} FROM ${a}`);
      }
      // The job queue (pg-boss, lib/jobs/boss.ts): the owner installs its schema, queues and schedules at
      // migrate time; at run time pg-boss only reads and writes its tables (a queue that is not
      // partitioned is a row in pgboss.queue), so the app gets DML there and no CREATE on the schema.
      const jobSchema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [JOB_QUEUE_SCHEMA]);
      if (jobSchema.rowCount) {
        const js = client.escapeIdentifier(JOB_QUEUE_SCHEMA);
        for (const s of [
          `REVOKE CREATE ON SCHEMA ${js} FROM PUBLIC`,
          `GRANT USAGE ON SCHEMA ${js} TO ${a}`,
          `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${js} TO ${a}`,
          `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${js} TO ${a}`,
          `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${js} TO ${a}`,
          `ALTER DEFAULT PRIVILEGES IN SCHEMA ${js} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${a}`,
          `ALTER DEFAULT PRIVILEGES IN SCHEMA ${js} GRANT USAGE, SELECT ON SEQUENCES TO ${a}`,
        ])
          await client.query(s);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  });
}
