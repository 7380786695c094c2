/**
 * Runs a command against a fresh, migrated test database.
 *
 *   npx tsx scripts/with-db.ts <command> [args…]      e.g. npx tsx scripts/with-db.ts vitest run
 *
 * Starts the "test" database (embedded `.data/postgres-test`, recreated empty each run; or
 * `<dbname>_test` on DATABASE_URL's server), applies the migrations, runs the command with
 * DATABASE_URL pointing at it (stdio inherited, node_modules/.bin on PATH), stops the database and
 * exits with the command's exit code. SIGINT/SIGTERM/SIGHUP are passed on to the command; the
 * database is stopped once it has exited (a second signal, a second or more later, kills the command).
 * MIGRATIONS_DIR overrides prisma/migrations. PORTAL_CLOCK_AT=<ISO instant> (or PORTAL_CLOCK_OFFSET_MS)
 * pins the clock of the run: the test database's now() and the command's Date (through
 * PORTAL_CLOCK_OFFSET_MS, which tests/setup-clock.ts installs) start at that instant (decision 0018).
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { clockOffsetFromEnv } from "../lib/time/pinned-clock";
import { migrateDatabase } from "./db/migrate";
import { pinDatabaseClock } from "./lib/pin-database-clock";
import { isMainModule, PROJECT_ROOT, startDatabase, type StartedDatabase } from "./lib/postgres";

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const DUPLICATE_MS = 1000;

/** Runs `argv` against the migrated test database; resolves with the exit code to use. */
export async function runWithDatabase(argv: string[], opts: { migrationsDir?: string } = {}): Promise<number> {
  const [command, ...args] = argv;
  if (!command) {
    console.error("usage: npx tsx scripts/with-db.ts <command> [args…]");
    return 2;
  }

  let db: StartedDatabase | undefined;
  let child: ChildProcess | undefined;
  let signalled: NodeJS.Signals | undefined;

  // A Ctrl-C reaches this process twice (directly and relayed by the tsx launcher) and the command
  // directly too: signals within DUPLICATE_MS of the first count as one.
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    const now = Date.now();
    const repeated = signalled !== undefined && now - firstSignalAt > DUPLICATE_MS;
    if (signalled !== undefined && !repeated) return;
    if (!signalled) {
      signalled = signal;
      firstSignalAt = now;
    }
    if (child && child.exitCode === null && child.signalCode === null) {
      // First signal: pass it on and wait for the command to finish. A later one: kill it.
      child.kill(repeated ? "SIGKILL" : signal);
    } else if (repeated) {
      process.exit(exitCodeFor(signal)); // while starting or stopping the database
    }
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const removeHandlers = (): void => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };

  try {
    // Computed once, before anything runs, so the database and every process share one shift.
    const clockOffset = clockOffsetFromEnv();
    db = await startDatabase({ flavour: "test" });
    if (signalled) return exitCodeFor(signalled);
    await migrateDatabase(db, { migrationsDir: opts.migrationsDir });
    if (signalled) return exitCodeFor(signalled);
    if (clockOffset !== 0) {
      await pinDatabaseClock(db.ownerUrl, clockOffset); // functions and defaults: the owner's to change
      console.error(`[with-db] clock pinned: the run starts at ${new Date(Date.now() + clockOffset).toISOString()}`);
    }

    const binDir = path.join(PROJECT_ROOT, "node_modules", ".bin");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      ...(clockOffset !== 0 ? { PORTAL_CLOCK_OFFSET_MS: String(clockOffset) } : {}),
      // The owner (migrations) and a superuser, for tests that must act as them (the tamper tests);
      // the app under test connects with DATABASE_URL only.
      DATABASE_OWNER_URL: db.ownerUrl,
      ...(db.adminUrl ? { DATABASE_ADMIN_URL: db.adminUrl } : {}),
      PATH: [binDir, process.env.PATH].filter(Boolean).join(path.delimiter),
    };
    const started = spawn(command, args, { stdio: "inherit", env, shell: process.platform === "win32" });
    child = started;
    return await new Promise<number>((resolve) => {
      started.once("error", (error) => {
        console.error(`[with-db] could not run ${command}: ${error.message}`);
        resolve(127);
      });
      started.once("exit", (code, signal) => resolve(code ?? (signal ? exitCodeFor(signal) : 1)));
    });
  } catch (error) {
    console.error(`[with-db] ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db?.stop().catch((error: unknown) => console.error("[with-db] failed to stop the database:", error));
    removeHandlers();
  }
}

function exitCodeFor(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 1);
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await runWithDatabase(process.argv.slice(2), { migrationsDir: process.env.MIGRATIONS_DIR });
}
