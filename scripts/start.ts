import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { checkpointFile, writeAuditCheckpoint } from "@/lib/audit/checkpoint";
import { getDb } from "@/lib/db";
import { demoBanner } from "@/lib/seed/demo-banner";
import { buildIfNeeded } from "./lib/build";
import { loadLocalSecrets } from "./lib/local-env";
import { PROJECT_ROOT, startDatabase } from "./lib/postgres";
import { migrateDatabase } from "./db/migrate";
import { seedIfEmpty } from "./db/seed";
import { encryptLegacyData } from "./db/encrypt-legacy";

// `npm start`: database (embedded unless DATABASE_URL is set) → migrations (and the job queue's schema)
// → demo seed when empty → build when the sources changed → the web server and the worker, two child
// processes started and stopped together (PORTAL_ROLE=web|worker|both runs only that role, "both" in
// one process). `npm run dev` does the same with `next dev`. When a child dies (a crash, kill -9) this
// fails loudly: it stops the other child and the database and exits non-zero, so a supervisor
// (systemd, Kubernetes) sees the failure and restarts the portal.
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

loadLocalSecrets();
const role = process.env.PORTAL_ROLE;
if (role !== undefined && !["web", "worker", "both"].includes(role)) {
  console.error(`[start] PORTAL_ROLE must be web, worker or both (was "${role}")`);
  process.exit(2);
}
console.log(`[start] Node.js ${process.version}, role ${role ?? "web + worker"}`);
// Form posts are accepted from PORTAL_URL's origin only (proxy.ts): by default, this server's own address.
process.env.PORTAL_URL ??= `http://localhost:${port}`;
const database = await startDatabase({ flavour: "app" });
process.env.DATABASE_URL = database.url;

type Child = { name: string; process: ChildProcess };
const children: Child[] = [];
let stopping = false;

function alive(p: ChildProcess): boolean {
  return p.exitCode === null && p.signalCode === null;
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.all(
      children
        .filter((c) => alive(c.process))
        .map(
          (c) =>
            new Promise<void>((resolve) => {
              c.process.once("exit", () => resolve());
              c.process.kill("SIGTERM");
              // A child that ignores SIGTERM for 40 s is killed.
              setTimeout(() => alive(c.process) && c.process.kill("SIGKILL"), 40_000).unref();
            }),
        ),
    );
    await database.stop();
  }
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

try {
  const applied = await migrateDatabase(database);
  console.log(applied.length ? `[start] applied migrations: ${applied.join(", ")}` : "[start] database schema is up to date");
  await encryptLegacyData();
  await seedIfEmpty();
  const checkpoint = await writeAuditCheckpoint(new Date());
  console.log(`[start] audit checkpoint: last id ${checkpoint.lastId ?? "-"} (${checkpointFile()})`);
  await getDb().$disconnect();
  if (!dev && role !== "worker") buildIfNeeded();
} catch (error) {
  console.error("[start] failed:", error);
  await shutdown(1);
}

function launch(name: string, command: string, args: string[], childRole: "web" | "worker" | "both"): void {
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    // Web and worker connect as the app role only: the owner's and an administrator's URLs stay here.
    env: {
      ...process.env,
      DATABASE_OWNER_URL: undefined,
      DATABASE_ADMIN_URL: undefined,
      NODE_ENV: dev ? "development" : "production",
      PORTAL_ROLE: childRole,
    },
  });
  children.push({ name, process: child });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    // Any exit of a child is a failure: it was meant to run until npm start is stopped.
    const exitCode = signal ? 128 + (os.constants.signals[signal] ?? 1) : code || 1;
    console.error(
      `[start] the ${name} process (pid ${child.pid}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the portal`,
    );
    void shutdown(exitCode);
  });
}

const bin = (name: string) => path.join(PROJECT_ROOT, "node_modules", ".bin", name);
if (role !== "worker")
  // scripts/serve.ts: Next.js behind a Node server that records each request's socket address (decision 0022).
  launch(
    "web",
    bin("tsx"),
    [path.join(PROJECT_ROOT, "scripts", "serve.ts"), ...(dev ? ["--dev"] : []), "-p", String(port), "-H", host],
    role === "both" ? "both" : "web",
  );
if (role === undefined || role === "worker") launch("worker", bin("tsx"), [path.join(PROJECT_ROOT, "scripts", "worker.ts")], "worker");
if (role !== "worker") setTimeout(() => console.log(demoBanner(`http://localhost:${port}`)), dev ? 3000 : 1500);
