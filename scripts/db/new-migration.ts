/**
 * Writes the next migration: the SQL that takes a database with all existing migrations applied to
 * the schema in prisma/schema/*.prisma. Stands in for `prisma migrate dev --create-only`, which needs
 * the native schema engine.
 *
 * How: create a scratch database on the embedded test server (or on DATABASE_URL's server; needs the
 * CREATEDB privilege there), apply prisma/migrations to it, diff that database (`schemaDatasource`)
 * against the schema files (`schemaDatamodel`), write prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql
 * (UTC timestamp, as Prisma does), drop the scratch database. Writes nothing when there is no change.
 *
 * CLI:  npx tsx scripts/db/new-migration.ts NAME [--empty]
 *       --empty   write a migration even when the schema has not changed, for hand-written SQL only.
 *
 * Hand-written SQL (triggers, functions, CHECK constraints, data fixes…): the migration file is plain
 * SQL, so edit it or append to it before it is applied anywhere; nothing special is needed. Never edit a
 * migration after it has been applied (its checksum is recorded); write a new one instead. Prisma's diff
 * ignores triggers, functions and CHECK constraints, but it does see indexes: an index created by hand
 * and not declared in the schema shows up as a DROP INDEX in the next generated migration (delete that
 * line, or declare the index in the schema).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_DIR,
  LOCKFILE_CONTENT,
  LOCKFILE_NAME,
  migrate,
  NO_FILTERS,
  readSchemaFiles,
  withSchemaEngine,
} from "./migrate";
import { dropDatabase, ensureDatabase, isMainModule, PROJECT_ROOT, startDatabase, stopOnSignals, withDatabase } from "../lib/postgres";

export interface NewMigrationOptions {
  schemaDir?: string;
  migrationsDir?: string;
  /** Write a migration even if the schema has not changed (for hand-written SQL). */
  allowEmpty?: boolean;
  /** Clock for the directory name (tests). */
  now?: Date;
  log?: (message: string) => void;
}

export interface NewMigrationResult {
  /** Path of the written migration.sql, or null when there was nothing to write. */
  file: string | null;
  sql: string;
  /** Data-loss warnings and steps that cannot run on a database with data. */
  warnings: string[];
}

export function migrationSlug(name: string): string {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!slug) throw new Error(`Invalid migration name ${JSON.stringify(name)}: use letters, digits and _`);
  return slug;
}

/** UTC YYYYMMDDHHMMSS, as `prisma migrate` names directories. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Generates the next migration into `migrationsDir`, diffing a scratch database on the server of
 * `serverUrl` (any database URL on that server; the scratch database is created and dropped).
 */
export async function generateMigration(serverUrl: string, name: string, opts: NewMigrationOptions = {}): Promise<NewMigrationResult> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`[new-migration] ${m}\n`));
  const schemaDir = opts.schemaDir ?? DEFAULT_SCHEMA_DIR;
  const migrationsDir = path.resolve(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const slug = migrationSlug(name);
  const files = await readSchemaFiles(schemaDir);

  const scratchUrl = withDatabase(serverUrl, `scratch_migration_${Date.now()}_${randomBytes(3).toString("hex")}`);
  await dropDatabase(scratchUrl);
  await ensureDatabase(scratchUrl);
  let sql: string;
  let empty: boolean;
  let warnings: string[];
  try {
    await migrate(scratchUrl, { migrationsDir, log: () => {} });
    ({ sql, empty } = await withSchemaEngine(scratchUrl, files, async (engine) => {
      const diff = await engine.diff({
        from: { tag: "schemaDatasource", files, configDir: PROJECT_ROOT },
        to: { tag: "schemaDatamodel", files },
        script: true,
        exitCode: true, // exitCode 2 = non-empty diff
        filters: NO_FILTERS,
      });
      return { sql: diff.stdout ?? "", empty: diff.exitCode !== 2 };
    }));
    if (!empty) {
      const pruned = await dropNoopIndexRecreations(scratchUrl, sql);
      if (pruned.names.length) {
        log(`left out dropping and re-creating unchanged index(es) ${pruned.names.join(", ")} (Prisma bug prisma/orm#28214)`);
        sql = pruned.sql;
        empty = !/^\s*[^-\s]/m.test(sql); // only comments left
      }
    }
    // The engine's own data-loss check (evaluateDataLoss) needs a shadow database, which the wasm
    // engine cannot create; flag the risky statements from the SQL instead.
    warnings = empty ? [] : riskyStatements(sql);
  } finally {
    await dropDatabase(scratchUrl).catch((error: unknown) => log(`could not drop ${scratchUrl}: ${String(error)}`));
  }

  if (empty && !opts.allowEmpty) {
    log("the schema matches the migrations: nothing to write");
    return { file: null, sql: "", warnings: [] };
  }

  await fs.mkdir(migrationsDir, { recursive: true });
  const lockPath = path.join(migrationsDir, LOCKFILE_NAME);
  await fs.writeFile(lockPath, LOCKFILE_CONTENT, { flag: "wx" }).catch(() => {});

  const dirName = `${await nextTimestamp(migrationsDir, opts.now ?? new Date())}_${slug}`;
  const dir = path.join(migrationsDir, dirName);
  await fs.mkdir(dir);
  let body = empty ? "-- This is an empty migration.\n" : sql;
  if (warnings.length) {
    // The same header `prisma migrate dev` writes.
    body = `/*\n  Warnings:\n\n${warnings.map((w) => `  - ${w}`).join("\n")}\n\n*/\n${body}`;
  }
  const file = path.join(dir, "migration.sql");
  await fs.writeFile(file, body.endsWith("\n") ? body : `${body}\n`);
  log(`wrote ${path.relative(process.cwd(), file)}`);
  for (const w of warnings) log(`warning: ${w}`);
  log("review it; hand-written SQL may be appended before it is applied anywhere (then never edit it)");
  return { file, sql: body, warnings };
}

/**
 * Prisma's diff does not recognise some indexes it created itself — e.g. `ops: raw("text_pattern_ops")`
 * (prisma/orm#28214) — and drops and re-creates them in every new migration. Find such DROP INDEX +
 * CREATE INDEX pairs, and where the re-created index is identical to the existing one (tried in a
 * rolled-back transaction on the scratch database), leave both statements out.
 */
export async function dropNoopIndexRecreations(dbUrl: string, sql: string): Promise<{ sql: string; names: string[] }> {
  const drops = new Map<string, string>();
  for (const m of sql.matchAll(/^-- DropIndex\nDROP INDEX (?:"[^"]+"\.)?"([^"]+)";\n*/gm)) drops.set(m[1]!, m[0]);
  const creates = new Map<string, string>();
  for (const m of sql.matchAll(/^-- CreateIndex\nCREATE (?:UNIQUE )?INDEX "([^"]+)" ON [^\n]+;\n*/gm)) {
    if (drops.has(m[1]!)) creates.set(m[1]!, m[0]);
  }
  if (!creates.size) return { sql, names: [] };
  const client = new pg.Client({ connectionString: dbUrl });
  client.on("error", () => {});
  await client.connect();
  const names: string[] = [];
  try {
    const definition = async (name: string): Promise<string | undefined> =>
      (
        await client.query<{ def: string }>(
          `SELECT pg_get_indexdef(c.oid) AS def FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relname = $1 AND c.relkind = 'i' AND n.nspname = current_schema()`,
          [name],
        )
      ).rows[0]?.def;
    for (const [name, create] of creates) {
      await client.query("BEGIN");
      try {
        const before = await definition(name);
        await client.query(drops.get(name)!.replace(/^--.*\n/, ""));
        await client.query(create.replace(/^--.*\n/, ""));
        if (before && before === (await definition(name))) names.push(name);
      } catch {
        // keep the statements: let the migration show what Prisma wants
      } finally {
        await client.query("ROLLBACK");
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
  for (const name of names) sql = sql.replace(drops.get(name)!, "").replace(creates.get(name)!, "");
  return { sql, names };
}

/**
 * Statements that lose data or fail on a table that has rows, as `prisma migrate dev` would warn.
 * A heuristic over the SQL Prisma generates; tables created in the same migration are exempt.
 */
export function riskyStatements(sql: string): string[] {
  const created = new Set([...sql.matchAll(/CREATE TABLE "([^"]+)"/g)].map((m) => m[1]));
  const warnings: string[] = [];
  for (const statement of sql.split(/;\s*\n/)) {
    const table = /^\s*(?:--.*\n\s*)*ALTER TABLE "([^"]+)"/m.exec(statement)?.[1];
    for (const m of statement.matchAll(/DROP TABLE "([^"]+)"/g)) {
      warnings.push(`You are about to drop the table "${m[1]}". All the data in it will be lost.`);
    }
    if (table && !created.has(table)) {
      for (const m of statement.matchAll(/DROP COLUMN\s+"([^"]+)"/g)) {
        warnings.push(`You are about to drop the column "${m[1]}" on "${table}". All the data in it will be lost.`);
      }
      for (const m of statement.matchAll(/ADD COLUMN\s+"([^"]+)" ([^,\n]*)/g)) {
        if (/NOT NULL/.test(m[2] ?? "") && !/DEFAULT/.test(m[2] ?? "")) {
          warnings.push(`Added the required column "${m[1]}" to "${table}" without a default. This fails if the table has rows.`);
        }
      }
      for (const m of statement.matchAll(/ALTER COLUMN\s+"([^"]+)" SET NOT NULL/g)) {
        warnings.push(`Made the column "${m[1]}" on "${table}" required. This fails if it holds NULLs.`);
      }
      for (const m of statement.matchAll(/ALTER COLUMN\s+"([^"]+)" SET DATA TYPE/g)) {
        warnings.push(`Changed the type of "${m[1]}" on "${table}". This fails or loses data if values do not convert.`);
      }
    }
    for (const m of statement.matchAll(/CREATE UNIQUE INDEX "[^"]+" ON "([^"]+)"\(([^)]*)\)/g)) {
      if (!created.has(m[1]!)) {
        warnings.push(`A unique constraint on ${m[2]} of "${m[1]}" is added. This fails if there are duplicates.`);
      }
    }
    for (const m of statement.matchAll(/CREATE TYPE "([^"]+)_new" AS ENUM/g)) {
      warnings.push(`Values are removed from the enum "${m[1]}". This fails if rows still use them.`);
    }
  }
  return warnings;
}

/** A timestamp later than every existing migration's, so the order stays right. */
async function nextTimestamp(migrationsDir: string, now: Date): Promise<string> {
  const existing = (await fs.readdir(migrationsDir).catch(() => [] as string[]))
    .map((n) => /^(\d{14})_/.exec(n)?.[1])
    .filter((t): t is string => !!t)
    .sort();
  let stamp = migrationTimestamp(now);
  const last = existing.at(-1);
  if (last && stamp <= last) {
    // Same second as (or clock behind) the newest migration: take the next second after it.
    const d = new Date(
      Date.UTC(
        +last.slice(0, 4),
        +last.slice(4, 6) - 1,
        +last.slice(6, 8),
        +last.slice(8, 10),
        +last.slice(10, 12),
        +last.slice(12, 14) + 1,
      ),
    );
    stamp = migrationTimestamp(d);
  }
  return stamp;
}

/** Starts the test server (embedded, or DATABASE_URL's), generates the migration, stops the server. */
export async function newMigration(name: string, opts: NewMigrationOptions = {}): Promise<NewMigrationResult> {
  const db = await startDatabase({ flavour: "test", serverOnly: true });
  const removeHandlers = stopOnSignals(db);
  try {
    return await generateMigration(db.adminUrl ?? db.ownerUrl, name, opts);
  } finally {
    await db.stop();
    removeHandlers();
  }
}

if (isMainModule(import.meta.url)) {
  const args = process.argv.slice(2);
  const allowEmpty = args.includes("--empty");
  const names = args.filter((a) => !a.startsWith("--"));
  if (names.length !== 1 || args.some((a) => a.startsWith("--") && a !== "--empty")) {
    console.error("usage: npx tsx scripts/db/new-migration.ts NAME [--empty]");
    process.exit(2);
  }
  try {
    await newMigration(names[0]!, { allowEmpty });
  } catch (error) {
    console.error(`[new-migration] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
