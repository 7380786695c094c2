import { getDb } from "@/lib/db";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { loadLocalSecrets } from "./lib/local-env";
import { startDatabase } from "./lib/postgres";

// `npm run audit:verify`: recomputes the whole hash chain; exit 1 and the first broken row if any.
loadLocalSecrets();
const database = await startDatabase({ flavour: "app" });
process.env.DATABASE_URL = database.url;
let exitCode = 0;
try {
  const started = Date.now();
  const result = await verifyAuditChain(getDb());
  if (result.ok) {
    console.log(`audit chain OK: ${result.rows} rows verified (last id ${result.lastId ?? "-"}) in ${Date.now() - started} ms`);
  } else {
    console.error(`audit chain BROKEN at row id ${result.brokenId} (${result.problem}); ${result.rows} rows before it are intact`);
    exitCode = 1;
  }
} finally {
  await getDb().$disconnect();
  await database.stop();
}
process.exit(exitCode);
