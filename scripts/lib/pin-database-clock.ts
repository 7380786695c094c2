/**
 * Shifts a (test) database's clock by a fixed offset (decision 0018): now(), clock_timestamp(),
 * statement_timestamp() and transaction_timestamp() as the portal's SQL, its triggers and its column
 * defaults call them return the real time plus the offset.
 *
 * How: functions of the same names in the public schema, and the database's search_path ending in an
 * explicit pg_catalog, so that unqualified calls find the public ones first (PostgreSQL searches
 * pg_catalog first only when the path does not name it). Column defaults bind their function when
 * created, so every default that calls the built-in now() / CURRENT_TIMESTAMP is set again to call
 * the shifted one. Only scripts/with-db.ts calls this, on the freshly migrated test database: the
 * migrations and production databases have no such functions and run on the real clock.
 * The SQL keywords CURRENT_TIMESTAMP / CURRENT_DATE / LOCALTIMESTAMP cannot be shifted: portal SQL uses now().
 */
import pg from "pg";
import { databaseName } from "./postgres";

const SEARCH_PATH = `"$user", public, pg_catalog`;
const SHIFTED = ["now", "clock_timestamp", "statement_timestamp", "transaction_timestamp"] as const;

export async function pinDatabaseClock(url: string, offsetMs: number): Promise<void> {
  if (!Number.isInteger(offsetMs)) throw new Error(`clock offset must be whole milliseconds: ${offsetMs}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const interval = `${offsetMs} milliseconds`;
    await client.query("BEGIN");
    await client.query(`SET LOCAL search_path = ${SEARCH_PATH}`);
    for (const fn of SHIFTED) {
      // STABLE/VOLATILE as the built-ins are, so the planner treats them alike.
      const volatility = fn === "now" || fn === "transaction_timestamp" ? "STABLE" : "VOLATILE";
      await client.query(
        `CREATE OR REPLACE FUNCTION public.${fn}() RETURNS timestamptz LANGUAGE sql ${volatility} PARALLEL SAFE
         AS $fn$ SELECT pg_catalog.${fn}() + interval '${interval}' $fn$`,
      );
      await client.query(`GRANT EXECUTE ON FUNCTION public.${fn}() TO PUBLIC`);
    }
    const defaults = await client.query<{ schema: string; table: string; column: string }>(
      `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column
         FROM pg_attrdef d
         JOIN pg_class c ON c.oid = d.adrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND pg_get_expr(d.adbin, d.adrelid) ~* '^(now\\(\\)|CURRENT_TIMESTAMP)'`,
    );
    for (const d of defaults.rows) {
      const table = `${client.escapeIdentifier(d.schema)}.${client.escapeIdentifier(d.table)}`;
      await client.query(`ALTER TABLE ${table} ALTER COLUMN ${client.escapeIdentifier(d.column)} SET DEFAULT now()`);
    }
    await client.query(`ALTER DATABASE ${client.escapeIdentifier(databaseName(url))} SET search_path = ${SEARCH_PATH}`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
