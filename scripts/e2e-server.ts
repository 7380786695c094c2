import { spawn } from "node:child_process";
import path from "node:path";
import { getDb, inTransaction } from "@/lib/db";
import { buildIfNeeded } from "./lib/build";
import { loadLocalSecrets } from "./lib/local-env";
import { PROJECT_ROOT } from "./lib/postgres";
import { seedIfEmpty } from "./db/seed";
import { addLargeOrgTree } from "@/lib/seed/large-org-tree";

// Started by Playwright (webServer). The database is the test one that scripts/with-db.ts started and
// migrated (with the job queue); this seeds the demo organisation into it, builds if needed, and serves
// on port 3100 with PORTAL_ROLE=both, so the background jobs the journeys rely on run in that process.
if (!process.env.DATABASE_URL) throw new Error("e2e-server needs DATABASE_URL (run through `npm run test:e2e`)");
loadLocalSecrets();
// The server accepts form posts only from its own address (proxy.ts), which is where the tests browse.
process.env.PORTAL_URL ??= `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`;
// The demo organisation, plus a large org tree (E2E_EXTRA_ORG_UNITS, default 2,000; 0 for none) that
// the page-weight budget (e2e/page-weight.spec.ts) is measured against.
if (await seedIfEmpty()) {
  const extra = Number(process.env.E2E_EXTRA_ORG_UNITS ?? 2000);
  if (extra > 0) {
    const started = Date.now();
    await inTransaction((tx) => addLargeOrgTree(tx, extra));
    console.log(`[seed] large org tree: ${extra} org units (${Date.now() - started} ms)`);
  }
}
await getDb().$disconnect();
buildIfNeeded();
const port = process.env.E2E_PORT ?? "3100";
const serve = path.join(PROJECT_ROOT, "scripts", "serve.ts");
const child = spawn(path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx"), [serve, "-p", port, "-H", "127.0.0.1"], {
  cwd: PROJECT_ROOT,
  stdio: "inherit",
  // The server connects as the app role only (decision 0024): the owner's and the superuser's URLs,
  // which scripts/with-db.ts hands to the tests, stay out of it.
  env: {
    ...process.env,
    DATABASE_OWNER_URL: undefined,
    DATABASE_ADMIN_URL: undefined,
    NODE_ENV: "production",
    PORTAL_ROLE: process.env.PORTAL_ROLE ?? "both",
  },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
