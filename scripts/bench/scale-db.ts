/**
 * The scale-test database: `portal_scale` on its own embedded PostgreSQL 18 cluster
 * (`.data/postgres-scale`, 127.0.0.1:54409 by default), so loading a million grants never touches the
 * dev (`.data/postgres`) or test (`.data/postgres-test`) clusters, and stopping it never pulls a server
 * out from under another engineer's test run.
 *
 *  - DATABASE_URL set   → `<dbname>_scale` on that server (nothing is started).
 *  - DATABASE_URL unset → the embedded cluster above; PG_SCALE_PORT overrides the port.
 *
 * The server is scripts/lib/postgres.ts's startEmbeddedServer() (the same binaries and flags as the
 * dev and test clusters: loopback only, no Unix socket, C.UTF-8 builtin locale) with the durability
 * trade-offs of the test flavour (a throwaway benchmark database) and a larger WAL budget for the bulk load.
 */
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  EMBEDDED_APP_PASSWORD,
  EMBEDDED_APP_ROLE,
  EMBEDDED_OWNER_PASSWORD,
  EMBEDDED_OWNER_ROLE,
  ensureEmbeddedRoles,
  handDatabaseToOwner,
  roleOf,
  withCredentials,
} from "../lib/db-roles";
import { databaseName, ensureDatabase, isMainModule, PROJECT_ROOT, startEmbeddedServer, withDatabase } from "../lib/postgres";

export const SCALE_DATA_DIR = path.join(PROJECT_ROOT, ".data", "postgres-scale");

export interface ScaleDatabase {
  /** As the app role (what the benchmarks' pages and queries connect as, decision 0024). */
  url: string;
  /** As the owner: migrations and the bulk load of seed:scale. */
  ownerUrl: string;
  /** The app role to grant privileges to after migrating (undefined: one role does both). */
  appRole?: string;
  /** A role that may drop and create the database (embedded: the superuser; else the owner's URL). */
  adminUrl: string;
  embedded: boolean;
  /** Postmaster pid when this process started (or adopted) the embedded server. */
  pid: number | undefined;
  stop: () => Promise<void>;
}

export interface ScaleDatabaseOptions {
  /** Niceness for the embedded server and the backends it forks (the bulk load runs at 10 so CI keeps its share). */
  nice?: number;
  log?: (message: string) => void;
}

export function scalePort(): number {
  const raw = process.env.PG_SCALE_PORT ?? "54409";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PG_SCALE_PORT=${raw} is not a valid port`);
  return port;
}

export async function startScaleDatabase(opts: ScaleDatabaseOptions = {}): Promise<ScaleDatabase> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`[scale-db] ${m}\n`));
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    const name = `${databaseName(external)}_scale`;
    const url = withDatabase(external, name);
    const ownerRaw = process.env.DATABASE_OWNER_URL?.trim();
    const ownerUrl = ownerRaw ? withDatabase(ownerRaw, name) : url;
    const adminRaw = process.env.DATABASE_ADMIN_URL?.trim();
    const adminUrl = adminRaw ? withDatabase(adminRaw, name) : ownerUrl;
    if (await ensureDatabase(adminUrl)) log(`created database ${name} on the DATABASE_URL server`);
    const appRole = ownerRaw && roleOf(ownerRaw) !== roleOf(external) ? roleOf(external) : undefined;
    return { url, ownerUrl, appRole, adminUrl, embedded: false, pid: undefined, stop: async () => {} };
  }

  // A server already running for the scale data directory is reused and left running.
  const server = await startEmbeddedServer({
    dataDir: SCALE_DATA_DIR,
    port: scalePort(),
    portVariable: "PG_SCALE_PORT",
    fast: true,
    echoStatementErrors: false,
    label: "postgres-scale",
    settings: ["max_wal_size=1GB", "checkpoint_timeout=30min", "max_parallel_maintenance_workers=1"],
    nice: opts.nice,
    log,
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= server.stop().then(() => {
      if (server.pid) log("PostgreSQL stopped");
    }));

  // The same two roles as the dev and test clusters (scripts/lib/db-roles.ts).
  const adminUrl = withDatabase(server.serverUrl, "portal_scale");
  const created = await (async () => {
    await ensureEmbeddedRoles(server.serverUrl);
    const made = await ensureDatabase(adminUrl);
    await handDatabaseToOwner(adminUrl, EMBEDDED_OWNER_ROLE);
    return made;
  })().catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  if (created) log("created database portal_scale");
  return {
    url: withCredentials(adminUrl, EMBEDDED_APP_ROLE, EMBEDDED_APP_PASSWORD),
    ownerUrl: withCredentials(adminUrl, EMBEDDED_OWNER_ROLE, EMBEDDED_OWNER_PASSWORD),
    appRole: EMBEDDED_APP_ROLE,
    adminUrl,
    embedded: true,
    pid: server.pid,
    stop,
  };
}

/** Stops `db` on SIGINT/SIGTERM/SIGHUP and exits 128+signal. */
export function stopScaleOnSignals(db: Pick<ScaleDatabase, "stop">): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const code = 128 + (os.constants.signals[signal] ?? 1);
      db.stop().finally(() => process.exit(code));
    });
  }
}

/** A pg client on the scale database with `statement_timeout` off and errors surfaced on the next query. */
export async function connectScale(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

// CLI: `npx tsx scripts/bench/scale-db.ts` keeps the scale database running (for psql / EXPLAIN) until Ctrl-C.
if (isMainModule(import.meta.url)) {
  const db = await startScaleDatabase();
  console.log(db.url);
  stopScaleOnSignals(db);
  setInterval(() => {}, 1 << 30);
}
