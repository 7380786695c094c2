import { getDb } from "@/lib/db";
import { checkpointFile, readAuditCheckpoints, writeAuditCheckpoint } from "@/lib/audit/checkpoint";
import { auditKey } from "@/lib/audit/seal";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { loadLocalSecrets } from "./lib/local-env";
import { startDatabase } from "./lib/postgres";

// `npm run audit:verify` (docs/decisions/0003, 0025): recomputes the whole hash chain, checks every row's
// seal with AUDIT_SIGNING_KEY and the rows against every signed checkpoint in AUDIT_CHECKPOINT_FILE; exit 1
// and the first broken row if anything does not fit. When all is well it appends a new checkpoint.
loadLocalSecrets();
const database = await startDatabase({ flavour: "app" });
process.env.DATABASE_URL = database.url;
let exitCode = 0;
try {
  const started = Date.now();
  const key = auditKey();
  const file = checkpointFile();
  const [{ name }] = await getDb().$queryRaw<[{ name: string }]>`SELECT current_database() AS name`;
  const { checkpoints, problems } = readAuditCheckpoints(file, key);
  for (const p of problems) {
    console.error(`checkpoint file ${file} line ${p.line}: ${p.problem}`);
    exitCode = 1;
  }
  const mine = checkpoints.filter((c) => c.database === name);
  const result = await verifyAuditChain(getDb(), { key, checkpoints: mine });
  if (result.ok) {
    console.log(
      `audit chain OK: ${result.rows} rows verified (last id ${result.lastId ?? "-"}), seals checked` +
        (result.unsealedBefore ? ` (${result.unsealedBefore} rows from before sealing began)` : "") +
        `, ${result.checkpointsMatched} of ${mine.length} signed checkpoints matched, in ${Date.now() - started} ms`,
    );
    if (exitCode === 0) {
      const c = await writeAuditCheckpoint(new Date(), { key, file });
      console.log(`checkpoint written to ${file}: last id ${c.lastId ?? "-"}, hash ${c.hash ?? "-"}`);
    }
  } else {
    const where = result.checkpoint
      ? ` (signed checkpoint of ${result.checkpoint.at}: id ${result.checkpoint.lastId}, hash ${result.checkpoint.hash})`
      : "";
    const what =
      result.problem === "truncated"
        ? `audit trail TRUNCATED: row id ${result.brokenId} and the rows up to it are missing${where}; ${result.rows} rows present`
        : `audit chain BROKEN at row id ${result.brokenId} (${result.problem})${where}; ${result.rows} rows before it are intact`;
    console.error(what);
    exitCode = 1;
  }
} finally {
  await getDb().$disconnect();
  await database.stop();
}
process.exit(exitCode);
