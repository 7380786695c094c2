import { spawn } from "node:child_process";
import path from "node:path";
import { getDb } from "@/lib/db";
import { demoBanner } from "@/lib/seed/demo-banner";
import { buildIfNeeded } from "./lib/build";
import { loadLocalSecrets } from "./lib/local-env";
import { PROJECT_ROOT, startDatabase } from "./lib/postgres";
import { migrate } from "./db/migrate";
import { seedIfEmpty } from "./db/seed";
import { encryptLegacyData } from "./db/encrypt-legacy";

// `npm start`: database (embedded unless DATABASE_URL is set) → migrations → demo seed when empty →
// build when the sources changed → serve. `npm run dev` does the same with `next dev`.
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

loadLocalSecrets();
const database = await startDatabase({ flavour: "app" });
process.env.DATABASE_URL = database.url;

let child: ReturnType<typeof spawn> | null = null;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    await database.stop();
  }
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

try {
  const applied = await migrate(database.url);
  console.log(applied.length ? `[start] applied migrations: ${applied.join(", ")}` : "[start] database schema is up to date");
  await encryptLegacyData();
  await seedIfEmpty();
  await getDb().$disconnect();
  if (!dev) buildIfNeeded();
} catch (error) {
  console.error("[start] failed:", error);
  await shutdown(1);
}

const next = path.join(PROJECT_ROOT, "node_modules", ".bin", "next");
child = spawn(next, [dev ? "dev" : "start", "-p", String(port), "-H", host], {
  cwd: PROJECT_ROOT,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: dev ? "development" : "production" },
});
setTimeout(() => console.log(demoBanner(`http://localhost:${port}`)), dev ? 3000 : 1500);
child.on("exit", (code) => void shutdown(code ?? 0));
